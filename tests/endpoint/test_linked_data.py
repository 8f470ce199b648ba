"""Every project IRI resolves on ``conflict-graph serve``: content negotiation with plain HTTP,
the RDF of an IRI against ``DESCRIBE`` on ``/sparql``, and what the HTML pages say.

Expected answers come from the data files, read here with rdflib, or are pinned from the article.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from live_server import LiveServer, Reply
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

REPO = Path(__file__).resolve().parents[2]
FACTS = REPO / "data" / "ttl" / "source" / "irrawaddy-2024-op1027-phase2" / "facts.ttl"
BASE = "https://w3id.org/conflict-graph/"
CG = Namespace(BASE + "ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
LASHIO = BASE + "id/place/town/lashio"
SOURCE = "/id/source/irrawaddy-2024-op1027-phase2"
FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
           "application/rdf+xml": "xml"}
SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
            ".rdf": "application/rdf+xml"}


@pytest.fixture(scope="module")
def facts() -> Graph:
    return Graph().parse(FACTS, format="turtle")


def parse(reply: Reply, media_type: str) -> Graph:
    assert reply.status == 200, reply.text
    assert reply.content_type == media_type
    return Graph().parse(data=reply.body, format=FORMATS[media_type])


def describe(server: LiveServer, iri: str, media_type: str) -> Graph:
    reply = server.request("POST", "/sparql", body=f"DESCRIBE <{iri}>",
                           headers={"Content-Type": "application/sparql-query", "Accept": media_type})
    return parse(reply, media_type)


@pytest.mark.parametrize("media_type", list(FORMATS))
@pytest.mark.parametrize("path", ["/id/place/town/lashio", "/id/org/mndaa",
                                  "/id/assertion/control/nawnghkio-township-complete",
                                  "/id/quote/irrawaddy-2024-op1027-phase2/s06"])
def test_rdf_of_an_iri_is_its_describe(embedded_server: LiveServer, path: str, media_type: str) -> None:
    reply = embedded_server.get(path, headers={"Accept": media_type})
    served = parse(reply, media_type)
    assert len(served) > 0
    assert isomorphic(served, describe(embedded_server, BASE + path.lstrip("/"), media_type))
    assert "Accept" in reply.headers["Vary"]
    suffix = next(s for s, m in SUFFIXES.items() if m == media_type)
    assert reply.headers["Content-Location"] == path + suffix


def test_rdf_holds_asserted_and_inferred_triples(embedded_server: LiveServer) -> None:
    graph = parse(embedded_server.get("/id/place/town/lashio.ttl"), "text/turtle")
    lashio = URIRef(LASHIO)
    assert (lashio, CG.capitalOf, URIRef(BASE + "id/place/region/northern-shan-state")) in graph
    assert (lashio, CG.locatedIn, URIRef(BASE + "id/place/country/myanmar")) in graph  # inferred


@pytest.mark.parametrize(("suffix", "media_type"), list(SUFFIXES.items()))
def test_suffix_chooses_the_format_whatever_accept_says(embedded_server: LiveServer, suffix: str,
                                                        media_type: str) -> None:
    reply = embedded_server.get("/id/org/mndaa" + suffix, headers={"Accept": "text/html"})
    graph = parse(reply, media_type)
    assert isomorphic(graph, describe(embedded_server, BASE + "id/org/mndaa", media_type))


def test_a_browser_gets_html_with_alternates(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/id/org/mndaa", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/html"
    assert "Accept" in reply.headers["Vary"]
    links = reply.headers["Link"]
    for suffix, media_type in SUFFIXES.items():
        alternate = (rf'<http://[^>]+/id/org/mndaa{re.escape(suffix)}>; rel="alternate"; '
                     rf'type="{re.escape(media_type)}"')
        assert re.search(alternate, links), links
    assert f'<{BASE}id/org/mndaa>; rel="canonical"' in links
    assert "Myanmar Nationalities Democratic Alliance Army" in reply.text


def test_q_values_are_honoured(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/id/org/mndaa", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert reply.content_type == "text/turtle"


def test_unacceptable_is_406(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/id/org/mndaa", headers={"Accept": "application/pdf"})
    assert reply.status == 406
    assert "text/turtle" in reply.text


def test_unknown_iri_is_a_helpful_404(embedded_server: LiveServer) -> None:
    page = embedded_server.get("/id/place/town/lashi0", headers={"Accept": "text/html"})
    assert page.status == 404 and page.content_type == "text/html"
    assert f"{BASE}id/place/town/lashi0" in page.text
    assert 'href="/query#query=' in page.text  # a label search, ready to run
    assert 'href="/"' in page.text
    machine = embedded_server.get("/id/place/town/lashi0", headers={"Accept": "text/turtle"})
    assert machine.status == 404 and machine.content_type == "text/plain"
    for odd in ("/id/%3Ca%3E%20b", "/id/%5B", "/id/a%5D", "/id/a%25zz", "/graph/%5B"):
        for accept in ("text/turtle", "text/html"):
            reply = embedded_server.get(odd, headers={"Accept": accept})
            assert reply.status == 404 and "syntax" not in reply.text, (odd, accept, reply.text[:200])
    for odd in ("/id/a%0Db", "/id/a%E2%80%A8b", "/graph/a%F0%9F%98%80",  # a header may hold none of these
                "/id/a%25zz", "/id/a%3Fb", "/id/%5Bx%5D"):  # nor these unencoded in a path
        reply = embedded_server.get(odd, headers={"Accept": "text/turtle"})
        assert reply.status == 404, (odd, reply.text[:200])
        assert odd.removeprefix("/") in reply.headers["Link"] and reply.headers["Link"].isascii()


def test_quote_iri_sends_a_browser_to_its_sentence(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/id/quote/irrawaddy-2024-op1027-phase2/s06", headers={"Accept": "text/html"})
    assert reply.status == 303
    assert reply.headers["Location"].endswith(SOURCE + "#s06")
    assert "Accept" in reply.headers["Vary"]


def test_source_page_lists_each_sentences_facts(embedded_server: LiveServer, facts: Graph) -> None:
    page = embedded_server.get(SOURCE, headers={"Accept": "text/html"})
    assert page.status == 200
    quote = URIRef(BASE + "id/quote/irrawaddy-2024-op1027-phase2/s06")
    expected = {str(fact) for fact, _, evidence in facts.triples((None, CG.evidence, None))
                if (evidence, PROV.entity, quote) in facts}
    block = page.text.split('id="s06"', 1)[1].split("</aside>", 1)[0]
    assert "The TNLA and allies claimed complete control of Nawnghkio Township on July 10" in block
    shown = {BASE + href.lstrip("/") for href in re.findall(r'class="cg-fact" href="([^"]+)"', block)}
    assert shown == expected
    assert page.text.count('class="cg-sentence-text') == len(set(re.findall(r'id="([sh]\d+)"', page.text)))


def test_lashio_page_shows_control_with_ranges_and_evidence(embedded_server: LiveServer,
                                                            facts: Graph) -> None:
    page = embedded_server.get("/id/place/town/lashio", headers={"Accept": "text/html"})
    assert page.status == 200
    timeline = page.text.split('<table class="cg-timeline">', 1)[1].split("</table>", 1)[0]
    expected = {str(a) for a in facts.subjects(CG.controlledPlace, URIRef(LASHIO))}
    rows = re.findall(r'<td><a href="(/id/assertion/control/[^"]+)">', timeline)
    assert {BASE + r.lstrip("/") for r in rows} == expected
    assert "almost all" in timeline and "2024-07-17 – 2024-08-03" in timeline
    assert "still at publication" in timeline
    # evidence sentences link to their anchor on the source page
    assert f'href="{SOURCE}#s27"' in page.text
    # inferred statements link to their explanation, in N-Triples syntax
    explain = [html.unescape(h) for h in re.findall(r'href="(/explain\?[^"]+)"', page.text)]
    wanted = {"subject": [f"<{LASHIO}>"], "predicate": [f"<{CG.locatedIn}>"],
              "object": [f"<{BASE}id/place/country/myanmar>"]}
    assert wanted in [parse_qs(urlsplit(h).query) for h in explain]
    # every project IRI on the page is a local link
    assert 'href="https://w3id.org/conflict-graph/' not in page.text


def test_claims_are_marked_apart_from_facts(embedded_server: LiveServer) -> None:
    """S28 says only that the MNDAA *claims* the capture of the North Eastern Command headquarters:
    the perpetrator is reported, not asserted, and its sentence's status is "claimed"."""
    page = embedded_server.get("/id/event/north-eastern-command-hq-seizure", headers={"Accept": "text/html"})
    assert page.status == 200
    rows = re.findall(r'<tr class="cg-row-(\w+)">(.*?)</tr>', page.text, re.S)
    perpetrator = [(mark, row) for mark, row in rows
                   if 'href="/id/org/mndaa"' in row and "perpetrator" in row]
    assert [mark for mark, _ in perpetrator] == ["reported"]
    assert ">claimed<" in perpetrator[0][1]
    assert f'href="{SOURCE}#s28"' in perpetrator[0][1]


