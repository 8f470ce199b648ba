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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pyoxigraph as ox

from .. import iris
from .term_syntax import Term, Triple, nt

__all__ = ["CAUTIONS", "Evidence", "Quote", "evidence_for", "node_evidence"]

_CG = str(iris.CG)
_EVIDENCE = ox.NamedNode(_CG + "evidence")
_DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#" + n)
                                             for n in ("subject", "predicate", "object"))

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

_STATEMENT = """{ ?holder a cg:TripleStatement ; rdf:subject ?tripleS ; rdf:predicate ?tripleP ; rdf:object ?tripleO ;
              cg:evidence ?evidence .
      BIND("statement" AS ?via) }"""
_QUERY = """
PREFIX cg: <https://w3id.org/conflict-graph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT $projection ?via ?holder ?evidence ?status ?statusLabel ?wording ?claimant ?claimantLabel ?comment
       ?entity ?sentence ?text ?start ?end ?sourceText ?quotedFrom WHERE {
  {
    $statement
    UNION
    { ?tripleS cg:evidence ?evidence . BIND("node" AS ?via) }
    OPTIONAL { ?evidence cg:epistemicStatus ?status
               OPTIONAL { ?status skos:prefLabel ?statusLabel FILTER(LANGMATCHES(LANG(?statusLabel), "en")) } }
    OPTIONAL { ?evidence cg:wording ?wording }
    OPTIONAL { ?evidence cg:claimant ?claimant OPTIONAL { ?claimant skos:prefLabel ?claimantLabel } }
    OPTIONAL { ?evidence rdfs:comment ?comment }
    OPTIONAL { ?evidence prov:entity ?entity
               OPTIONAL { ?entity a cg:Quote ; cg:sentenceId ?sentence ; prov:value ?text .
                          OPTIONAL { ?entity oa:hasSelector ?selector .
                                     ?selector a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
                          OPTIONAL { ?entity oa:hasSource ?sourceText }
                          OPTIONAL { ?entity prov:wasQuotedFrom ?quotedFrom } } }
  }
  UNION
  { ?tripleS prov:wasDerivedFrom ?entity . FILTER NOT EXISTS { ?tripleS cg:evidence ?any2 }
    BIND("source" AS ?via) }
}
"""


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


def _value(solution: ox.QuerySolution, name: str) -> str | None:
    term = solution[name]
    return None if term is None else str(term.value)


def _integer(solution: ox.QuerySolution, name: str) -> int | None:
    text = _value(solution, name)
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _caution(status: str | None, claimants: tuple[tuple[str, str | None], ...]) -> str:
    template = CAUTIONS.get(status or "", "")
    who = " and ".join(label or iri for iri, label in claimants)
    return template.format(claimant=f" by {who}" if who else "")


def _evidence(solution: ox.QuerySolution, subject: Term) -> Evidence:
    quote = None
    if solution["sentence"] is not None:
        quote = Quote(_value(solution, "entity") or "", _value(solution, "sentence") or "",
                      _value(solution, "text") or "", _integer(solution, "start"),
                      _integer(solution, "end"), _value(solution, "sourceText"))
    wording = _value(solution, "wording")
    wording_start = wording_end = None
    if quote is not None and wording and quote.start is not None and wording in quote.text:
        wording_start = quote.start + quote.text.index(wording)
        wording_end = wording_start + len(wording)
    claimant = _value(solution, "claimant")
    claimants = ((claimant, _value(solution, "claimantLabel")),) if claimant else ()
    return Evidence(
        via=_value(solution, "via") or "", holder=_value(solution, "holder") or str(subject.value),
        iri=_value(solution, "evidence"), status=_value(solution, "status"),
        status_label=_value(solution, "statusLabel"), caution="", wording=wording,
        wording_start=wording_start, wording_end=wording_end, claimants=claimants,
        comment=_value(solution, "comment"), quote=quote,
        document=_value(solution, "quotedFrom") if quote is not None else _value(solution, "entity"),
        document_label=None,
    )


