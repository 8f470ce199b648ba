"""The downloads of one build, written once into its artifact folder and then served as files.

A release (:mod:`.release`) is a pure function of the build, so it is written at most once per
artifact, into ``<artifact>/downloads/``: the first caller writes it into a temporary folder and
renames it into place (atomic on one file system), in a child process so the server's
interpreter stays free for other requests; concurrent callers in this process wait for it,
and another process racing on the same artifact loses the rename harmlessly (its copy is identical).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import iris
from ..query import store
from .release import RELEASE_FILES, release_files, write_release
from .source import LocalSource

__all__ = ["DOWNLOADS_URL", "Download", "ReleaseFolder"]

#: Where the public IRIs of the downloads point (``dcat:downloadURL`` in the VoID description).
DOWNLOADS_URL = iris.BASE + "downloads/"
_MEDIA_TYPES = {item.name: item.media_type for item in RELEASE_FILES} | {
    "void.ttl": "text/turtle", "SHA256SUMS": "text/plain"}
_TITLES = {item.name: item.title for item in RELEASE_FILES} | {
    "void.ttl": "the VoID description: version, licence, graphs, files and their checksums",
    "SHA256SUMS": "SHA-256 checksums of every file (sha256sum -c SHA256SUMS)"}


@dataclass(frozen=True)
class Download:
    """One downloadable file."""

    name: str
    path: Path
    media_type: str
    title: str
    size: int
    sha256: str


def _write_release(artifact: Path, folder: Path) -> None:
    """Write the release of the build in ``artifact`` into ``folder`` (run in a child process)."""
    catalogue, opened = store.open_query_store(artifact)
    write_release(LocalSource(catalogue, opened), folder, base_url=DOWNLOADS_URL)


class ReleaseFolder:
    """The release of the build in ``artifact``, written on first use."""

    def __init__(self, artifact: Path) -> None:
        self.folder = Path(artifact) / "downloads"
        self._artifact = Path(artifact)
        self._lock = threading.Lock()
        self._listing: list[Download] | None = None

    def _complete(self) -> bool:
        return all((self.folder / name).is_file() for name in release_files())

    def _write(self) -> None:
        temporary = Path(tempfile.mkdtemp(prefix=".downloads.", dir=self._artifact))
        try:
            # In a child process: a large release is minutes of CPU that must not hold this
            # process's interpreter (the server's other requests) or keep its memory afterwards.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                pool.submit(_write_release, self._artifact, temporary).result()
            temporary.chmod(0o755)
            try:
                temporary.rename(self.folder)
            except OSError:
                if not self._complete():
                    raise
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def listing(self) -> list[Download]:
        """Every file of the release, in :func:`~.release.release_files` order (written if needed)."""
        with self._lock:
            if self._listing is None:
                if not self._complete():
                    self._write()
                sums = dict(line.split("  ", 1)[::-1] for line in
                            (self.folder / "SHA256SUMS").read_text(encoding="ascii").splitlines())
                sums["SHA256SUMS"] = hashlib.sha256((self.folder / "SHA256SUMS").read_bytes()).hexdigest()
                self._listing = [Download(name, self.folder / name, _MEDIA_TYPES[name], _TITLES[name],
                                          (self.folder / name).stat().st_size, sums[name])
                                 for name in release_files()]
            return self._listing

    def get(self, name: str) -> Download | None:
        """The file called ``name``, or None if the release has no such file."""
        if name not in _MEDIA_TYPES:
            return None
        return next(item for item in self.listing() if item.name == name)