@pytest.mark.parametrize("path", ["/graph/inferred", "/graph/all",
                                  "/graph/source/irrawaddy-2024-op1027-phase2"])
def test_graph_iris_resolve(embedded_server: LiveServer, path: str) -> None:
    assert embedded_server.get(path, headers={"Accept": "text/html"}).status == 200
    graph = parse(embedded_server.get(path, headers={"Accept": "text/turtle"}), "text/turtle")
    assert (URIRef(BASE + path.lstrip("/")), rdflib.RDF.type,
            URIRef("http://www.w3.org/ns/sparql-service-description#Graph")) in graph


def test_dataset_iri_resolves_to_the_service_description(embedded_server: LiveServer) -> None:
    version = str(embedded_server.health()["data_version"])
    reply = embedded_server.get(f"/dataset/{version}", headers={"Accept": "text/turtle"})
    graph = parse(reply, "text/turtle")
    assert (None, None, URIRef(f"{BASE}dataset/{version}")) in graph
    assert embedded_server.get("/dataset/0000", headers={"Accept": "text/html"}).status == 404


def test_landing_page_orients(embedded_server: LiveServer, facts: Graph) -> None:
    page = embedded_server.get("/", headers={"Accept": "text/html"})
    assert page.status == 200
    for link in ('href="/map"', 'href="/ontology"', 'href="/query"', 'href="/api/"', f'href="{SOURCE}"',
                 'href="https://creativecommons.org/licenses/by/4.0/"'):
        assert link in page.text, link
    assert "Operation 1027" in page.text and "The Irrawaddy" in page.text
    assert "from one news article" in " ".join(page.text.split())
    assert str(embedded_server.health()["data_version"]) in page.text
    start = page.text.split("start with a place:", 1)[1].split("</p>", 1)[0]
    controlled = {str(place) for place in facts.objects(None, CG.controlledPlace)}
    assert {BASE + href.lstrip("/") for href in re.findall(r'href="([^"]+)"', start)} == controlled


