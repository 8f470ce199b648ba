"""The one settings table: every knob a deployment can turn, with its default and documentation.

Each :class:`Setting` is read, in order of precedence, from an explicit value (a command-line flag
or a test mapping), from the environment variable ``CONFLICT_GRAPH_<NAME>``, and from its default.
The README's settings table is checked against :data:`SETTINGS` by a test, so adding a setting
here without documenting it fails the suite.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SettingError

__all__ = ["ENV_PREFIX", "SETTINGS", "Setting", "resolve"]

ENV_PREFIX = "CONFLICT_GRAPH_"


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected one of true/false/1/0/yes/no/on/off, got {text!r}")


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "conflict-graph")


def _cores() -> int:
    """CPU cores this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Setting:
    """One configurable value.

    Attributes:
        name: lower-case name; the environment variable is ``CONFLICT_GRAPH_`` + ``name.upper()``.
        default: the value used when nothing else is given (a callable is called lazily).
        parse: turns the environment variable's text into a value; raises ``ValueError`` if bad.
        help: one line for ``--help`` and the README.
    """

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        """The command-line flag that sets it: ``--`` + the name with dashes."""
        return "--" + self.name.replace("_", "-")

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


def _number(kind: Callable[[str], Any], text: str) -> Any:
    try:
        value = kind(text.strip())
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {text!r}")
    return value


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = _number(kind, text)
        if value <= 0:
            raise ValueError(f"expected a number above 0, got {text!r}")
        return value
    return parse


def _count(text: str) -> int:
    value: int = _number(int, text)
    if value < 0:
        raise ValueError(f"expected 0 or more, got {text!r}")
    return value


def _seconds(text: str) -> float:
    value: float = _number(float, text)
    if value < 0:
        raise ValueError(f"expected 0 or more seconds, got {text!r}")
    return value


def _port(text: str) -> int:
    value: int = _number(int, text)
    if not 0 <= value <= 65535:
        raise ValueError(f"expected a TCP port (0-65535; 0 picks a free one), got {text!r}")
    return value


def _base_url(text: str) -> str:
    text = text.strip()
    if text and not (text.startswith(("http://", "https://")) and text.split("://", 1)[1]):
        raise ValueError(f"expected an http:// or https:// address, got {text!r}")
    return text


def _list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {text!r}")
        return value
    return parse


def _paths(text: str) -> tuple[str, ...]:
    return tuple(item for item in text.split(os.pathsep) if item.strip())


