"""The ``conflict-graph`` command line: a click group of thin wrappers over :mod:`.commands`.

Exit codes: 0 success; 1 the data does not validate or is inconsistent, or an unexpected failure;
2 bad input (a missing or malformed file, malformed shapes, a query that does not parse or is
refused, a bad option, a port in use, a file the system will not let us read or write). Every
error is reported as one line on standard error, never a traceback (a failed validation also
prints its report first).

``--data PATH`` (repeatable), ``--no-default-data`` and ``--cache-dir`` may be given before the
command or after it. Other commands join the group with ``main.add_command(command)`` and reach
the shared options through :data:`pass_options` (see :class:`Options`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox

from .. import __version__, iris, settings
from . import commands, named
from ..pipeline import inputs
from ..query import store
from ..pipeline.build import BuildResult, build
from ..errors import ConflictGraphError, InputError, QueryError, ReasoningError, ValidationFailed
from ..pipeline.inputs import InputFile
from .render import FORMATS
from ..reasoning.explain_text import consistency_text
from ..query.store import ENTAILMENTS, Catalogue

__all__ = ["Options", "data_options", "main", "pass_options"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Options:
    """The options every command shares, and the build they lead to.

    Attributes:
        data: ``--data`` files and folders, in order.
        include_embedded: False with ``--no-default-data``.
        cache_dir: ``--cache-dir``, else the ``cache_dir`` setting.
    """

    data: list[Path] = field(default_factory=list)
    include_embedded: bool = True
    cache_dir: Path | None = None
    reasoner: str | None = None

    def files(self) -> list[InputFile]:
        """The input files, by the file → graph rule of :mod:`conflict_graph.inputs`."""
        return inputs.collect(self.include_embedded, self.data)

    def resolved_cache_dir(self) -> Path:
        """The cache folder: flag, else ``CONFLICT_GRAPH_CACHE_DIR``, else the default."""
        return Path(settings.resolve({"cache_dir": self.cache_dir})["cache_dir"])

    def resolved_reasoner(self) -> str:
        """The reasoner: ``--reasoner``, else ``CONFLICT_GRAPH_REASONER``, else ``native``."""
        return str(settings.resolve({"reasoner": self.reasoner})["reasoner"])

    def build(self, *, force: bool = False) -> BuildResult:
        """Build (or find in the cache) the dataset of these inputs."""
        return build(self.files(), cache_dir=self.resolved_cache_dir(), force=force,
                     reasoner=self.resolved_reasoner(),
                     progress=lambda message: click.echo(f"conflict-graph: {message}", err=True))

    def open(self) -> tuple[Catalogue, ox.Store]:
        """Build or reuse the dataset and open it in a query store."""
        return store.open_query_store(self.build().artifact)


pass_options = click.make_pass_decorator(Options, ensure=True)


def _add_data(ctx: click.Context, _: click.Parameter, value: tuple[Path, ...]) -> None:
    ctx.ensure_object(Options).data.extend(value)


def _no_default(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Options).include_embedded = False


def _cache_dir(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(Options).cache_dir = value


def _reasoner(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Options).reasoner = value


def data_options(function: F) -> F:
    """Add ``--data``, ``--no-default-data`` and ``--cache-dir`` to a command or group."""
    decorators = [
        click.option("--data", "-d", multiple=True, type=click.Path(path_type=Path), expose_value=False,
                     callback=_add_data, metavar="PATH",
                     help="Extra RDF file or folder (repeatable). Triples go to a graph named by the "
                          "file's URI; TriG/N-Quads/JSON-LD keep their named graphs."),
        click.option("--no-default-data", is_flag=True, expose_value=False, callback=_no_default,
                     help="Leave out the project's own ontology and data."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), expose_value=False,
                     callback=_cache_dir,
                     help="Folder for built datasets [env CONFLICT_GRAPH_CACHE_DIR]."),
        click.option("--reasoner", type=click.Choice(["native", "owlrl"]), expose_value=False,
                     callback=_reasoner,
                     help="OWL 2 RL reasoner whose closure is published [env CONFLICT_GRAPH_REASONER; "
                          "default native]."),
    ]
    for decorate in reversed(decorators):
        function = decorate(function)
    return function


class _Group(click.Group):
    """Turns the domain errors of any command into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ValidationFailed, ReasoningError) as exc:
            if exc.report:
                click.echo(exc.report, err=True)
            _fail(ctx, exc, 1)
        except (InputError, QueryError) as exc:
            _fail(ctx, exc, 2)
        except ConflictGraphError as exc:
            _fail(ctx, exc, 1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:  # the system refused: a file, a socket, a folder
            _fail(ctx, exc, 2)
        except Exception as exc:  # noqa: BLE001 - a bug still ends in one line, not a traceback
            _fail(ctx, f"unexpected {type(exc).__name__}: {exc}", 1)


def _fail(ctx: click.Context, exc: Exception | str, code: int) -> None:
    message = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.strerror:  # no install path from a traceback, just the cause
        message = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    click.echo(f"conflict-graph: error: {message}", err=True)
    ctx.exit(code)


def _write(data: bytes | str) -> None:
    """Write to standard output, ending with a newline; a closed pipe (``| head``) ends quietly."""
    raw = data.encode() if isinstance(data, str) else data
    try:
        sys.stdout.buffer.write(raw if not raw or raw.endswith(b"\n") else raw + b"\n")
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="conflict-graph")
@data_options
def main() -> None:
    """An open knowledge graph of armed conflict, queried with SPARQL and OWL 2 RL.

    Exit codes: 0 ok, 1 data does not validate or is inconsistent, 2 bad input.
    """


