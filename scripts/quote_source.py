"""Write the quotes graph of one source document: its text snapshot and every sentence and heading.

Usage::

    python scripts/quote_source.py ARTICLE.txt SENTENCES.tsv SLUG > data/ttl/source/SLUG/quotes.ttl

The same as ``conflict-graph source quote SLUG``; both call
:func:`conflict_graph.authoring.quotes.quotes_turtle`, which documents the positions and selectors.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conflict_graph.authoring.quotes import quotes_turtle
from conflict_graph.authoring.sentences import read_tsv
from conflict_graph.errors import DataLoadError


def main(article_path: str, sentences_path: str, slug: str) -> None:
    text = Path(article_path).read_text(encoding="utf-8")
    try:
        sys.stdout.write(quotes_turtle(text, read_tsv(Path(sentences_path)), slug))
    except DataLoadError as exc:
        raise SystemExit(str(exc)) from exc


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