def group(page: str, title: str) -> set[str]:
    """The local paths a page's group (``<h2>title</h2>``) links to, first link of each item."""
    section = page.split(f"<h2>{title}</h2>", 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'<li><a href="([^"]+)"', section))


def local(iri: object) -> str:
    return "/" + str(iri).removeprefix(BASE)


def test_organisation_page_groups_memberships_and_events(embedded_server: LiveServer, facts: Graph) -> None:
    page = embedded_server.get("/id/org/mndaa", headers={"Accept": "text/html"}).text
    mndaa = URIRef(BASE + "id/org/mndaa")
    assert group(page, "Member of") == {local(o) for o in facts.objects(mndaa, URIRef(
        "http://www.w3.org/ns/org#memberOf"))}
    perpetrated = {local(event) for event in facts.subjects(CG.perpetrator, mndaa)}
    assert perpetrated and perpetrated <= group(page, "Events it took part in")
    assert local(BASE + "id/assertion/control/lashio-town-almost-all") in group(page, "Control it asserts")


def test_event_page_shows_participants_targets_and_time_ranges(embedded_server: LiveServer) -> None:
    page = embedded_server.get("/id/event/lashio-attacks", headers={"Accept": "text/html"}).text
    assert {"/id/org/mndaa", "/id/org/myanmar-junta"} <= group(page, "Participants")
    assert group(page, "Targets") == {"/id/site/lashio-frontline-junta-bases-and-battalion-hqs"}
    when = page.split('<p class="cg-when">', 1)[1].split("</p>", 1)[0]
    assert "2024-06-25 – 2024-07-11" in when and "2024-07-17 – 2024-08-03" in when
    assert "after 23 days of attacks" in when


