"""The query page blueprint (``conflict_graph.web.ui``), served by a minimal Flask app."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conflict_graph.query.named_queries import load_queries
from conflict_graph.web import ui

FIXTURES = Path(__file__).parent / "data" / "queries"
VENDOR = Path(ui.__file__).parent / "static" / "vendor" / "yasgui"


@pytest.fixture
def client() -> FlaskClient:
    app = Flask(__name__)
    app.config.update(TESTING=True, QUERIES_DIR=str(FIXTURES))
    app.register_blueprint(ui.bp)
    return app.test_client()


def page_config(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="cg-ui-config">(.*?)</script>', html, re.S)
    assert match, "the page carries its configuration as a JSON block"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_page_lists_every_named_query(client: FlaskClient) -> None:
    response = client.get("/query")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    config = page_config(response.get_data(as_text=True))
    expected = load_queries(FIXTURES)
    assert [(q["title"], q["text"], q["entailment"]) for q in config["queries"]] == [
        (q.title, q.text, q.entailment) for q in expected
    ]
    assert config["endpoint"] == "/sparql"


def test_page_links_and_explains_entailment(client: FlaskClient) -> None:
    html = client.get("/query").get_data(as_text=True)
    assert "conflict-graph" in html
    assert 'href="/sparql"' in html
    assert 'href="/health"' in html
    assert "entailment=simple" in html
    assert "OWL&nbsp;2&nbsp;RL" in html


def test_page_loads_only_local_scripts_and_styles(client: FlaskClient) -> None:
    html = client.get("/query").get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "the page loads its assets"
    remote = [src for src in sources if not src.startswith(("/", "data:")) or src.startswith("//")]
    assert remote == []
    for path in (
        "/assets/vendor/yasgui/yasgui.min.js",
        "/assets/vendor/yasgui/yasgui.min.css",
        "/assets/ui/ui.js",
        "/assets/ui/ui.css",
    ):
        assert path in sources
        with client.get(path) as response:
            assert response.status_code == 200


def test_content_security_policy_forbids_other_hosts(client: FlaskClient) -> None:
    csp = client.get("/query").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "connect-src", "style-src", "img-src", "font-src"):
        sources = directives[name].split()
        assert "'self'" in sources
        assert all(s in {"'self'", "'unsafe-inline'", "data:"} for s in sources), (name, sources)
    assert "'unsafe-inline'" not in directives["script-src"]


def test_script_root_prefixes_the_endpoint(client: FlaskClient) -> None:
    html = client.get("/query", environ_overrides={"SCRIPT_NAME": "/graph"}).get_data(as_text=True)
    assert page_config(html)["endpoint"] == "/graph/sparql"
    assert 'href="/graph/health"' in html


def test_bad_query_file_is_a_server_error(tmp_path: Path) -> None:
    (tmp_path / "untitled.rq").write_text("ASK {}\n", encoding="utf-8")
    app = Flask(__name__)
    app.config.update(QUERIES_DIR=str(tmp_path))
    app.register_blueprint(ui.bp)
    assert app.test_client().get("/query").status_code == 500


def test_vendored_yasgui_is_complete() -> None:
    assert (VENDOR / "VERSION").read_text().split() == ["@zazuko/yasgui", "4.6.2"]
    assert (VENDOR / "LICENSE").read_text().startswith("yasgui.min.js and yasgui.min.css")
    css = (VENDOR / "yasgui.min.css").read_text()
    assert [u for u in re.findall(r"url\(([^)]*)\)", css) if not u.strip("'\"").startswith("data:")] == []
