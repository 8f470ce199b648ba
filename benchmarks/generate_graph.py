"""Write a conflict-like graph of about N triples as N-Triples, deterministically (seeded).

Organizations in alliances, events with participants, places in a five-level hierarchy, dates and
labels: enough structure for joins, aggregates, property paths and date filters at any size.

    .venv/bin/python benchmarks/generate_graph.py 1000000 /tmp/gen-1e6.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

NS = "https://example.org/gen/"
CG = "https://w3id.org/conflict-graph/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
EVENT_CLASSES = ("Clash", "Airstrike", "Shelling", "Capture", "Withdrawal", "Ceasefire")
#: Triples one event brings (type, label, date, place, two participants, a source sentence).
PER_EVENT = 7


def _iri(kind: str, number: int) -> str:
    return f"<{NS}{kind}/{number}>"


def triples(target: int, seed: int = 1027) -> Iterator[str]:
    """N-Triples lines, about ``target`` of them (never fewer than a small fixed world)."""
    rng = random.Random(seed)
    events = max(10, target // PER_EVENT)
    organizations = max(5, events // 200)
    alliances = max(1, organizations // 10)
    places = max(10, events // 20)
    for number in range(alliances):
        yield f"{_iri('alliance', number)} {RDF_TYPE} <{CG}Alliance> .\n"
    for number in range(organizations):
        organization = _iri("org", number)
        yield f"{organization} {RDF_TYPE} <{CG}NonStateArmedGroup> .\n"
        yield f'{organization} {LABEL} "Organization {number}"@en .\n'
        yield f"{organization} <{CG}memberOf> {_iri('alliance', number % alliances)} .\n"
    for number in range(places):
        place = _iri("place", number)
        yield f"{place} {RDF_TYPE} <{CG}Place> .\n"
        if number >= 5:  # a tree: every place but the five roots lies in one with a lower number
            yield f"{place} <{CG}locatedIn> {_iri('place', rng.randrange(max(1, number // 5)))} .\n"
    for number in range(events):
        event = _iri("event", number)
        day = 1 + number % 92
        month, day_of_month = (6, day) if day <= 30 else (7, day - 30) if day <= 61 else (8, day - 61)
        yield f"{event} {RDF_TYPE} <{CG}{EVENT_CLASSES[number % len(EVENT_CLASSES)]}> .\n"
        yield f'{event} {LABEL} "Event {number}" .\n'
        yield f'{event} <{CG}date> "2024-{month:02d}-{day_of_month:02d}"^^<{XSD_DATE}> .\n'
        yield f"{event} <{CG}eventPlace> {_iri('place', rng.randrange(places))} .\n"
        first, second = rng.sample(range(organizations), 2)
        yield f"{event} <{CG}participant> {_iri('org', first)} .\n"
        yield f"{event} <{CG}participant> {_iri('org', second)} .\n"
        yield f'{event} <{CG}sentence> "Sentence {number} of a report about event {number}." .\n'


#: Queries over the generated graph: lookup, join, aggregate, path, date filter.
QUERIES: dict[str, str] = {
    "gen lookup": f"SELECT ?p ?o WHERE {{ <{NS}event/42> ?p ?o }}",
    "gen join": f"""PREFIX cg: <{CG}>
SELECT ?event ?org WHERE {{ ?event cg:participant ?org ; cg:eventPlace <{NS}place/7> .
  ?org cg:memberOf <{NS}alliance/0> }}""",
    "gen aggregate": f"""PREFIX cg: <{CG}>
SELECT ?org (COUNT(?event) AS ?n) WHERE {{ ?event cg:participant ?org }}
GROUP BY ?org ORDER BY DESC(?n) ?org LIMIT 20""",
    "gen path": f"PREFIX cg: <{CG}> SELECT ?area WHERE {{ <{NS}place/999> cg:locatedIn+ ?area }}",
    "gen date filter": f"""PREFIX cg: <{CG}> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a cg:Capture ; cg:date ?d .
  FILTER (?d >= "2024-07-01"^^xsd:date && ?d < "2024-07-08"^^xsd:date) }}""",
}


def write(target: int, path: Path, seed: int = 1027) -> int:
    """Write the graph to ``path``; returns the number of triples written."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in triples(target, seed):
            out.write(line)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", type=int, help="about how many triples")
    parser.add_argument("output", type=Path, help="the N-Triples file to write")
    parser.add_argument("--seed", type=int, default=1027)
    args = parser.parse_args(argv)
    print(f"{write(args.triples, args.output, args.seed):,} triples written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
