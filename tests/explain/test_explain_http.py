"""``/explain`` and ``/consistency`` over HTTP on a live server, and the derivations graph over SPARQL."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import pytest
from live_server import LiveServer
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from SPARQLWrapper import JSON, SPARQLWrapper

from expected import ALLIANCE_HAS_MEMBER_TNLA, ARTICLE, ID, ORG, outline

CG = Namespace("https://w3id.org/conflict-graph/ontology#")
SPEC = "https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules"
ALLIANCE, TNLA = f"<{ID}org/brotherhood-alliance>", f"<{ID}org/tnla>"
HAS_MEMBER = {"subject": ALLIANCE, "predicate": "org:hasMember", "object": TNLA}
S02 = URIRef(ID + "quote/irrawaddy-2024-op1027-phase2/s02")


def path(**params: str) -> str:
    return "/explain?" + urlencode(params)


def test_json_answer(explain_server: LiveServer) -> None:
    reply = explain_server.get(path(**HAS_MEMBER))
    assert reply.status == 200 and reply.content_type == "application/json"
    data = reply.json()
    assert isinstance(data, dict)
    assert set(data) == {"triple", "status", "tree", "nodes", "truncated", "limits", "cut", "sentences"}
    assert outline(data["tree"]) == ALLIANCE_HAS_MEMBER_TNLA
    assert data["triple"] == {
        "subject": ALLIANCE, "predicate": f"<{ORG}hasMember>", "object": TNLA,
        "label": f"{ALLIANCE} org:hasMember {TNLA}",
        "explain": path(subject=ALLIANCE, predicate=f"<{ORG}hasMember>", object=TNLA)}
    assert (data["status"], data["nodes"], data["truncated"]) == ("inferred", 3, False)
    assert data["limits"] == {"max_nodes": 500, "max_depth": 40, "max_alternatives": 20, "max_evidence": 20}
    assert data["cut"] == {"steps": 0, "alternatives": 0, "evidence": 0}
    assert data["tree"]["derivation"]["rule"] == {
        "id": "prp-inv1", "name": "a property implies its inverse, reversed",
        "table": "Table 5: the semantics of axioms about properties", "spec": SPEC}
    assert [(s["sentence_id"], s["start"], s["end"]) for s in data["sentences"]] == [("S02", 177, 487)]
    assert reply.headers["Vary"] == "Accept"


def test_bare_and_prefixed_terms_name_the_same_triple(explain_server: LiveServer) -> None:
    bare = explain_server.get(path(subject=ALLIANCE[1:-1], predicate=ORG + "hasMember", object="id:org/tnla"))
    assert bare.status == 200
    assert bare.json() == explain_server.get(path(**HAS_MEMBER)).json()


def test_html_page(explain_server: LiveServer) -> None:
    reply = explain_server.get(path(**HAS_MEMBER), headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/html"
    page = reply.text
    assert f'<a class="cg-rule" href="{SPEC}"><code>prp-inv1</code></a> — a property implies its inverse' in page
    assert ("<mark>The Brotherhood’s Myanmar Nationalities Democratic Alliance Army (MNDAA) and Ta’ang National "
            "Liberation Army (TNLA)</mark>, plus resistance groups") in page
    assert "<strong>Sentence S02</strong>" in page
    assert "characters 177–487" in page and "(wording 177–292)" in page
    assert "Operation 1027: Major Gains in Phase Two of Myanmar Resistance Offensive (The Irrawaddy)" in page
    canonical = path(subject=ALLIANCE, predicate=f"<{ORG}hasMember>", object=TNLA)
    assert f'<a href="{canonical.replace("&", "&amp;")}&amp;format=json">JSON</a>' in page
    assert explain_server.get(canonical + "&format=json").json() == explain_server.get(path(**HAS_MEMBER)).json()
    assert f'href="{path(subject=f"<{ORG}memberOf>", predicate="<http://www.w3.org/2002/07/owl#inverseOf>", object=f"<{ORG}hasMember>")}"'.replace("&", "&amp;") in page


def _triple_iri(s: str, p: str, o: str) -> URIRef:
    return URIRef(ID + "triple/" + hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:32])


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                             ("application/n-triples", "nt")])
def test_rdf_answer_in_prov_o(explain_server: LiveServer, accept: str, fmt: str) -> None:
    reply = explain_server.get(path(**HAS_MEMBER), headers={"Accept": accept})
    assert reply.status == 200 and reply.content_type == accept
    graph = Graph().parse(data=reply.body, format=fmt)
    root = _triple_iri(ALLIANCE, f"<{ORG}hasMember>", TNLA)
    asserted = _triple_iri(TNLA, f"<{ORG}memberOf>", ALLIANCE)
    axiom = _triple_iri(f"<{ORG}memberOf>", "<http://www.w3.org/2002/07/owl#inverseOf>", f"<{ORG}hasMember>")
    assert (root, RDF.subject, URIRef(ALLIANCE[1:-1])) in graph
    derivation = URIRef(f"{ID}derivation/{root.rsplit('/', 1)[1]}/0")
    assert set(graph.objects(root, PROV.qualifiedDerivation)) == {derivation}
    assert set(graph.objects(derivation, DCTERMS.identifier)) == {Literal("prp-inv1")}
    assert set(graph.objects(derivation, DCTERMS.conformsTo)) == {URIRef(SPEC)}
    assert set(graph.objects(derivation, PROV.entity)) == {axiom, asserted}
    assert set(graph.objects(root, PROV.wasDerivedFrom)) == {axiom, asserted}
    assert set(graph.objects(asserted, PROV.wasDerivedFrom)) == {S02}
    assert set(graph.objects(asserted, DCTERMS.isPartOf)) == {URIRef(ARTICLE)}
    assert set(graph.objects(asserted, CG.evidence)) == {
        URIRef(ID + "statement/irrawaddy-2024-op1027-phase2/tnla-member-of-brotherhood/evidence/s02-stated")}


@pytest.mark.parametrize(("params", "status", "message"), [
    ({**HAS_MEMBER, "object": f"<{ID}org/nug>"}, 404, "is neither asserted nor entailed"),
    ({**HAS_MEMBER, "subject": "id:org/nobody"}, 400, "subject: <https://w3id.org/conflict-graph/id/org/nobody> "
                                                      "occurs nowhere in the dataset"),
    ({**HAS_MEMBER, "object": '"unterminated'}, 400, "object: '\"unterminated' is not an RDF term"),
    ({"subject": ALLIANCE, "predicate": "org:hasMember"}, 400, "parameter 'object' is missing"),
    ({**HAS_MEMBER, "derivation": "first"}, 400, "parameter 'derivation' must be a whole number"),
    ({**HAS_MEMBER, "derivation": "3"}, 400, "derivation 3 does not exist; this triple has 1 derivation(s)"),
    ({**HAS_MEMBER, "format": "csv"}, 400, "unknown format 'csv'"),
])
def test_errors_name_the_problem(explain_server: LiveServer, params: dict[str, str], status: int,
                                 message: str) -> None:
    reply = explain_server.get(path(**params), headers={"Accept": "application/json"})
    assert reply.status == status
    body = reply.json()
    assert isinstance(body, dict) and body["status"] == status and message in body["error"]


def test_a_repeated_parameter_is_refused(explain_server: LiveServer) -> None:
    reply = explain_server.get(path(**HAS_MEMBER) + "&subject=id:org/tnla")
    assert reply.status == 400 and "parameter 'subject' is given 2 times" in reply.text


def test_an_unacceptable_media_type_is_406(explain_server: LiveServer) -> None:
    reply = explain_server.get(path(**HAS_MEMBER), headers={"Accept": "image/png"})
    assert reply.status == 406 and "available: application/json, text/html" in reply.text


def test_consistency_of_the_article(explain_server: LiveServer) -> None:
    reply = explain_server.get("/consistency")
    assert reply.status == 200 and reply.content_type == "application/json"
    assert reply.json() == {
        "consistent": True, "inconsistencies": [], "shacl": [], "sentences": [],
        "summary": "Conforms: the data satisfies every SHACL shape.\n"
                   "OWL 2 RL: consistent (no rule of the closure concludes false)."}
    page = explain_server.get("/consistency", headers={"Accept": "text/html"})
    assert page.status == 200 and "<h1>Consistency report</h1>" in page.text


def _select(server: LiveServer, query: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""


def test_the_derivation_of_a_result_row_is_queryable(explain_server: LiveServer) -> None:
    rows = _select(explain_server, PREFIXES + f"""
        SELECT ?rule ?s ?p ?o WHERE {{
          {ALLIANCE} org:hasMember ?member .
          GRAPH <https://w3id.org/conflict-graph/graph/derivations> {{
            ?t rdf:subject {ALLIANCE} ; rdf:predicate org:hasMember ; rdf:object ?member ;
               prov:qualifiedDerivation ?d .
            ?d dct:identifier ?rule ; prov:entity [ rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ] }}
          FILTER(?member = {TNLA})
        }} ORDER BY ?s""")
    assert rows == [
        {"rule": "prp-inv1", "s": ORG + "memberOf", "p": "http://www.w3.org/2002/07/owl#inverseOf",
         "o": ORG + "hasMember"},
        {"rule": "prp-inv1", "s": ID + "org/tnla", "p": ORG + "memberOf", "o": ID + "org/brotherhood-alliance"},
    ]


def test_the_derivations_graph_is_not_in_the_default_graph(explain_server: LiveServer) -> None:
    rows = _select(explain_server, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?d dct:identifier ?rule ; "
                                              "a prov:Derivation }")
    assert rows == [{"n": "0"}]
    graphs = _select(explain_server, PREFIXES + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a prov:Derivation ; dct:identifier ?rule } }")
    assert graphs == [{"g": "https://w3id.org/conflict-graph/graph/derivations"}]
