"""``conflict-graph serve``: the SPARQL endpoint on the project's own HTTP/1.1 server (:mod:`.http_server`).

Every option is a setting of :mod:`conflict_graph.settings`: a flag wins over its
``CONFLICT_GRAPH_*`` variable, which wins over the default. ``--data``, ``--no-default-data`` and
``--cache-dir`` may also be given before ``serve`` (as for every other command).

The command binds its port first (a port in use is one line and exit 2, before any build), builds
the dataset (or finds it in the cache), starts the query workers, prints the URL it listens on
(``--port 0`` picks a free port) and serves until interrupted. ``SIGTERM`` drains: new
connections are refused and the requests in progress are finished (at most ``--drain-timeout``
seconds) before the command exits with 0 (:mod:`.serving`).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from ..errors import ConflictGraphError
from ..settings import SETTINGS, Setting, resolve

__all__ = ["SERVE_SETTINGS", "run_server", "serve"]

#: The settings ``serve`` has flags for, in ``--help`` order.
SERVE_SETTINGS = (
    "host", "port", "data", "no_default_data", "cache_dir", "reasoner", "workers", "threads", "query_timeout",
    "max_query_bytes", "max_rows", "max_response_bytes", "max_waiting", "max_client_queries",
    "max_client_workers", "fair_share_seconds", "worker_memory_mb", "answer_cache_mb", "connection_limit",
    "max_client_connections", "channel_timeout", "request_read_timeout",
    "drain_timeout", "service_allowlist", "cors_origins", "public_base_url", "page_max_triples",
    "explain_max_nodes", "explain_max_alternatives", "explain_max_evidence", "allow_inconsistent",
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _option(setting: Setting) -> Any:
    default = setting.default_value()
    shown = "derived from --workers" if default is None else repr(default)
    help_text = f"{setting.help} [env {setting.env}; default {shown}]"
    if setting.default is False:
        return click.option(setting.flag, setting.name, is_flag=True, default=None, help=help_text)
    if setting.name == "data":
        return click.option(setting.flag, "-d", setting.name, multiple=True, metavar="PATH", help=help_text)
    return click.option(setting.flag, setting.name, default=None, metavar=setting.name.upper(),
                        help=help_text)


def _settings_options(function: Any) -> Any:
    for name in reversed(SERVE_SETTINGS):
        function = _option(_BY_NAME[name])(function)
    return function


def _from_flags(given: dict[str, Any]) -> dict[str, Any]:
    """Parse flag values with the same functions as the environment variables."""
    values: dict[str, Any] = {}
    for name, value in given.items():
        if value is None or value == ():
            continue
        setting = _BY_NAME[name]
        if name == "data":
            values[name] = tuple(value)
        elif isinstance(value, bool):
            values[name] = value
        else:
            try:
                values[name] = setting.parse(value)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=setting.flag) from exc
    return values


def _group_options(values: dict[str, Any]) -> dict[str, Any]:
    """Merge ``--data``/``--no-default-data``/``--cache-dir`` given before ``serve``."""
    context = click.get_current_context(silent=True)
    if context is None:
        return values
    try:
        from ..cli.main import Options
    except ImportError:  # pragma: no cover - the command used without the main group
        return values
    shared = context.find_object(Options)
    if shared is None:
        return values
    merged = dict(values)
    if shared.data:
        merged["data"] = tuple(str(p) for p in shared.data) + tuple(values.get("data", ()))
    if not shared.include_embedded:
        merged["no_default_data"] = True
    if shared.cache_dir is not None and "cache_dir" not in values:
        merged["cache_dir"] = str(shared.cache_dir)
    if shared.reasoner is not None and "reasoner" not in values:
        merged["reasoner"] = shared.reasoner
    return merged


def run_server(values: dict[str, Any]) -> None:
    """Bind the port, build the engine, then serve it with :mod:`.http_server` until stopped.

    Raises:
        SettingError: the address cannot be listened on (checked before the build).
        ConflictGraphError: the data cannot be built or served (names the file and line).
    """
    from ..query.engine import QueryService
    from . import create_app, http_server
    from .sparql import max_body_bytes

    listener = http_server.bind(values["host"], int(values["port"]))
    try:
        engine = QueryService.from_settings(values)
    except BaseException:
        listener.close()
        raise
    try:
        app = create_app(values, engine=engine)
        largest = max_body_bytes(int(values["max_query_bytes"]))  # a query in the body or in the URL
        server = http_server.HttpServer(app, listener, http_server.Limits(
            connection_limit=int(values["connection_limit"]),
            max_client_connections=int(values["max_client_connections"]),
            idle_timeout=float(values["channel_timeout"]),
            request_read_timeout=float(values["request_read_timeout"]),
            max_header_bytes=max(65_536, largest), max_body_bytes=largest,
            max_active=int(values["threads"])))
        host, port = server.effective_host, server.effective_port
        catalogue = engine.catalogue
        triples = sum(g.triples for g in catalogue.graphs)
        click.echo(f"conflict-graph: {triples:,} triples in {len(catalogue.graphs)} graphs "
                   f"(data version {catalogue.data_version}); {engine.pool.size} query worker(s)")
        click.echo(f"conflict-graph: serving SPARQL on http://{host}:{port}/sparql "
                   f"(home page http://{host}:{port}/, query page http://{host}:{port}/query)")
        sys.stdout.flush()
        outcome = server.serve_until_stopped(float(values["drain_timeout"]))
        click.echo(f"conflict-graph: stopped ({outcome})")
    finally:
        listener.close()
        engine.close()


@click.command("serve")
@_settings_options
def serve(**given: Any) -> None:
    """Serve the SPARQL 1.1 endpoint, the pages, the query page and the API over HTTP/1.1.

    With no option it serves the project's own data on http://127.0.0.1:8000/sparql.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        values = resolve(_group_options(_from_flags(given)))
        run_server(values)
    except ConflictGraphError as exc:
        context = click.get_current_context()
        if context.parent is not None:  # the main group reports it, with its exit code
            raise
        raise click.ClickException(" ".join(str(exc).split())) from exc
