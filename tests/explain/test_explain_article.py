"""Explanations of the article's inferred triples, down to the sentences, pinned whole."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from conflict_graph.errors import InputError, NotFound
from conflict_graph.reasoning.explain import Bounds
from conflict_graph.reasoning.explainer import Explainer
from conflict_graph.reasoning.term_syntax import nt
from expected import (
    ALLIANCE_HAS_MEMBER_TNLA,
    HQ_IS_AN_INSTALLATION,
    S06,
    STATED,
    TNLA_IS_AN_ETHNIC_ARMY,
    TNLA_MEMBER_OF_ALLIANCE,
    outline,
)


def test_alliance_has_member_tnla_is_prp_inv1_down_to_sentence_s02(article: Explainer) -> None:
    explanation = article.explain_text("id:org/brotherhood-alliance", "org:hasMember", "id:org/tnla")
    assert outline(explanation.to_json()["tree"]) == ALLIANCE_HAS_MEMBER_TNLA
    assert explanation.root.rule is not None and explanation.root.rule.table.startswith("Table 5")
    assert [(q.sentence_id, q.start, q.end) for q in explanation.quotes] == [("S02", 177, 487)]
    assert not explanation.truncated and explanation.nodes == 3


def test_tnla_is_an_ethnic_army_through_an_all_values_from_restriction(article: Explainer) -> None:
    explanation = article.explain_text("id:org/tnla", "rdf:type", "cg:EthnicArmedOrganization")
    assert outline(explanation.to_json()["tree"]) == TNLA_IS_AN_ETHNIC_ARMY
    assert [q.sentence_id for q in explanation.quotes] == ["S01", "S02"]


def test_every_derivation_of_a_headquarters_being_an_installation(article: Explainer) -> None:
    explanation = article.explain_text("id:site/missile-battalion-606-hq", "rdf:type", "cg:Installation")
    root = explanation.root
    assert root.rule is not None and root.height == 1
    found = {(root.rule.id, tuple(tuple(nt(t) for t in p.triple) for p in root.premises))}
    found |= {(a.rule.id, tuple(tuple(nt(t) for t in p) for p in a.premises)) for a in root.alternatives}
    assert found == HQ_IS_AN_INSTALLATION
    # shortest first, ties by rule id then premises: the Headquarters axiom's cax-sco comes first
    assert (root.derivation, root.rule.id) == (0, "cax-sco")
    assert [(a.index, a.rule.id) for a in root.alternatives] == [(1, "cax-sco"), (2, "prp-dom"), (3, "prp-rng")]
    chosen = article.explain_text("id:site/missile-battalion-606-hq", "rdf:type", "cg:Installation", derivation=0)
    assert chosen.to_json() == explanation.to_json()
    typed = chosen.root.premises[1]
    assert typed.status == "asserted"
    assert [(e.quote.sentence_id if e.quote else None, e.status, e.wording, e.wording_start, e.wording_end,
             (e.quote.start, e.quote.end) if e.quote else None) for e in typed.evidence] == [
        ("S06", STATED, "Missile Battalion 606 headquarters", 1175, 1209, S06)]


def test_an_asserted_triple_explains_itself(article: Explainer) -> None:
    explanation = article.explain_text("id:org/tnla", "org:memberOf", "id:org/brotherhood-alliance")
    assert outline(explanation.to_json()["tree"]) == TNLA_MEMBER_OF_ALLIANCE
    assert explanation.to_json()["status"] == "asserted"


def test_a_claimed_premise_says_so(article: Explainer) -> None:
    explanation = article.explain_text("id:assertion/control/nawnghkio-township-complete", "cg:controller",
                                       "id:org/tnla")
    [evidence] = explanation.root.evidence
    assert (evidence.via, evidence.quote.sentence_id if evidence.quote else None) == ("node", "S06")
    assert evidence.caution == "only claimed by Ta’ang National Liberation Army and allies, not stated by the source"


def test_a_triple_that_is_not_entailed_is_not_found(article: Explainer) -> None:
    with pytest.raises(NotFound, match="is neither asserted nor entailed"):
        article.explain_text("id:org/brotherhood-alliance", "org:hasMember", "id:org/nug")


@pytest.mark.parametrize(("terms", "message"), [
    (("id:org/nobody", "org:hasMember", "id:org/tnla"), "subject: <https://w3id.org/conflict-graph/id/org/nobody> "
                                                       "occurs nowhere in the dataset"),
    (("id:org/tnla", "org:likes", "id:org/tnla"), "predicate: <http://www.w3.org/ns/org#likes> occurs nowhere"),
    (('"TNLA"', "org:memberOf", "id:org/tnla"), "subject: a literal"),
    (("id:org/tnla", '"p"', "id:org/tnla"), "predicate: \"p\" is not an IRI"),
    (("id:org/tnla", "nope:p", "id:org/tnla"), "predicate: <nope:p> occurs nowhere"),
    (("id:org/tnla", "<not an iri>", "id:org/tnla"), "predicate: '<not an iri>' is not an RDF term"),
    (("id:org/tnla", "org:memberOf", '"unterminated'), "object: '\"unterminated' is not an RDF term"),
    (("\x00", "org:memberOf", "id:org/tnla"),  # a control character is named, never printed raw
     "subject: '\\x00' is not an RDF term ('\\x00' "),  # then pyoxigraph's reason
])
def test_bad_terms_are_input_errors(article: Explainer, terms: tuple[str, str, str], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        article.explain_text(*terms)


def test_a_derivation_out_of_range_is_an_input_error(article: Explainer) -> None:
    with pytest.raises(InputError, match="derivation 7 does not exist; this triple has 1 derivation"):
        article.explain_text("id:org/brotherhood-alliance", "org:hasMember", "id:org/tnla", derivation=7)


def test_the_tree_is_bounded(real_build: object, article: Explainer) -> None:
    small = Explainer(article.index, Bounds(max_nodes=2))
    explanation = small.explain_text("id:org/tnla", "rdf:type", "cg:EthnicArmedOrganization")
    assert explanation.truncated
    assert [s.status for s in explanation.steps()].count("cut") >= 1
    assert explanation.nodes <= 2 + 4  # the limit, plus the premises of the last expanded step


def test_literal_objects_parse_in_every_syntax(article: Explainer) -> None:
    forms = ['"Brotherhood"@en', '"Brotherhood"@EN']
    found = {nt(article.explain_text("id:org/brotherhood-alliance", "skos:altLabel", form).triple[2])
             for form in forms}
    assert found == {'"Brotherhood"@en'}
    assert isinstance(article.explain_text("id:org/brotherhood-alliance", "skos:altLabel",
                                           '"Brotherhood"@en').triple[2], ox.Literal)


def test_a_premise_whose_sentence_contradicts_its_fact_says_so(article: Explainer) -> None:
    """cg:statedIn follows from any evidence by its property chain; where the evidence's stance is
    that the sentence contradicts the fact (S05 against "Singu is the first town seized by the
    Mandalay PDF"), the explanation says that sentence is no support for it."""
    source = "irrawaddy-2024-op1027-phase2"
    explanation = article.explain_text(f"id:statement/{source}/singu-first-town-seized-by-mandalay-pdf",
                                       "cg:statedIn", f"id:quote/{source}/s05")
    found, nodes = [], [explanation.root]
    while nodes:
        node = nodes.pop()
        found += [(e.quote.sentence_id if e.quote else None, e.caution) for e in node.evidence]
        nodes += node.premises
    assert ("S05", "read literally, this sentence contradicts the fact: it is no support for it") in found
    assert ("S14", "") in found  # the fact's own sentence, stated
    assert all(caution.startswith("read literally") for sentence, caution in found if sentence == "S05")
