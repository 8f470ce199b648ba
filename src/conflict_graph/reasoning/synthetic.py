"""Seeded conflict-like graphs in the project's ontology, for differential tests and benchmarks.

:func:`generate` makes about ``size`` asserted triples of the kind the article has, exercising
every axiom family of ``ontology/conflict-graph.ttl``: places in a five-level hierarchy (country,
state or region, district, township, town; ``cg:locatedIn`` is transitive, ``cg:adjacentTo``
symmetric, ``cg:capitalOf`` has an inverse), organisations in alliances (``org:memberOf`` has
an inverse; an alliance of ethnic armies has an ``owl:allValuesFrom`` restriction), military
units and their installations, events of the ontology's event classes, control assertions, and
evidence nodes (the ``cg:evidence``/``prov:entity`` property chain). The same seed and size
always give the same triples; ``prefix`` keeps the IRIs of two generated sources apart while
both hang their places under the same country.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .. import iris

__all__ = ["generate"]

CG = iris.CG
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SYNTHETIC = Namespace(iris.BASE + "id/synthetic/")
COUNTRY = SYNTHETIC["country"]
_LEVELS = (CG.StateOrRegion, CG.District, CG.Township, CG.Town)
_NEW_PARENT = (0.2, 0.2, 0.15, 0.0)  # chance that a new place opens a new parent at each level
_EVENTS = (CG.Attack, CG.Clash, CG.Seizure, CG.Recapture)
_GROUPS = (CG.EthnicArmedOrganization, CG.ResistanceForce)
_UNITS = (CG.MilitaryUnit, CG.Battalion, CG.RegionalMilitaryCommand)
_INSTALLATIONS = (CG.MilitaryBase, CG.Headquarters, CG.MilitaryPosition, CG.PoliceStation)

Triple = tuple[URIRef, URIRef, URIRef | Literal]


class _Generator:
    def __init__(self, seed: int, prefix: str) -> None:
        self.random = random.Random(seed)
        self.prefix = prefix
        self.triples: list[Triple] = []
        self.places: list[list[URIRef]] = [[COUNTRY], [], [], [], []]
        self.capitals: set[URIRef] = set()
        self.alliances: list[URIRef] = []
        self.groups: list[URIRef] = []
        self.units: list[URIRef] = []
        self.installations: list[URIRef] = []
        self.counter = 0

    def node(self, kind: str) -> URIRef:
        self.counter += 1
        return SYNTHETIC[f"{self.prefix}{kind}-{self.counter}"]

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.append((s, p, o))

    def entity(self, kind: str, cls: URIRef) -> URIRef:
        node = self.node(kind)
        self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(f"{kind} {self.counter}", lang="en"))
        return node

    def place(self, level: int) -> URIRef:
        """A new place at ``level`` (1 state … 4 town) under an existing or new parent."""
        parents = self.places[level - 1]
        if level > 1 and (not parents or self.random.random() < _NEW_PARENT[level - 1]):
            parent = self.place(level - 1)
        else:
            parent = self.random.choice(parents)
        node = self.entity("place", _LEVELS[level - 1])
        self.add(node, CG.locatedIn, parent)
        siblings = self.places[level]
        if level == 4:
            if siblings and self.random.random() < 0.5:
                self.add(node, CG.adjacentTo, self.random.choice(siblings))
            if parent not in self.capitals and self.random.random() < 0.3:
                self.capitals.add(parent)
                self.add(node, CG.capitalOf, parent)
        siblings.append(node)
        return node

    def town(self) -> URIRef:
        return self.place(4) if not self.places[4] or self.random.random() < 0.3 else \
            self.random.choice(self.places[4])

    def group(self) -> URIRef:
        if not self.alliances or self.random.random() < 0.1:
            cls = CG.AllianceOfEthnicArmies if self.random.random() < 0.5 else CG.Alliance
            self.alliances.append(self.entity("alliance", cls))
        group = self.entity("group", self.random.choice(_GROUPS))
        alliance = self.random.choice(self.alliances)
        self.add(group, ORG.memberOf, alliance)
        self.add(group, CG.basedIn, self.town())
        self.groups.append(group)
        return group

    def unit(self) -> URIRef:
        unit = self.entity("unit", self.random.choice(_UNITS))
        self.add(unit, CG.unitOf, self.random.choice(self.units) if self.units else SYNTHETIC["junta"])
        self.add(unit, CG.basedIn, self.town())
        self.units.append(unit)
        return unit

    def installation(self) -> URIRef:
        site = self.entity("installation", self.random.choice(_INSTALLATIONS))
        self.add(site, CG.installationOf, self.random.choice(self.units) if self.units else self.unit())
        self.add(site, CG.locatedIn, self.town())
        self.installations.append(site)
        return site

    def evidence(self, subject: URIRef) -> None:
        evidence = self.node("evidence")
        quote = self.node("quote")
        self.add(subject, CG.evidence, evidence)
        self.add(evidence, RDF.type, CG.Evidence)
        self.add(evidence, PROV.entity, quote)
        self.add(quote, RDF.type, CG.Quote)

    def event(self) -> None:
        event = self.entity("event", self.random.choice(_EVENTS))
        self.add(event, CG.perpetrator, self.random.choice(self.groups) if self.groups else self.group())
        self.add(event, CG.target, self.random.choice(self.installations) if self.installations
                 else self.installation())
        self.add(event, CG.eventPlace, self.town())
        self.evidence(event)

    def control(self) -> None:
        assertion = self.entity("control", CG.ControlAssertion)
        self.add(assertion, CG.controller, self.random.choice(self.groups) if self.groups else self.group())
        self.add(assertion, CG.controlledPlace, self.town())
        self.add(assertion, CG.controlLevel, SYNTHETIC[f"level-{self.random.randrange(3)}"])
        self.evidence(assertion)


def generate(size: int, seed: int = 0, prefix: str = "") -> list[Triple]:
    """About ``size`` asserted triples of a conflict-like graph (deterministic for a seed)."""
    generator = _Generator(seed, prefix)
    steps: list[tuple[float, Callable[[], object]]] = [
        (0.25, generator.town), (0.1, generator.group), (0.1, generator.unit),
        (0.1, generator.installation), (0.3, generator.event), (0.15, generator.control)]
    weights = [w for w, _ in steps]
    while len(generator.triples) < size:
        generator.random.choices(steps, weights)[0][1]()
    return generator.triples
