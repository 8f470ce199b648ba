"""The one settings table: every knob a deployment can turn, with its default and documentation.

Each :class:`Setting` is read, in order of precedence, from an explicit value (a command-line flag
or a test mapping), from the environment variable ``CONFLICT_GRAPH_<NAME>``, and from its default.
The README's settings table is checked against :data:`SETTINGS` by a test, so adding a setting
here without documenting it fails the suite.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Setting:
    """One configurable value.

    Attributes:
        name: lower-case name; the environment variable is ``CONFLICT_GRAPH_`` + ``name.upper()``.
        default: the value used when nothing else is given (a callable is called lazily).
        parse: turns the environment variable's text into a value; raises ``ValueError`` if bad.
        help: one line for ``--help`` and the README.
        flag: the command-line flag that sets it, if any.
    """

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    flag: str | None = None

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("cache_dir", _default_cache_dir, str,
            "Folder for the cached OWL 2 RL closure (keyed by a hash of its inputs).", "--cache-dir"),
)


def resolve(overrides: Mapping[str, Any] | None = None,
            environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting's value: explicit override, else environment variable, else default.

    Raises:
        SettingError: an environment variable does not parse; the message names it.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            values[setting.name] = overrides[setting.name]
        elif setting.env in environ:
            try:
                values[setting.name] = setting.parse(environ[setting.env])
            except ValueError as exc:
                raise SettingError(f"{setting.env}: {exc}") from exc
        else:
            values[setting.name] = setting.default_value()
    return values
