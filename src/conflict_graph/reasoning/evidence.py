"""From an asserted triple to the named graphs that assert it and the sentences behind it.

The data model (``docs/modelling.md``) gives a triple its evidence in one of three ways:

* a plain triple has a ``cg:TripleStatement`` (``rdf:subject``/``rdf:predicate``/``rdf:object``)
  whose ``cg:evidence`` nodes say where it is stated (``via = "statement"``);
* a triple about an n-ary node (a control assertion, an event, a quantity) shares the evidence
  the node carries itself, ``node cg:evidence e`` (``via = "node"``);
* a background fact names its source document directly, ``x prov:wasDerivedFrom doc``
  (``via = "source"``).

Each ``cg:Evidence`` has ``prov:entity`` (a ``cg:Quote``: one sentence, its id, its verbatim
text and its ``oa:TextPositionSelector`` offsets into the stored source text; or a
``cg:SourceDocument``), ``cg:epistemicStatus``, ``cg:wording`` (verbatim, a substring of the
sentence), optionally ``cg:claimant`` and ``rdfs:comment``. A triple with none of these (an
ontology axiom, say) is explained by its graphs alone.

The build reads this once for the whole dataset (:func:`collect_evidence`, index lookups in a
store of the asserted graphs) and stores every piece of evidence, already resolved, in the
derivation store (:mod:`.store`), keyed by the statement's triple or by the node that carries
it: a server answers from those rows and never opens the quads (:func:`to_row`/:func:`from_row`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .. import iris
from .. import stances as stance_notes
from .term_syntax import Term, Triple
from .terms import to_oxigraph

__all__ = ["CAUTIONS", "EVIDENCE_CLASSES", "EVIDENCE_PREDICATES", "Evidence", "Quote", "collect_evidence",
           "from_row", "sort_key", "to_row"]

_CG = str(iris.CG)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PROV = "http://www.w3.org/ns/prov#"
_OA = "http://www.w3.org/ns/oa#"
_TYPE = ox.NamedNode(_RDF + "type")
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_TRIPLE_STATEMENT = ox.NamedNode(_CG + "TripleStatement")
_EVIDENCE = ox.NamedNode(_CG + "evidence")
_STATUS = ox.NamedNode(_CG + "epistemicStatus")
_WORDING = ox.NamedNode(_CG + "wording")
_CLAIMANT = ox.NamedNode(_CG + "claimant")
_STANCE = ox.NamedNode(_CG + "stance")
_QUOTE = ox.NamedNode(_CG + "Quote")
_SENTENCE_ID = ox.NamedNode(_CG + "sentenceId")
_ENTITY = ox.NamedNode(_PROV + "entity")
_VALUE = ox.NamedNode(_PROV + "value")
_QUOTED_FROM = ox.NamedNode(_PROV + "wasQuotedFrom")
_DERIVED_FROM = ox.NamedNode(_PROV + "wasDerivedFrom")
_SELECTOR = ox.NamedNode(_OA + "hasSelector")
_POSITION = ox.NamedNode(_OA + "TextPositionSelector")
_START, _END = ox.NamedNode(_OA + "start"), ox.NamedNode(_OA + "end")
_SOURCE = ox.NamedNode(_OA + "hasSource")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")

#: The predicates evidence is made of, and the classes its lookups test for (``rdf:type``).
EVIDENCE_PREDICATES = (_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT, _EVIDENCE, _STATUS, _WORDING, _CLAIMANT,
                       _STANCE, _SENTENCE_ID, _ENTITY, _VALUE, _QUOTED_FROM, _DERIVED_FROM, _SELECTOR, _START,
                       _END, _SOURCE, _LABEL, _COMMENT, _PREF_LABEL)
EVIDENCE_CLASSES = (_TRIPLE_STATEMENT, _QUOTE, _POSITION)
#: The one graph of the store :func:`collect_evidence` reads.
_GRAPH = ox.NamedNode(str(iris.ASSERTED_GRAPH))

#: What a reader must be told about a premise, by epistemic status; ``Stated`` and ``Background``
#: need no warning. ``{claimant}`` is filled in when the evidence names one.
CAUTIONS: dict[str, str] = {
    _CG + "Claimed": "only claimed{claimant}, not stated by the source",
    _CG + "Announced": "only announced{claimant}, not stated by the source",
    _CG + "AttributedToActor": "attributed to an actor{claimant}, not stated by the source",
    _CG + "NotYetClaimed": "the source says this has not yet been claimed",
    _CG + "Hedged": "hedged: the source says it only as a possibility",
    _CG + "Implied": "implied by the wording, not said outright",
    _CG + "Evaluative": "the source's own evaluation",
    _CG + "Heading": "only a heading says it",
    _CG + "NameBased": "follows from place names alone",
}


@dataclass(frozen=True)
class Quote:
    """The sentence a piece of evidence points at.

    Attributes:
        iri: the ``cg:Quote``.
        sentence_id: ``S02``, ``H1``.
        text: the sentence, verbatim.
        start, end: code-point offsets of the sentence in the stored source text (``oa:start``,
            ``oa:end``), or None when the quote has no position selector.
        source_text: the ``cg:SourceText`` the offsets index into.
    """

    iri: str
    sentence_id: str
    text: str
    start: int | None
    end: int | None
    source_text: str | None


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for an asserted triple.

    Attributes:
        via: ``statement``, ``node`` or ``source`` (see the module docstring).
        holder: the ``cg:TripleStatement`` or the node that carries the evidence.
        iri: the ``cg:Evidence`` node (None for ``via = "source"``).
        status: the epistemic status IRI, and ``status_label`` its English label.
        caution: what a reader must be told about this status (``only claimed by …``), or ``""``.
        wording: the words of the sentence that say it, verbatim; ``wording_start``/``wording_end``
            their code-point offsets in the source text when they can be located.
        claimants: who claims or announces it, as (IRI, label) pairs.
        comment: the modeller's note (anaphora resolved, …).
        quote: the sentence, or None when the evidence points at a whole document.
        document, document_label: the source document.
    """

    via: str
    holder: str
    iri: str | None
    status: str | None
    status_label: str | None
    caution: str
    wording: str | None
    wording_start: int | None
    wording_end: int | None
    claimants: tuple[tuple[str, str | None], ...]
    comment: str | None
    quote: Quote | None
    document: str | None
    document_label: str | None


