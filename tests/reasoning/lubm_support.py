"""LUBM(1,0) (benchmarks/data/lubm) as an rdflib dataset: the ontology graph and one data graph."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from rdflib import Dataset, URIRef

from conflict_graph import iris

LUBM = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "lubm"
DATA_GRAPH = URIRef("https://example.org/lubm/University0")


def lines(departments: tuple[int, ...] | None = None) -> list[str]:
    """The N-Triples lines of LUBM(1,0); with ``departments``, only the triples that mention no
    other department (a deterministic slice: each department is a fifteenth of the data)."""
    text = gzip.decompress((LUBM / "lubm1.nt.gz").read_bytes()).decode("utf-8")
    if departments is None:
        return text.splitlines()
    kept = []
    for line in text.splitlines():
        mentioned = {int(n) for n in re.findall(r"www\.Department(\d+)\.", line)}
        if mentioned <= set(departments):
            kept.append(line)
    return kept


def load(departments: tuple[int, ...] | None = None) -> Dataset:
    dataset = Dataset()
    dataset.graph(iris.ONTOLOGY_GRAPH).parse(LUBM / "univ-bench.ttl", format="turtle")
    dataset.graph(DATA_GRAPH).parse(data="\n".join(lines(departments)), format="nt")
    return dataset