def test_a_client_holding_the_page_gets_304(embedded_server: LiveServer) -> None:
    tags = set()
    for accept in ("text/html", "text/turtle"):
        first = embedded_server.get("/id/org/tnla", headers={"Accept": accept})
        tag = first.headers["ETag"]
        assert first.status == 200 and tag.startswith('W/"')
        again = embedded_server.get("/id/org/tnla", headers={"Accept": accept, "If-None-Match": tag})
        assert again.status == 304 and again.body == b"" and again.headers["ETag"] == tag
        tags.add(tag)
    assert len(tags) == 2
    other = embedded_server.get("/id/org/mndaa", headers={"Accept": "text/html", "If-None-Match": tags.pop()})
    assert other.status == 200


def test_parts_of_a_claimed_fact_are_marked_claimed(embedded_server: LiveServer) -> None:
    """S06: the TNLA and allies *claimed* complete control of Nawnghkio Township."""
    page = embedded_server.get("/id/assertion/control/nawnghkio-township-complete",
                               headers={"Accept": "text/html"}).text
    rows = dict((row.split("</td>", 1)[0], mark) for mark, row in
                re.findall(r'<tr class="cg-row-(\w+)"><td>(.*?)</tr>', page, re.S))
    parts = {label: mark for cell, mark in rows.items()
             for label in ("controller", "control level", "controlled place") if f">{label}<" in cell}
    assert parts == {"controller": "claimed", "control level": "claimed", "controlled place": "claimed"}


def test_sentences_against_their_facts_are_marked_on_the_source_page(embedded_server: LiveServer,
                                                                     facts: Graph) -> None:
    """Every fact a sentence overstates, weakens or contradicts is listed beside that sentence with
    its stance; the facts the sentence supports carry none."""
    page = embedded_server.get(SOURCE, headers={"Accept": "text/html"})
    assert page.status == 200
    against = {(str(fact), str(quote).rsplit("/", 1)[-1], str(stance).rsplit("#", 1)[-1].lower())
               for fact, _, evidence in facts.triples((None, CG.evidence, None))
               for stance in facts.objects(evidence, CG.stance) if stance != CG.Supports
               for quote in facts.objects(evidence, PROV.entity)}
    assert len(against) == 6 and {s for _, _, s in against} == {"overstates", "weakens", "contradicts"}
    marked = set()
    for anchor in re.findall(r'<span class="cg-sentence-text[^"]*" id="([sh]\d+)"', page.text):
        block = page.text.split(f'id="{anchor}"', 1)[1].split("</aside>", 1)[0]
        block = block.split('<span class="cg-sentence-text', 1)[0]  # a sentence with no facts: none
        for item in re.findall(r"<li>(.*?)</li>", block, re.S):
            stance = re.search(r'class="cg-stance"[^>]*>(\w+)<', item)
            fact = re.search(r'class="cg-fact" href="([^"]+)"', item)
            if stance and fact:
                marked.add((BASE + fact[1].lstrip("/"), anchor, stance[1]))
    assert marked == against


def test_a_statement_page_marks_the_sentence_that_contradicts_it(embedded_server: LiveServer) -> None:
    statement = "/id/statement/irrawaddy-2024-op1027-phase2/singu-first-town-seized-by-mandalay-pdf"
    page = embedded_server.get(statement, headers={"Accept": "text/html"})
    assert page.status == 200
    items = {re.search(r">([SH]\d+)</a>", item)[1]: item  # type: ignore[index]
             for item in re.findall(r'<li><a class="cg-sentence".*?</li>', page.text, re.S)}
    assert ('class="cg-stance" title="read literally, this sentence contradicts the fact: it is no support '
            'for it">contradicts the fact<') in items["S05"]
    assert "cg-stance" not in items["S14"]
