"""Split a source text into numbered sentences and headings, and read or write them as TSV.

The sentence file (``data/sources/<slug>.sentences.tsv``) has the columns ``id`` (``S01``… for
sentences, ``H1``… for headings), ``paragraph`` (the block of the text, counted from 1) and
``text`` (verbatim). :func:`split` proposes it; a person checks it and may correct it by hand,
since every quote is then found in the text, never typed.

Splitting rule: blocks are separated by blank lines; a one-line block that does not end with
sentence punctuation is a heading; other blocks are cut after ``.``, ``!`` or ``?`` (and any
closing quotes or brackets) followed by white space and an upper-case letter, a digit or an
opening quote, except after a few abbreviations ("Mr.", "Gen.", "U.S." …).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataLoadError

__all__ = ["Sentence", "read_tsv", "split", "to_tsv"]

_BREAK = re.compile(r"(?<=[.!?])[”’\"')\]]*\s+(?=[“‘\"'(\[]?[A-Z0-9])")
_ENDS_SENTENCE = re.compile(r"[.!?][”’\"')\]]*$")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.",
                  "St.", "No.", "U.S.", "U.N.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


@dataclass(frozen=True)
class Sentence:
    """One row of the sentence file.

    Attributes:
        id: ``S01``… or ``H1``….
        paragraph: the block it is in, from 1.
        text: verbatim.
    """

    id: str
    paragraph: int
    text: str

    @property
    def is_heading(self) -> bool:
        return self.id.startswith("H")


def _cut(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BREAK.finditer(block):
        candidate = block[start:match.start() + len(match.group(0).rstrip())]
        if candidate.rstrip().endswith(_ABBREVIATIONS):
            continue
        pieces.append(candidate.strip())
        start = match.end()
    pieces.append(block[start:].strip())
    return [p for p in pieces if p]


def split(text: str) -> list[Sentence]:
    """The sentences and headings of ``text``, numbered in order."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    sentences: list[str] = []
    rows: list[Sentence] = []
    headings = 0
    for paragraph, block in enumerate(blocks, 1):
        if "\n" not in block and not _ENDS_SENTENCE.search(block):
            headings += 1
            rows.append(Sentence(f"H{headings}", paragraph, block))
            continue
        for piece in _cut(" ".join(block.split("\n")) if "\n" in block else block):
            sentences.append(piece)
            rows.append(Sentence("", paragraph, piece))
    width = max(2, len(str(len(sentences))))
    numbered, count = [], 0
    for row in rows:
        if row.is_heading:
            numbered.append(row)
        else:
            count += 1
            numbered.append(Sentence(f"S{count:0{width}d}", row.paragraph, row.text))
    return numbered


def to_tsv(sentences: list[Sentence]) -> str:
    """The sentence file's text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["id", "paragraph", "text"])
    for row in sentences:
        writer.writerow([row.id, row.paragraph, row.text])
    return out.getvalue()


def read_tsv(path: Path) -> list[Sentence]:
    """Read a sentence file.

    Raises:
        DataLoadError: the file is unreadable or lacks a column, or a paragraph is not a number.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataLoadError(f"{path}: cannot read the sentence file ({exc})") from exc
    try:
        return [Sentence(row["id"], int(row["paragraph"]), row["text"]) for row in rows]
    except (KeyError, TypeError, ValueError) as exc:
        raise DataLoadError(f"{path}: each row needs id, paragraph (a number) and text ({exc})") from exc
