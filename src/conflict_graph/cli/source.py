"""``conflict-graph source new`` and ``conflict-graph source quote``: add a source to a project.

Thin click wrappers over :mod:`conflict_graph.authoring.new_source`; errors become one line on
standard error and exit code 2, as for every command (see :mod:`conflict_graph.cli.main`).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ..authoring.new_source import SourceMetadata, create_source, requote_source
from ..authoring.sentences import read_tsv
from ..errors import InputError

__all__ = ["source"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])
_ROOT = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                     show_default=True, help="Project folder that holds data/ (the repository, or a "
                                             "folder later passed to --data).")


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def publication_bounds(published: date | None, earliest: date | None,
                       latest: date | None) -> tuple[date, date]:
    """``--published``, or ``--published-earliest`` and ``--published-latest``.

    Raises:
        InputError: neither or both forms given, or only one bound.
    """
    if published is not None:
        if earliest is not None or latest is not None:
            raise InputError("give either --published or --published-earliest/--published-latest, not both")
        return published, published
    if earliest is None or latest is None:
        raise InputError("give --published DATE, or both --published-earliest and --published-latest")
    return earliest, latest


@click.group("source")
def source() -> None:
    """Add a source document: its text, sentences, quotes and a facts file to fill in."""


@source.command("new")
@click.argument("text_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", required=True, help="IRI segment and file name: lower case, digits, hyphens.")
@click.option("--title", required=True, help="The document's title as published.")
@click.option("--publisher", required=True, help="The publishing organisation's name.")
@click.option("--url", required=True, help="Where the document was published (http or https).")
@click.option("--published", type=_DATE, default=None, metavar="YYYY-MM-DD", help="Publication date.")
@click.option("--published-earliest", type=_DATE, default=None, metavar="YYYY-MM-DD",
              help="Earliest publication date, when the exact date is unknown.")
@click.option("--published-latest", type=_DATE, default=None, metavar="YYYY-MM-DD",
              help="Latest publication date, when the exact date is unknown.")
@click.option("--licence", required=True, help="Licence URL, or a short statement of rights.")
@click.option("--language", default="en", show_default=True, help="Language tag of the text.")
@click.option("--sentences", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A sentence file (id, paragraph, text) to use instead of the automatic split.")
@click.option("--force", is_flag=True, help="Overwrite the source's files if they exist.")
@_ROOT
def new(text_file: Path, slug: str, title: str, publisher: str, url: str, published: datetime | None,
        published_earliest: datetime | None, published_latest: datetime | None, licence: str,
        language: str, sentences: Path | None, force: bool, root: Path) -> None:
    """Write TEXT_FILE's folder: text, sentences with offsets (quotes.ttl) and a facts.ttl skeleton."""
    earliest, latest = publication_bounds(_day(published), _day(published_earliest), _day(published_latest))
    meta = SourceMetadata(slug, title, publisher, url, earliest, latest, licence, language)
    rows = read_tsv(sentences) if sentences is not None else None
    paths = create_source(root, text_file, meta, sentences=rows, force=force)
    quoted = sum(1 for _ in read_tsv(paths.sentences))
    for path in paths.all():
        click.echo(f"wrote {path}")
    click.echo(f"{quoted} sentences and headings quoted; check {paths.sentences.name}, then run "
               f"'conflict-graph source quote {slug}' if you correct it, fill in {paths.facts.name}, "
               "and run 'conflict-graph validate --data <folder>'.")


@source.command("quote")
@click.argument("slug")
@_ROOT
def quote(slug: str, root: Path) -> None:
    """Write SLUG's quotes.ttl again from its text and its (corrected) sentence file."""
    click.echo(f"wrote {requote_source(root, slug)}")