def _caution(status: str | None, claimants: tuple[tuple[str, str | None], ...],
             stances: Sequence[str] = ()) -> str:
    """The cautions of an evidence's stance (first: it outweighs the status) and of its status."""
    template = CAUTIONS.get(status or "", "")
    who = " and ".join(label or iri for iri, label in claimants)
    parts = [stance_notes.note(stance) for stance in stances]
    parts.append(template.format(claimant=f" by {who}" if who else ""))
    return "; ".join(part for part in parts if part)



class _Lookup:
    """Index lookups in the union of some graphs of a store."""

    def __init__(self, store: ox.Store, graphs: Sequence[str]) -> None:
        self.store = store
        self.graphs = [ox.NamedNode(g) for g in graphs]

    def objects(self, subject: Term | None, predicate: ox.NamedNode) -> list[Term]:
        """The objects of ``subject predicate ?o``, each once, in a stable order."""
        if subject is None or isinstance(subject, ox.Literal):
            return []
        found = {quad.object for graph in self.graphs
                 for quad in self.store.quads_for_pattern(subject, predicate, None, graph)}
        return sorted((t for t in found if not isinstance(t, ox.Triple)), key=str)

    def has(self, subject: Term, predicate: ox.NamedNode, obj: Term) -> bool:
        return not isinstance(subject, ox.Literal) and any(
            next(iter(self.store.quads_for_pattern(subject, predicate, obj, graph)), None) is not None
            for graph in self.graphs)

    def text(self, subject: Term | None, predicate: ox.NamedNode, language: str | None = None) -> str | None:
        """One literal value (the first in order; with ``language``, one in that language if any)."""
        literals = [t for t in self.objects(subject, predicate) if isinstance(t, ox.Literal)]
        preferred = [t for t in literals if language and (t.language or "").lower().startswith(language)]
        chosen = (preferred or literals)[:1]
        return chosen[0].value if chosen else None

    def integer(self, subject: Term, predicate: ox.NamedNode) -> int | None:
        value = self.text(subject, predicate)
        try:
            return None if value is None else int(value)
        except ValueError:
            return None


def _iri(term: Term | None) -> str | None:
    return None if term is None else str(term.value)


def _quote(lookup: _Lookup, entity: Term) -> Quote | None:
    sentence, text = lookup.text(entity, _SENTENCE_ID), lookup.text(entity, _VALUE)
    if sentence is None or text is None or not lookup.has(entity, _TYPE, _QUOTE):
        return None
    start = end = None
    for selector in lookup.objects(entity, _SELECTOR):
        if lookup.has(selector, _TYPE, _POSITION):
            start, end = lookup.integer(selector, _START), lookup.integer(selector, _END)
            break
    source_text = lookup.objects(entity, _SOURCE)
    return Quote(str(entity.value), sentence, text, start, end, _iri(source_text[0]) if source_text else None)


def _evidence(lookup: _Lookup, via: str, holder: Term, node: Term) -> Evidence:
    entities = lookup.objects(node, _ENTITY)
    quote = _quote(lookup, entities[0]) if entities else None
    if quote is not None:
        documents = lookup.objects(entities[0], _QUOTED_FROM)
        document = _iri(documents[0]) if documents else None
    else:
        document = _iri(entities[0]) if entities else None
    wording = lookup.text(node, _WORDING)
    wording_start = wording_end = None
    if quote is not None and wording and quote.start is not None and wording in quote.text:
        wording_start = quote.start + quote.text.index(wording)
        wording_end = wording_start + len(wording)
    statuses = lookup.objects(node, _STATUS)
    status = _iri(statuses[0]) if statuses else None
    claimants = tuple((str(c.value), lookup.text(c, _PREF_LABEL, "en")) for c in lookup.objects(node, _CLAIMANT))
    return Evidence(
        via=via, holder=str(holder.value), iri=str(node.value), status=status,
        status_label=lookup.text(statuses[0], _PREF_LABEL, "en") if statuses else None,
        caution=_caution(status, claimants, [str(t.value) for t in lookup.objects(node, _STANCE)]),
        wording=wording, wording_start=wording_start,
        wording_end=wording_end, claimants=claimants, comment=lookup.text(node, _COMMENT, "en"),
        quote=quote, document=document,
        document_label=lookup.text(ox.NamedNode(document), _LABEL, "en") if document else None)


