"""``conflict-graph explain`` through the real console script."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from expected import ALLIANCE_HAS_MEMBER_TNLA, ID, outline
from pipeline_support import run_cli

SPEC = "https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules"
TREE = f"""\
<{ID}org/brotherhood-alliance> org:hasMember <{ID}org/tnla>
  inferred by prp-inv1 (a property implies its inverse, reversed, Table 5: the semantics of axioms about properties) from:
    org:memberOf owl:inverseOf org:hasMember
      asserted in <https://w3id.org/conflict-graph/graph/ontology>
    <{ID}org/tnla> org:memberOf <{ID}org/brotherhood-alliance>
      asserted in <https://w3id.org/conflict-graph/graph/source/irrawaddy-2024-op1027-phase2>
      evidence: sentence S02 (stated)
        wording: “The Brotherhood’s Myanmar Nationalities Democratic Alliance Army (MNDAA) and Ta’ang National Liberation Army (TNLA)” [characters 177–292]
        sentence: “The Brotherhood’s Myanmar Nationalities Democratic Alliance Army (MNDAA) and Ta’ang National Liberation Army (TNLA), plus resistance groups including People’s Defense Forces (PDFs) under the civilian National Unity Government (NUG), are attacking the regime in northern Shan State and northern Mandalay Region.” [characters 177–487]
        source: Operation 1027: Major Gains in Phase Two of Myanmar Resistance Offensive (The Irrawaddy) <{ID}source/irrawaddy-2024-op1027-phase2>
        note: "The Brotherhood’s" governs both names.
rules: OWL 2 RL/RDF rule tables, {SPEC}
"""
TRIPLE = ["id:org/brotherhood-alliance", "org:hasMember", f"<{ID}org/tnla>"]


def test_text_tree(real_cache_dir: Path) -> None:
    result = run_cli(["explain", *TRIPLE], real_cache_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == TREE


def test_json_and_turtle(real_cache_dir: Path) -> None:
    data = json.loads(run_cli(["explain", *TRIPLE, "--format", "json"], real_cache_dir).stdout)
    assert outline(data["tree"]) == ALLIANCE_HAS_MEMBER_TNLA
    turtle = run_cli(["explain", *TRIPLE, "--format", "turtle"], real_cache_dir).stdout
    graph = Graph().parse(data=turtle, format="turtle")
    assert URIRef(ID + "quote/irrawaddy-2024-op1027-phase2/s02") in set(graph.objects(None, PROV.wasDerivedFrom))


def test_not_entailed_exits_1_and_bad_input_exits_2(real_cache_dir: Path) -> None:
    missing = run_cli(["explain", "id:org/brotherhood-alliance", "org:hasMember", "id:org/nug"], real_cache_dir)
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines()[-1] == (
        f"conflict-graph: error: <{ID}org/brotherhood-alliance> <http://www.w3.org/ns/org#hasMember> "
        f"<{ID}org/nug> is neither asserted nor entailed under OWL 2 RL (the closure leaves out trivial "
        "triples such as x rdf:type owl:Thing)")
    bad = run_cli(["explain", "id:org/tnla", "org:memberOf", '"unterminated'], real_cache_dir)
    assert bad.returncode == 2
    assert "object: '\"unterminated' is not an RDF term" in bad.stderr
