"""The ``conflict-graph`` command line: click commands over the domain functions."""

from .main import main

__all__ = ["main"]