def _run(store: ox.Store, text: str, graphs: Sequence[str], terms: dict[str, Term]) -> list[Evidence]:
    """Run the evidence query for ``terms`` (``tripleS``, ``tripleP``, ``tripleO``).

    IRIs and literals are written into the query as constants, which the query planner uses as
    such; a blank node cannot be written into a query, so a triple with one is bound by SEP-0007
    substitution instead (slower: the pattern is matched first, then joined)."""
    substitutions: dict[ox.Variable, Term | ox.Triple] = {}
    for name, term in terms.items():
        if isinstance(term, ox.BlankNode):
            substitutions[ox.Variable(name)] = term
        else:
            text = re.sub(rf"\?{name}\b", lambda _: nt(term), text)
    # SEP-0007 asks a substituted variable to be projected
    text = text.replace("$projection", " ".join(f"?{v.value}" for v in substitutions))
    result = store.query(text, default_graph=[ox.NamedNode(g) for g in graphs],
                         substitutions=substitutions or None)
    assert isinstance(result, ox.QuerySolutions)
    unique: dict[tuple[str, str | None, str | None], Evidence] = {}
    for solution in result:
        item = _evidence(solution, terms["tripleS"])
        key = (item.holder, item.iri, item.document)
        if key in unique:
            seen = unique[key]
            claimants = tuple(sorted(set(seen.claimants) | set(item.claimants)))
            item = replace(seen if seen.quote is not None else item, claimants=claimants)
        unique[key] = item
    found = [replace(e, caution=_caution(e.status, e.claimants), document_label=_label(store, e.document))
             for e in unique.values()]
    return sorted(found, key=lambda e: (
        e.quote.start if e.quote and e.quote.start is not None else 1 << 62,
        e.quote.sentence_id if e.quote else "", e.status or "", e.holder, e.iri or ""))


def _label(store: ox.Store, iri: str | None) -> str | None:
    """A document's ``rdfs:label`` (looked up here: in the query, an unbound document would match
    every label of the dataset)."""
    if not iri:
        return None
    labels = sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), _LABEL, None, None)
                    if isinstance(q.object, ox.Literal))
    return labels[0] if labels else None


def _has(store: ox.Store, s: Term | ox.Triple, p: Term, o: Term | None = None) -> bool:
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        return False
    return next(iter(store.quads_for_pattern(s, p, o, None)), None) is not None


def _may_have_evidence(store: ox.Store, triple: Triple) -> bool:
    """A cheap check, by index lookups, that the evidence query can find anything at all (most
    premises of an explanation are ontology axioms, which have none)."""
    s, p, o = triple
    if _has(store, s, _EVIDENCE) or _has(store, s, _DERIVED_FROM):
        return True
    return any(_has(store, quad.subject, _RDF_PREDICATE, p) and _has(store, quad.subject, _RDF_OBJECT, o)
               for quad in store.quads_for_pattern(None, _RDF_SUBJECT, s, None))


def evidence_for(store: ox.Store, triple: Triple, graphs: Sequence[str]) -> list[Evidence]:
    """The evidence of ``triple`` in the union of ``graphs`` (the asserted graphs), one entry per
    evidence node, sorted by sentence position then status.

    At most one SPARQL query over ``store``; a literal subject has no evidence.
    """
    s, p, o = triple
    if isinstance(s, ox.Literal) or not _may_have_evidence(store, triple):
        return []
    return _run(store, _QUERY.replace("$statement", _STATEMENT), graphs,
                {"tripleS": s, "tripleP": p, "tripleO": o})


def node_evidence(store: ox.Store, node: ox.NamedNode | ox.BlankNode, graphs: Sequence[str]) -> list[Evidence]:
    """The evidence a node carries itself (``cg:evidence`` or ``prov:wasDerivedFrom``): what a
    SHACL result about that focus node traces back to."""
    if not (_has(store, node, _EVIDENCE) or _has(store, node, _DERIVED_FROM)):
        return []
    return _run(store, _QUERY.replace("$statement", "{ FILTER(false) }"), graphs, {"tripleS": node})
