"""The whole dataset as one folder of downloads: N-Quads, TriG, JSON-LD, ACLED-style CSV, VoID, checksums.

A release is a pure function of a build: the same data version gives the same bytes. Its VoID
description (VoID §2–§4, https://www.w3.org/TR/void/; distributions as DCAT 3 §6.7–6.8) names the
dataset version, licence, ontology version, triples per named graph and, for every file, its media
type, size and SHA-256 checksum (SPDX 2.3 ``spdx:checksum``); ``SHA256SUMS`` (the format of
``sha256sum``) covers every file, ``void.ttl`` included.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from .. import iris
from ..query.service_description import DATA_LICENSE
from ..api import geojson
from .acled import acled_csv
from .jsonld import dataset_jsonld, jsonld_context
from .source import DatasetSource

__all__ = ["FILE_OF_FORMAT", "RELEASE_FILES", "ReleaseFile", "json_bytes", "release_files", "write_release"]

SPDX = Namespace("http://spdx.org/rdf/terms#")


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release: its name, media type, what it holds and how to write it."""

    name: str
    media_type: str
    title: str
    write: Callable[[DatasetSource], bytes]


def _quads(fmt: ox.RdfFormat) -> Callable[[DatasetSource], bytes]:
    def write(source: DatasetSource) -> bytes:
        prefixes = {"cg": str(iris.CG)} if fmt == ox.RdfFormat.TRIG else None
        return ox.serialize(source.quads(source.catalogue.iris()), format=fmt, prefixes=prefixes) or b""
    return write


#: The files of a release, in the order they are listed.
RELEASE_FILES: tuple[ReleaseFile, ...] = (
    ReleaseFile("dataset.nq", "application/n-quads", "every named graph as N-Quads",
                _quads(ox.RdfFormat.N_QUADS)),
    ReleaseFile("dataset.trig", "application/trig", "every named graph as TriG", _quads(ox.RdfFormat.TRIG)),
    ReleaseFile("dataset.jsonld", "application/ld+json", "every named graph as JSON-LD, context inline",
                lambda source: dataset_jsonld(source, source.catalogue.iris())),
    ReleaseFile("context.jsonld", "application/ld+json", "the JSON-LD context of the vocabulary",
                lambda source: json_bytes(jsonld_context(source))),
    ReleaseFile("events-acled.csv", "text/csv", "events as an ACLED-style CSV", acled_csv),
    ReleaseFile("places.geojson", "application/geo+json", "places with coordinates and their control history",
                lambda source: json_bytes(geojson.places(source.select, None))),
)


#: The release file that holds each ``export`` format (what a server serves at ``/downloads/NAME``).
FILE_OF_FORMAT: dict[str, str] = {
    "nquads": "dataset.nq", "trig": "dataset.trig", "jsonld": "dataset.jsonld", "context": "context.jsonld",
    "acled": "events-acled.csv", "geojson": "places.geojson",
}


def json_bytes(value: object) -> bytes:
    """A JSON export as UTF-8: non-ASCII kept, one-space indent, a final newline."""
    import json

    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def release_files() -> tuple[str, ...]:
    """Names of every file :func:`write_release` writes (``void.ttl`` and ``SHA256SUMS`` last)."""
    return (*(item.name for item in RELEASE_FILES), "void.ttl", "SHA256SUMS")


def _void(source: DatasetSource, written: dict[str, bytes], base_url: str) -> bytes:
    catalogue = source.catalogue
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("spdx", SPDX),
                              ("owl", OWL), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    dataset = iris.dataset_version(catalogue.data_version)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("conflict-graph", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "An open knowledge graph of armed conflict: phase two of Myanmar's Operation 1027 "
        "(June-August 2024), each fact tied to the sentence of its source.", lang="en")))
    graph.add((dataset, OWL.versionInfo, Literal(catalogue.data_version)))
    graph.add((dataset, DCTERMS.license, DATA_LICENSE))
    graph.add((dataset, VOID.vocabulary, URIRef(str(iris.CG))))
    if catalogue.ontology_version:
        graph.add((dataset, DCTERMS.conformsTo, URIRef(catalogue.ontology_version)))
    graph.add((dataset, VOID.triples, Literal(sum(g.triples for g in catalogue.graphs), datatype=XSD.integer)))
    for info in catalogue.graphs:
        subset = URIRef(info.iri)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, DCTERMS.type, Literal(info.kind)))
        graph.add((subset, VOID.triples, Literal(info.triples, datatype=XSD.integer)))
    by_name = {item.name: item for item in RELEASE_FILES}
    for name, data in written.items():
        distribution = URIRef(f"{base_url}{name}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, distribution))
        graph.add((distribution, DCAT.mediaType,
                   URIRef("https://www.iana.org/assignments/media-types/" + by_name[name].media_type)))
        graph.add((distribution, DCTERMS.title, Literal(by_name[name].title, lang="en")))
        graph.add((distribution, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"checksum-{name.replace('.', '-')}")
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return graph.serialize(format="turtle", encoding="utf-8")


def write_release(source: DatasetSource, folder: Path, *, base_url: str) -> dict[str, str]:
    """Write every release file into ``folder`` (created; files replaced atomically).

    Args:
        source: the built dataset.
        folder: where the files go.
        base_url: the URL the files are downloaded from (ends with ``/``), for ``dcat:downloadURL``.

    Returns:
        File name → SHA-256 hex digest, for every file written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = {item.name: item.write(source) for item in RELEASE_FILES}
    written["void.ttl"] = _void(source, dict(written), base_url)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in written.items()}
    written["SHA256SUMS"] = "".join(f"{digests[name]}  {name}\n" for name in written).encode("ascii")
    for name, data in written.items():
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, folder / name)
    digests["SHA256SUMS"] = hashlib.sha256(written["SHA256SUMS"]).hexdigest()
    return digests
