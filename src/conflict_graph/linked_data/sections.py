"""The views a kind of resource gets on its page, beside the full list of its statements.

* places: the control timeline (who, at what level, stated or claimed, with date bounds as
  ranges) and the place hierarchy (``cg:locatedIn`` both ways, inferred steps marked);
* organisations: memberships and alliances, commands and units, control, events taken part in;
* events: participants, targets, place, time bounds.

Groups are picked from the :class:`~conflict_graph.linked_data.describe.Description` by
predicate, so they cost no query; only the control timeline asks the graph once more.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import iris
from .describe import Description, Statement, marking_of
from .reader import Reader
from .terms import Term

__all__ = ["ControlPeriod", "DateRange", "Group", "control_timeline", "groups", "time_bounds"]

CG = str(iris.CG)
ORG = "http://www.w3.org/ns/org#"


@dataclass(frozen=True)
class Group:
    """A titled list of statements: ``outgoing`` ones show their object, incoming their subject."""

    title: str
    statements: tuple[Statement, ...]
    outgoing: bool


#: (title, class the resource must have, direction, predicates; None: any predicate from an event).
_GROUPS: tuple[tuple[str, str, bool, tuple[str, ...] | None], ...] = (
    ("Lies in", CG + "Place", True, (CG + "locatedIn",)),
    ("Contains", CG + "Place", False, (CG + "locatedIn",)),
    ("Borders", CG + "Place", True, (CG + "adjacentTo", CG + "borders")),
    ("Events here", CG + "Place", False, (CG + "eventPlace",)),
    ("Member of", ORG + "Organization", True, (ORG + "memberOf",)),
    ("Members", ORG + "Organization", True, (ORG + "hasMember",)),
    ("Commands and authority", ORG + "Organization", True,
     (CG + "unitOf", CG + "underAuthorityOf", CG + "belongsTo")),
    ("Units and installations", ORG + "Organization", False,
     (CG + "unitOf", CG + "underAuthorityOf", CG + "belongsTo", CG + "installationOf", CG + "heldBy")),
    ("Control it asserts", ORG + "Organization", False, (CG + "controller", CG + "coController")),
    ("Events it took part in", ORG + "Organization", False, None),
    ("Participants", CG + "Event", True,
     (CG + "perpetrator", CG + "coAgent", CG + "participant", CG + "opponent")),
    ("Targets", CG + "Event", True, (CG + "target",)),
    ("Place", CG + "Event", True, (CG + "eventPlace",)),
    ("Part of", CG + "Event", True, (CG + "partOfOperation", CG + "phaseOf")),
)


def groups(description: Description) -> list[Group]:
    """The groups that apply to the resource's types (asserted or inferred), non-empty ones only."""
    types = description.type_iris()
    found: list[Group] = []
    for title, cls, outgoing, predicates in _GROUPS:
        if cls not in types:
            continue
        pool = description.outgoing if outgoing else description.incoming
        if predicates is None:
            chosen = [s for s in pool if s.about_event]
        else:
            chosen = [s for s in pool if s.predicate.value in predicates]
        if chosen:
            found.append(Group(title, tuple(_one_per_node(chosen, outgoing)), outgoing))
    return found


def _one_per_node(statements: list[Statement], outgoing: bool) -> list[Statement]:
    """One statement per linked node, preferring an asserted one to an inferred one."""
    best: dict[Term, Statement] = {}
    for statement in statements:
        node = statement.object if outgoing else statement.subject
        if node not in best or (best[node].inferred and not statement.inferred):
            best[node] = statement
    return list(best.values())


@dataclass(frozen=True)
class DateRange:
    """A date known only between two bounds (equal bounds: an exact day; None: unbounded)."""

    earliest: str | None
    latest: str | None

    def __str__(self) -> str:
        if self.earliest is None and self.latest is None:
            return "unknown"
        if self.earliest == self.latest:
            return str(self.earliest)
        return f"{self.earliest or '…'} – {self.latest or '…'}"

    @property
    def known(self) -> bool:
        return self.earliest is not None or self.latest is not None


