"""What the graph says about one resource, and on what evidence.

A :class:`Description` holds every triple with the resource as subject (outgoing) or object
(incoming), each a :class:`Statement` marked by where it comes from:

* ``inferred``: only in ``…/graph/inferred`` (the OWL 2 RL closure);
* ``stated``, ``claimed``, ``background``: asserted, and the sentences behind it (its
  ``cg:TripleStatement`` evidence) say so in the article's own voice (stated, evaluative,
  implied), attribute it to an actor or hedge it (claimed, announced, not yet claimed, hedged,
  heading), or take it from outside the article (background, name-based);
* a part of an n-ary fact (a ``cg:`` property of a control assertion, an event, a quantity)
  without evidence of its own takes the marking of the fact's ``cg:epistemicStatus``;
* ``asserted``: asserted with no evidence (labels, types, comments);
* ``reported``: not asserted at all: a claim or hedge the article reports, kept only as a
  ``cg:TripleStatement`` (docs/modelling.md, "Claims are never facts").

Three SELECT queries, each with a ``LIMIT``: outgoing, incoming, evidence. The reification
links of ``cg:TripleStatement`` nodes (``rdf:subject``/``rdf:object``) are not listed as
incoming links: they are the evidence shown on each statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import iris
from .reader import Reader
from .terms import Term, compact

__all__ = ["Description", "Evidence", "Statement", "describe", "marking_of"]

CG = str(iris.CG)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: Epistemic statuses, strongest first (docs/modelling.md), and the marking each gives.
STATUS_ORDER: tuple[tuple[str, str], ...] = (
    (CG + "Stated", "stated"), (CG + "Evaluative", "stated"), (CG + "Implied", "stated"),
    (CG + "Claimed", "claimed"), (CG + "Announced", "claimed"), (CG + "AttributedToActor", "claimed"),
    (CG + "NotYetClaimed", "claimed"), (CG + "Hedged", "claimed"), (CG + "Heading", "claimed"),
    (CG + "Background", "background"), (CG + "NameBased", "background"),
)
_RANK = {iri: rank for rank, (iri, _) in enumerate(STATUS_ORDER)}
_STATUS = CG + "epistemicStatus"
#: ``cg:`` properties of an n-ary fact that are about its evidence or its modelling, not its parts.
_NOT_PARTS = frozenset({_STATUS, CG + "evidence", CG + "timeNote", CG + "statedIn"})
_MARK = dict(STATUS_ORDER)


@dataclass(frozen=True)
class Evidence:
    """One sentence behind a statement: its quote, the way it says it, and its wording."""

    quote: str
    sentence_id: str
    status: str
    status_label: str
    wording: str | None
    document: str | None
    comment: str | None = None
    stance: str | None = None  # cg:Overstates, cg:Weakens or cg:Contradicts: it does not support it

    @property
    def anchor(self) -> str:
        """The sentence's anchor on its source page (``s06``): the quote IRI's last segment."""
        return self.quote.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Statement:
    """One triple about the resource, with where it comes from and its evidence."""

    subject: Term
    predicate: Term
    object: Term
    labels: dict[str, str] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    about_event: bool = False
    fact_status: str | None = None

    @property
    def key(self) -> tuple[Term, Term, Term]:
        return self.subject, self.predicate, self.object

    @property
    def inferred(self) -> bool:
        return bool(self.graphs) and self.graphs <= {str(iris.INFERRED_GRAPH)}

    @property
    def marking(self) -> str:
        """``inferred``, ``stated``, ``claimed``, ``background``, ``asserted`` or ``reported``."""
        if not self.graphs:
            return "reported"
        if self.inferred:
            return "inferred"
        own = [e.status for e in self.evidence]
        return marking_of(own or ([self.fact_status] if self.fact_status else [])) or "asserted"

    def label(self, role: str) -> str:
        """A human label for ``subject``, ``predicate`` or ``object`` (the IRI if none)."""
        term: Term = getattr(self, role)
        return self.labels.get(role) or term.value


def marking_of(statuses: Iterable[str]) -> str | None:
    """The marking of the strongest status among ``statuses`` (None when there is none)."""
    known = [s for s in statuses if s in _RANK]
    return _MARK[min(known, key=_RANK.__getitem__)] if known else None


@dataclass
class Description:
    """Everything a page about one resource shows."""

    iri: str
    outgoing: list[Statement]
    incoming: list[Statement]
    evidence: list[Evidence]
    limit: int
    outgoing_truncated: bool
    incoming_truncated: bool

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming or self.evidence)

    def values(self, predicate: str) -> list[Statement]:
        """Outgoing statements with this predicate."""
        return [s for s in self.outgoing if s.predicate.value == predicate]

    def first_literal(self, *predicates: str) -> str | None:
        for predicate in predicates:
            for statement in self.values(predicate):
                if statement.object.is_literal and statement.object.lang in (None, "en"):
                    return statement.object.value
        return None

    @property
    def label(self) -> str:
        return self.first_literal(SKOS_PREF_LABEL, RDFS_LABEL) or self.iri

    @property
    def types(self) -> list[Statement]:
        return self.values(RDF_TYPE)

    def type_iris(self) -> set[str]:
        return {s.object.value for s in self.types}

    @property
    def status(self) -> Statement | None:
        """The overall ``cg:epistemicStatus`` of an n-ary fact (control assertion, event)."""
        found = self.values(CG + "epistemicStatus")
        return found[0] if found else None


_LABEL = """OPTIONAL {{ {var} skos:prefLabel ?{name}_pref FILTER(LANG(?{name}_pref) IN ("en", "")) }}
  OPTIONAL {{ {var} rdfs:label ?{name}_rdfs FILTER(LANG(?{name}_rdfs) IN ("en", "")) }}"""


#: The parts of one ``cg:Evidence`` node ``?e``: its quote, status (and label), wording, source.
_EVIDENCE = """?e prov:entity ?quote ; cg:epistemicStatus ?status .
  OPTIONAL { ?e cg:wording ?wording } OPTIONAL { ?e rdfs:comment ?comment }
  OPTIONAL { ?e cg:stance ?stance FILTER(?stance != cg:Supports) }
  OPTIONAL { ?quote cg:sentenceId ?sid } OPTIONAL { ?quote prov:wasQuotedFrom ?doc }
  OPTIONAL { ?status skos:prefLabel ?stl_pref } OPTIONAL { ?status rdfs:label ?stl_rdfs }"""


_OWL = "http://www.w3.org/2002/07/owl#"
#: OWL 2 restriction properties (OWL 2 Mapping to RDF Graphs, Table 14) and how a page reads them.
_RESTRICTIONS = {"someValuesFrom": "some values of {p} from {c}",
                 "allValuesFrom": "all values of {p} from {c}", "hasValue": "{p} has value {c}"}
_RESTRICTION = "OPTIONAL {{ FILTER(isBlank({var})) {var} <" + _OWL + "onProperty> ?{name}_on_v . " + " ".join(
    f"OPTIONAL {{{{ {{var}} <{_OWL}{kind}> ?{{name}}_{kind}_v }}}}" for kind in _RESTRICTIONS) + " }}"


def _restriction_samples(name: str) -> str:
    return " ".join(f"(SAMPLE(?{name}_{part}_v) AS ?{name}_{part})" for part in ("on", *_RESTRICTIONS))


def _restriction_text(row: dict[str, Term], name: str) -> str | None:
    """An OWL restriction (a blank node) read aloud: ``some values of org:memberOf from cg:Alliance``."""
    if f"{name}_on" not in row:
        return None
    for kind, wording in _RESTRICTIONS.items():
        if f"{name}_{kind}" in row:
            return wording.format(p=compact(row[f"{name}_on"].value), c=compact(row[f"{name}_{kind}"].value))
    return f"a restriction on {compact(row[f'{name}_on'].value)}"


def _label(var: str, name: str) -> str:
    return _LABEL.format(var=var, name=name)


def _sample(name: str) -> str:
    return f"(SAMPLE(COALESCE(?{name}_pref, ?{name}_rdfs)) AS ?{name})"


def describe(reader: Reader, iri: str, limit: int) -> Description:
    """Read what the graph says about ``iri``: at most ``limit`` outgoing and ``limit`` incoming
    triples (``outgoing_truncated``/``incoming_truncated`` say when there were more), and their
    evidence sentences (at most ``4 * limit``; the resource's own, at most ``limit``).

    Raises:
        QueryError (and subclasses): from the query service (time limit, busy, ...).
    """
    node = f"<{iri}>"
    shapes = f"<{iris.SHAPES_GRAPH}>"
    outgoing_rows = reader.select(f"""
SELECT ?p ?o ?g {_sample("pl")} {_sample("ol")} {_restriction_samples("or")} WHERE {{
  GRAPH ?g {{ {node} ?p ?o }} FILTER(?g != {shapes})
  {_label("?p", "pl")}
  {_label("?o", "ol")}
  {_RESTRICTION.format(var="?o", name="or")}
}} GROUP BY ?p ?o ?g ORDER BY ?p ?o LIMIT {limit + 1}""")
    incoming_rows = reader.select(f"""
SELECT ?s ?p ?g ?event {_sample("pl")} {_sample("sl")} WHERE {{
  GRAPH ?g {{ ?s ?p {node} }} FILTER(?g != {shapes} && ?p NOT IN (rdf:subject, rdf:object))
  BIND(EXISTS {{ ?s a cg:Event }} AS ?event)
  {_label("?p", "pl")}
  {_label("?s", "sl")}
}} GROUP BY ?s ?p ?g ?event ORDER BY ?p ?s LIMIT {limit + 1}""")
    evidence_rows = reader.select(f"""
SELECT ?s ?p ?o ?quote ?sid ?status ?wording ?doc ?comment ?stance
       {_sample("sl")} {_sample("pl")} {_sample("ol")} {_sample("stl")} WHERE {{
  {{ ?stmt rdf:subject {node} }} UNION {{ ?stmt rdf:object {node} }}
  ?stmt a cg:TripleStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; cg:evidence ?e .
  {_EVIDENCE}
  {_label("?s", "sl")}
  {_label("?p", "pl")}
  {_label("?o", "ol")}
}} GROUP BY ?s ?p ?o ?quote ?sid ?status ?wording ?doc ?comment ?stance
ORDER BY ?sid LIMIT {4 * limit}""")
    own_rows = reader.select(f"""
SELECT ?quote ?sid ?status ?wording ?doc ?comment ?stance {_sample("stl")} WHERE {{
  {node} cg:evidence ?e .
  {_EVIDENCE}
}} GROUP BY ?quote ?sid ?status ?wording ?doc ?comment ?stance ORDER BY ?sid LIMIT {limit}""")
    subject = Term("uri", iri)
    outgoing = _statements(
        (subject, row["p"], row["o"], row, {"predicate": "pl", "object": "ol"})
        for row in outgoing_rows[:limit])
    for row in outgoing_rows[:limit]:
        readable = _restriction_text(row, "or")
        if readable is not None:
            outgoing[(subject, row["p"], row["o"])].labels["object"] = readable
    incoming = _statements(
        (row["s"], row["p"], subject, row, {"predicate": "pl", "subject": "sl"})
        for row in incoming_rows[:limit])
    own_evidence = [_evidence(row) for row in own_rows]
    outgoing_cut, incoming_cut = len(outgoing_rows) > limit, len(incoming_rows) > limit
    for row in evidence_rows:
        evidence = _evidence(row)
        key = (row["s"], row["p"], row["o"])
        is_outgoing = row["s"].value == iri
        table = outgoing if is_outgoing else incoming
        statement = table.get(key)
        if statement is None and (outgoing_cut if is_outgoing else incoming_cut):
            continue  # past the limit: asserted or not, it is not shown
        if statement is None:  # reported only: the article says it, the graph does not assert it
            statement = table[key] = Statement(*key)
            statement.labels = _labels(row, {"subject": "sl", "predicate": "pl", "object": "ol"})
        if evidence not in statement.evidence:
            statement.evidence.append(evidence)
    status = next((s.object.value for s in outgoing.values() if s.predicate.value == _STATUS), None)
    if status is not None:
        for statement in outgoing.values():
            if statement.predicate.value.startswith(CG) and statement.predicate.value not in _NOT_PARTS:
                statement.fact_status = status
    return Description(iri, list(outgoing.values()), list(incoming.values()), own_evidence, limit,
                       outgoing_cut, incoming_cut)


def _labels(row: dict[str, Term], names: dict[str, str]) -> dict[str, str]:
    return {role: row[name].value for role, name in names.items() if name in row}


def _statements(rows: Iterable[tuple[Term, Term, Term, dict[str, Term], dict[str, str]]]
                ) -> dict[tuple[Term, Term, Term], Statement]:
    found: dict[tuple[Term, Term, Term], Statement] = {}
    for subject, predicate, obj, row, names in rows:
        statement = found.get((subject, predicate, obj))
        if statement is None:
            statement = Statement(subject, predicate, obj, _labels(row, names))
            found[(subject, predicate, obj)] = statement
        statement.graphs.add(row["g"].value)
        if "event" in row and row["event"].value in ("true", "1"):
            statement.about_event = True
    return found


def _evidence(row: dict[str, Term]) -> Evidence:
    def text(name: str) -> str | None:
        return row[name].value if name in row else None

    status = row["status"].value
    return Evidence(row["quote"].value, text("sid") or row["quote"].value.rsplit("/", 1)[-1], status,
                    text("stl") or status.rsplit("#", 1)[-1], text("wording"), text("doc"), text("comment"),
                    text("stance"))