SETTINGS: tuple[Setting, ...] = (
    Setting("cache_dir", _default_cache_dir, str,
            "Folder for the cached OWL 2 RL closure (keyed by a hash of its inputs)."),
    Setting("reasoner", "native", _choice("native", "owlrl"),
            "OWL 2 RL reasoner whose closure is published: native (fast, with derivations) or "
            "owlrl (the reference); part of the cache key."),
    # serve: the SPARQL endpoint (docs/endpoint.md)
    Setting("host", "127.0.0.1", str,
            "Interface the server listens on (0.0.0.0 for every interface)."),
    Setting("port", 8000, _port, "TCP port of the server (0 picks a free port)."),
    Setting("data", (), _paths,
            "Extra RDF files or folders to serve (flag repeatable; variable separated by os.pathsep)."),
    Setting("no_default_data", False, _bool,
            "Serve only the --data files, without the project's own ontology and data."),
    Setting("workers", _cores, _positive(int),
            "Query worker processes (default: the CPU cores this process may use); they share the "
            "on-disk store, and each runs one query at a time."),
    Setting("threads", 64, _positive(int),
            "Requests answered at once (each connection has a thread of its own; a request beyond "
            "this waits for its turn); a query holds its turn while it waits and runs."),
    Setting("query_timeout", 10.0, _positive(float),
            "Seconds a query may take, waiting for a free worker included; then it is stopped (503)."),
    Setting("max_query_bytes", 65_536, _positive(int),
            "Largest query accepted, in UTF-8 bytes (413 beyond)."),
    Setting("max_rows", 10_000, _count,
            "Row cap: solutions (or triples) per response; 0 for none. A cut result says so in "
            "the Conflict-Graph-Truncated header."),
    Setting("max_response_bytes", 64 * 1024 * 1024, _positive(int),
            "Byte cap per response: a longer result is cut at a row boundary (header "
            "Conflict-Graph-Truncated)."),
    Setting("max_waiting", None, _count,
            "Queries that may wait for a busy worker (default: 16 per worker, at most --threads "
            "minus twice --workers minus 2); one more gets 503 at once."),
    Setting("max_client_queries", 5, _positive(int),
            "Queries one client address may have running or waiting at once; one more gets 429."),
    Setting("max_client_workers", None, _positive(int),
            "Query workers one client address may use at once (default: --workers minus 1, at "
            "least 1); its other queries wait their fair turn."),
    Setting("fair_share_seconds", 0.5, _seconds,
            "Recent worker time above which a client is heavy: it cannot take the last worker, and "
            "when a worker runs a query longer than this that cannot move aside while a lighter "
            "client waits, the heaviest client's query is stopped (503); 0 turns this off."),
    Setting("worker_memory_mb", 1024, _count,
            "Memory (address space, MB) a query worker may add to its size after opening the "
            "dataset; a query needing more gets 503 and the worker is replaced; 0 for no limit."),
    Setting("answer_cache_mb", 0, _count,
            "Memory (MB) for answers kept and reused while the server runs (the dataset changes "
            "only with a new build); queries using RAND, NOW, UUID, STRUUID or BNODE are always "
            "evaluated; 0 evaluates every query."),
    Setting("connection_limit", 1000, _positive(int),
            "Open HTTP connections the server accepts in all; beyond it, new ones wait in the "
            "listen backlog."),
    Setting("max_client_connections", 64, _positive(int),
            "Open HTTP connections one client address may have; one more is answered 429 and "
            "closed."),
    Setting("channel_timeout", 30, _positive(int),
            "Seconds an idle connection (no request in progress), or a client not reading its "
            "answer, stays open."),
    Setting("request_read_timeout", 30, _positive(int),
            "Seconds a client may take to send one request's headers and body (slow clients are "
            "disconnected)."),
    Setting("drain_timeout", 10.0, _seconds,
            "On SIGTERM: seconds to finish the requests in progress (new connections are refused) "
            "before the server exits."),
    Setting("service_allowlist", (), _list,
            "Comma-separated SERVICE endpoints a query may call (an entry ending in / # or ? "
            "allows every IRI under it); empty: SERVICE is refused."),
    Setting("allow_inconsistent", False, _bool,
            "Serve data whose OWL 2 RL closure is inconsistent (shown at /consistency) instead of "
            "refusing to start."),
    Setting("explain_max_nodes", 500, _positive(int),
            "Largest explanation tree /explain builds (premises beyond it are marked cut)."),
    Setting("explain_max_alternatives", 20, _positive(int),
            "Derivations /explain reads per triple, shortest first (it says how many more there are)."),
    Setting("explain_max_evidence", 20, _positive(int),
            "Pieces of evidence /explain shows per asserted triple (it says how many more there are)."),
    Setting("cors_origins", ("*",), _list,
            "Comma-separated origins allowed to call the endpoint from a browser (* for any; "
            "empty to send no CORS headers)."),
    # serve: linked-data pages (docs/linked-data.md)
    Setting("public_base_url", "", _base_url,
            "Public address of this deployment (https://example.org/), where the w3id.org IRIs "
            "redirect; used in Link headers. Empty: the address each request came to."),
    Setting("page_max_triples", 500, _positive(int),
            "Triples shown per direction on a resource page (more via a SPARQL link)."),
)


def _check(setting: Setting, value: Any) -> Any:
    """Parse a number given as a value (not text) the way its variable would be parsed."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    try:
        return setting.parse(repr(value))
    except ValueError as exc:
        raise SettingError(f"{setting.flag}: {exc}") from exc


def resolve(overrides: Mapping[str, Any] | None = None,
            environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting's value: explicit override, else environment variable, else default.

    A number given as an override is checked like the variable's text (finite, in range).

    Raises:
        SettingError: an environment variable or a numeric override does not parse; the message
            names it.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            values[setting.name] = _check(setting, overrides[setting.name])
        elif setting.env in environ:
            try:
                values[setting.name] = setting.parse(environ[setting.env])
            except ValueError as exc:
                raise SettingError(f"{setting.env}: {exc}") from exc
        else:
            values[setting.name] = setting.default_value()
    return values
