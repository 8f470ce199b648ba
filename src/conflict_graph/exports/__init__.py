"""Exports: the built dataset in the formats researchers' other tools read.

* :mod:`.acled` — events as an ACLED-style CSV (one row per event and place);
* :mod:`.jsonld` — the published JSON-LD ``@context`` and the dataset as compacted JSON-LD;
* :mod:`.release` — the whole dataset as N-Quads and TriG with a VoID description, SHA-256
  checksums and its version, as one folder of downloads.

Every export reads the dataset through a :class:`~.source.DatasetSource` (SPARQL over the built
store, the quads of chosen graphs), so the command line and the web layer produce the same bytes.
"""

from .source import DatasetSource, LocalSource

__all__ = ["DatasetSource", "LocalSource"]
