"""``w3id/.htaccess``: every kind of project IRI is redirected to the same path on a deployment.

Apache's ``RewriteRule`` patterns are PCRE, matched against the path after
``/conflict-graph/``; Python's ``re`` reads these ones the same way. Each rule is applied as
Apache would: the first that matches, with ``$n`` replaced by its groups.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conflict_graph import iris
from conflict_graph.linked_data.addresses import local_path

HTACCESS = Path(__file__).resolve().parents[1] / "w3id" / ".htaccess"
RULE = re.compile(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[([^\]]*)\]\s*$")


def rules() -> list[tuple[re.Pattern[str], str, str]]:
    found = []
    for line in HTACCESS.read_text(encoding="utf-8").splitlines():
        match = RULE.match(line.strip())
        if match:
            found.append((re.compile(match.group(1)), match.group(2), match.group(3)))
    return found


def _substitute(target: str, groups: tuple[str | None, ...]) -> str:
    """``$1``… in a rule's target replaced by the pattern's groups (an unmatched group is empty)."""
    return re.sub(r"\$(\d)", lambda m: groups[int(m.group(1)) - 1] or "", target)


def redirect(path: str) -> tuple[str, str] | None:
    for pattern, target, flags in rules():
        match = pattern.match(path)
        if match:
            return _substitute(target, match.groups()), flags
    return None


@pytest.mark.parametrize("iri", [
    "https://w3id.org/conflict-graph/id/place/town/lashio",
    "https://w3id.org/conflict-graph/id/org/mndaa.ttl",
    "https://w3id.org/conflict-graph/id/quote/irrawaddy-2024-op1027-phase2/s06",
    str(iris.INFERRED_GRAPH),
    str(iris.source_graph("irrawaddy-2024-op1027-phase2")),
    str(iris.dataset_version("db994138955f1064831a4a8e1af929f0")),
    str(iris.ONTOLOGY_IRI),
    "https://w3id.org/conflict-graph/ontology/0.1.0",
    "https://w3id.org/conflict-graph/",
])
def test_every_kind_of_iri_redirects_to_its_local_path(iri: str) -> None:
    path = iri.removeprefix(iris.BASE)
    answer = redirect(path)
    assert answer is not None, f"no rule for {iri}"
    location, flags = answer
    assert location == "https://DEPLOYMENT" + local_path(iri)
    assert "R=303" in flags.split(",") and "L" in flags.split(",")


def test_paths_outside_the_project_spaces_are_not_redirected() -> None:
    assert redirect("etc/passwd") is None
    assert redirect("id/") is None