def time_bounds(description: Description) -> tuple[DateRange, DateRange]:
    """The start and end of a fact or event (``cg:earliestStart`` … ``cg:latestEnd``) as ranges."""
    def date(name: str) -> str | None:
        return description.first_literal(CG + name)

    return (DateRange(date("earliestStart"), date("latestStart")),
            DateRange(date("earliestEnd"), date("latestEnd")))


@dataclass(frozen=True)
class ControlPeriod:
    """One control assertion about a place, as its timeline shows it."""

    assertion: str
    label: str
    controller: str
    controller_label: str
    co_controllers: tuple[tuple[str, str], ...]
    level: str
    level_label: str
    status: str
    status_label: str
    start: DateRange
    end: DateRange
    time_expression: str | None
    at_publication: bool
    sentences: tuple[tuple[str, str], ...]

    @property
    def marking(self) -> str:
        return marking_of([self.status]) or "asserted"


def _pairs(text: Term | None) -> tuple[tuple[str, str], ...]:
    if text is None or not text.value:
        return ()
    return tuple(sorted(tuple(item.split("\t", 1)) for item in text.value.split("\n")))  # type: ignore[misc]


def control_timeline(reader: Reader, place: str, limit: int) -> list[ControlPeriod]:
    """Every control assertion about ``place``, earliest start first (at most ``limit``)."""
    rows = reader.select(f"""
SELECT ?a ?label ?controller ?clabel ?level ?llabel ?status ?slabel ?es ?ls ?ee ?le ?expr ?pub
       (GROUP_CONCAT(DISTINCT CONCAT(STR(?co), "\\t", COALESCE(?colabel, STR(?co))); separator="\\n") AS ?cos)
       (GROUP_CONCAT(DISTINCT CONCAT(STR(?q), "\\t", ?sid); separator="\\n") AS ?quotes)
WHERE {{
  ?a a cg:ControlAssertion ; cg:controlledPlace <{place}> ; cg:controller ?controller ;
     cg:controlLevel ?level ; cg:epistemicStatus ?status .
  OPTIONAL {{ ?a rdfs:label ?label }}
  OPTIONAL {{ ?controller skos:prefLabel ?clabel }}
  OPTIONAL {{ ?level skos:prefLabel ?llabel }}
  OPTIONAL {{ ?status skos:prefLabel ?slabel }}
  OPTIONAL {{ ?a cg:earliestStart ?es }} OPTIONAL {{ ?a cg:latestStart ?ls }}
  OPTIONAL {{ ?a cg:earliestEnd ?ee }} OPTIONAL {{ ?a cg:latestEnd ?le }}
  OPTIONAL {{ ?a cg:timeExpression ?expr }}
  BIND(EXISTS {{ ?a cg:holdsAtPublicationOf ?doc }} AS ?pub)
  OPTIONAL {{ ?a cg:coController ?co OPTIONAL {{ ?co skos:prefLabel ?colabel }} }}
  OPTIONAL {{ ?a cg:evidence/prov:entity ?q . ?q cg:sentenceId ?sid }}
}} GROUP BY ?a ?label ?controller ?clabel ?level ?llabel ?status ?slabel ?es ?ls ?ee ?le ?expr ?pub
ORDER BY ?es ?ls ?a LIMIT {limit}""")

    def text(row: dict[str, Term], name: str) -> str | None:
        return row[name].value if name in row else None

    return [ControlPeriod(
        row["a"].value, text(row, "label") or row["a"].value,
        row["controller"].value, text(row, "clabel") or row["controller"].value, _pairs(row.get("cos")),
        row["level"].value, text(row, "llabel") or row["level"].value,
        row["status"].value, text(row, "slabel") or row["status"].value,
        DateRange(text(row, "es"), text(row, "ls")), DateRange(text(row, "ee"), text(row, "le")),
        text(row, "expr"), text(row, "pub") in ("true", "1"), _pairs(row.get("quotes")),
    ) for row in rows]