@main.command("build")
@data_options
@pass_options
def build_command(options: Options) -> None:
    """Build from scratch (ignoring the cache), then time a warm start from the cache."""
    _write(commands.build_report(options.files(), options.resolved_cache_dir(), options.resolved_reasoner()))


@main.command("validate")
@data_options
@pass_options
def validate_command(options: Options) -> None:
    """Check the data: SHACL shapes and OWL 2 RL consistency, each problem down to its sentences;
    exit 1 on a violation or an inconsistency."""
    report = commands.validate_files(options.files())
    _write(consistency_text(report))
    if not report.consistent:
        sys.exit(1)


@main.command("explain")
@click.argument("subject")
@click.argument("predicate")
@click.argument("object", metavar="OBJECT")
@click.option("--derivation", type=click.IntRange(min=0), default=None,
              help="Expand this derivation of the triple (0 is the shortest) instead of the first.")
@click.option("--format", "fmt", type=click.Choice(commands.EXPLAIN_FORMATS), default="text", show_default=True,
              help="text (an indented tree), json (the /explain JSON) or turtle (PROV-O).")
@data_options
@pass_options
def explain_command(options: Options, subject: str, predicate: str, object: str,  # noqa: A002
                    derivation: int | None, fmt: str) -> None:
    """Why SUBJECT PREDICATE OBJECT holds: the OWL 2 RL rules and premises down to the sentences.

    Terms are IRIs (<...> or bare), prefixed names (cg:Town, org:hasMember, id:org/tnla) or
    literals in N-Triples/Turtle syntax ('"Lashio"@en'). Exit 1 if the triple is not entailed.
    """
    _write(commands.explain_triple(options.build().artifact, subject, predicate, object,
                                   derivation=derivation, fmt=fmt))


@main.command("stats")
@data_options
@pass_options
def stats_command(options: Options) -> None:
    """Graphs with their triple counts; counts of classes, individuals and assertions."""
    _write(commands.stats_report(*options.open()))


@main.command("queries")
def queries_command() -> None:
    """List the named queries: name, title and parameters (run one with `query NAME`)."""
    _write(named.listing())


@main.command("query")
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named query (repeatable); see `conflict-graph queries`.")
@click.option("--entailment", type=click.Choice(ENTAILMENTS), default=None,
              help="simple: asserted triples only; owl-rl: with the OWL 2 RL closure. Default: the "
                   "query's '# entailment:' header if it has one, else owl-rl.")
@click.option("--no-inference", is_flag=True, help="Same as --entailment simple.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (Turtle for CONSTRUCT/DESCRIBE), csv, or json (SPARQL JSON / JSON-LD).")
@click.option("--service-allowlist", default=None, metavar="ENDPOINTS",
              help="Comma-separated SERVICE endpoints the query may call [env "
                   "CONFLICT_GRAPH_SERVICE_ALLOWLIST; default: none, SERVICE is refused].")
@data_options
@pass_options
def query_command(options: Options, query: str, params: tuple[str, ...], entailment: str | None,
                  no_inference: bool, fmt: str, service_allowlist: str | None) -> None:
    """Run QUERY: a named query's name, a path to a .rq file, SPARQL text, or - for standard input.

    As on the endpoint, an update or a SERVICE not on the allowlist is refused (exit 2).
    """
    resolved = named.resolve(query, named.parse_params(params))
    if no_inference:
        entailment = "simple"
    elif entailment is None:
        entailment = resolved.declared_entailment or "owl-rl"
    environ = dict(os.environ)
    if service_allowlist is not None:  # the flag's text is read like the variable's
        environ[settings.ENV_PREFIX + "SERVICE_ALLOWLIST"] = service_allowlist
    allowlist = settings.resolve(environ=environ)["service_allowlist"]
    catalogue, opened = options.open()
    _write(commands.run_query(catalogue, opened, resolved.text, entailment=entailment, fmt=fmt,
                              origin=resolved.origin, bindings=resolved.bindings,
                              service_allowlist=allowlist))


@main.command("export")
@click.option("--graphs", type=click.Choice(commands.EXPORT_GRAPHS), default="all", show_default=True,
              help="asserted graphs, the inferred graph, or every graph (shapes included); for the "
                   "quad formats (nquads, trig, jsonld).")
@click.option("--format", "fmt", type=click.Choice(commands.EXPORT_FORMATS), default="nquads",
              show_default=True,
              help="nquads, trig or jsonld: the quads; acled: events as an ACLED-style CSV; geojson: "
                   "places with their control history; context: the JSON-LD context; release: every "
                   "download with VoID and SHA256SUMS into -o DIR.")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD",
              help="geojson only: add each place's control on this day (control_on_date).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file (a folder for --format release) instead of standard output.")
@click.option("--base-url", default=None,
              help="With --format release: the URL the files will be downloaded from, for the VoID "
                   "description (default: the public base URL's downloads/).")
@data_options
@pass_options
def export_command(options: Options, graphs: str, fmt: str, day: str | None, output: Path | None,
                   base_url: str | None) -> None:
    """Write the built dataset as N-Quads, TriG, JSON-LD, an ACLED-style CSV, GeoJSON, or a whole release."""
    if fmt == "release":
        if output is None:
            raise InputError("--format release writes a folder: give it with -o DIR")
        _write(commands.export_release(*options.open(), output, base_url or iris.BASE + "downloads/"))
        return
    data = commands.export(*options.open(), graphs=graphs, fmt=fmt, day=day)
    if output is None:
        _write(data)
        return
    if output.is_dir():
        raise InputError(f"{output} is a folder: give a file name with -o (a folder only with --format release)")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from exc


from ..web.command import serve  # noqa: E402  (imported last: it reads this module lazily)

main.add_command(serve)

from .source import source  # noqa: E402

main.add_command(source)