def _source(lookup: _Lookup, subject: Term, document: Term) -> Evidence:
    """A background fact's source document (``subject prov:wasDerivedFrom document``)."""
    return Evidence(via="source", holder=str(subject.value), iri=None, status=None, status_label=None,
                    caution="", wording=None, wording_start=None, wording_end=None, claimants=(),
                    comment=None, quote=None, document=_iri(document),
                    document_label=lookup.text(document, _LABEL, "en"))


def sort_key(e: Evidence) -> tuple[int, str, str, str, str, str]:
    """The order evidence is shown in: by sentence position, then status, holder and IRIs."""
    return (e.quote.start if e.quote and e.quote.start is not None else 1 << 62,
            e.quote.sentence_id if e.quote else "", e.status or "", e.holder, e.iri or "", e.document or "")


def _sorted(found: list[Evidence]) -> list[Evidence]:
    return sorted(found, key=sort_key)


def _node_evidence(lookup: _Lookup, node: Term) -> list[Evidence]:
    carried = [_evidence(lookup, "node", node, e) for e in lookup.objects(node, _EVIDENCE)]
    if carried:
        return carried
    return [_source(lookup, node, d) for d in lookup.objects(node, _DERIVED_FROM)]


def _evidence_store(graphs: Iterable[Graph]) -> ox.Store:
    """The triples of ``graphs`` that evidence is made of (:data:`EVIDENCE_PREDICATES`,
    :data:`EVIDENCE_CLASSES`), as one graph of a small store. Terms are converted as the
    derivation store converts them, so blank nodes keep the same labels there and here."""
    rdf_type = URIRef(_TYPE.value)
    patterns = [(None, URIRef(p.value), None) for p in EVIDENCE_PREDICATES]
    patterns += [(None, rdf_type, URIRef(c.value)) for c in EVIDENCE_CLASSES]

    def quads() -> Iterator[ox.Quad]:
        for graph in graphs:
            for pattern in patterns:
                for s, p, o in graph.triples(pattern):  # type: ignore[arg-type]
                    yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), _GRAPH)  # type: ignore[arg-type]

    store = ox.Store()
    store.bulk_extend(quads())
    return store


def collect_evidence(graphs: Iterable[Graph]) -> tuple[
        list[tuple[Triple, Evidence]], list[tuple[ox.NamedNode | ox.BlankNode, Evidence]]]:
    """Every piece of evidence in the union of ``graphs`` (the asserted graphs of a build),
    resolved once, at build time.

    Returns:
        The statements' evidence, as (stated triple, evidence), and the evidence nodes carry
        themselves, as (node, evidence); each list sorted for display within its key.
    """
    store = _evidence_store(graphs)
    lookup = _Lookup(store, (_GRAPH.value,))
    statements: list[tuple[Triple, Evidence]] = []
    holders = {q.subject for g in lookup.graphs
               for q in store.quads_for_pattern(None, _TYPE, _TRIPLE_STATEMENT, g)}
    for holder in sorted(holders, key=str):
        stated = [lookup.objects(holder, term) for term in (_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT)]
        items = _sorted([_evidence(lookup, "statement", holder, e)
                         for e in lookup.objects(holder, _EVIDENCE)])
        statements += [((s, p, o), item) for s in stated[0] for p in stated[1] for o in stated[2]
                       if not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode) for item in items]
    nodes: list[tuple[ox.NamedNode | ox.BlankNode, Evidence]] = []
    carriers = {q.subject for g in lookup.graphs for predicate in (_EVIDENCE, _DERIVED_FROM)
                for q in store.quads_for_pattern(None, predicate, None, g)}
    for node in sorted(carriers, key=str):
        if isinstance(node, ox.NamedNode | ox.BlankNode):
            nodes += [(node, item) for item in _sorted(_node_evidence(lookup, node))]
    return statements, nodes


def to_row(item: Evidence) -> str:
    """One piece of evidence as the JSON text the derivation store keeps."""
    return json.dumps(asdict(item), ensure_ascii=False, separators=(",", ":"))


def from_row(text: str) -> Evidence:
    """The inverse of :func:`to_row`."""
    data = json.loads(text)
    quote = data.pop("quote")
    claimants = tuple((str(iri), label) for iri, label in data.pop("claimants"))
    return Evidence(**data, claimants=claimants, quote=Quote(**quote) if quote else None)

