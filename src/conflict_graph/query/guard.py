"""Read a SPARQL request before it runs: its form, and everything that could reach the network.

pyoxigraph evaluates ``SERVICE`` clauses itself, over HTTP. A public endpoint must refuse them
unless the operator allows the target, and must refuse updates while it is read-only. This module
finds both with a small tokenizer that follows the SPARQL 1.1 grammar's terminals (§19.8):
comments, strings (short and long), IRIs, prefixed names (with their escapes), variables and blank
node labels are whole tokens, so a keyword is only ever found where the parser would see one.

One ambiguity needs context: ``<`` opens an IRI, or is the less-than operator. After an operand
inside the parentheses of an *expression* (``FILTER(?a<?b)``, ``BIND(…)``, ``SELECT (…)``, a
function call, ``GROUP BY``/``ORDER BY``/``HAVING``), pyoxigraph reads the operator; inside the
parentheses of a ``VALUES`` row, an RDF collection or a property path (``(1 <http://x/#>)``) and
everywhere else it reads an IRI. The tokenizer keeps a stack of brackets, each marked as an
expression or a data bracket, and follows the same rule, so what it skips as an IRI is what the
parser skips.

A tokenizer is still a reading of the grammar. :mod:`conflict_graph.query.service_check` reads
every query that mentions ``service`` at all a second time, with a scan of its own (SPARQL
keywords cannot be escaped, so a query without those letters has no ``SERVICE`` clause).

Nothing here fetches, parses RDF or runs the query; pyoxigraph remains the judge of syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import QueryError, QueryRefused, QuerySyntaxError

__all__ = [
    "MAX_NESTING",
    "QUERY_FORMS",
    "UPDATE_OPERATIONS",
    "QueryShape",
    "check",
    "inspect",
    "resolve_iri",
    "service_allowed",
]

#: The four query forms (SPARQL 1.1 Query §16).
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
#: Keywords that open an update operation (SPARQL 1.1 Update §3).
UPDATE_OPERATIONS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
    rf"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)

_ALTERNATIVES = (
    r"(?P<space>\s+)",
    r"(?P<comment>\#[^\n\r]*)",
    r'(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)',
    rf"(?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
    r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
    rf"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
    rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
    r"(?P<number>[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?))",
    r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
    r"(?P<other>.)",
)
#: The opening quotes and the body of a string, up to where its closing quotes must be (SPARQL 1.1
#: Query §19.8: STRING_LITERAL_LONG1/2 and STRING_LITERAL1/2; an escape is ``\`` and any
#: character), by form and quote; matched apart from the other tokens, by :class:`_Strings`.
_STRING_BODY = {
    ("long", "'"): re.compile(r"""'''(?:[^'\\]|\\.|'(?!''))*""", re.DOTALL),
    ("long", '"'): re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*''', re.DOTALL),
    ("short", "'"): re.compile(r"""'(?:[^'\\\n\r]|\\.)*""", re.DOTALL),
    ("short", '"'): re.compile(r'''"(?:[^"\\\n\r]|\\.)*''', re.DOTALL),
}
_TOKEN = re.compile("|".join(_ALTERNATIVES), re.DOTALL)
#: The same tokens without prefixed names, for positions where none can start (see :func:`_tokens`).
_TOKEN_NO_PNAME = re.compile("|".join(a for a in _ALTERNATIVES if not a.startswith("(?P<pname>")),
                             re.DOTALL)
#: A run of the characters a prefix is made of: a prefixed name starting inside a run must end
#: its prefix where the run ends, so a run not followed by ``:`` holds no prefixed name.
_NAME_RUN = re.compile(rf"[{_PN_CHARS}.]+")
#: Deepest bracket nesting accepted: pyoxigraph's recursive parser overflows its stack (and the
#: worker dies) somewhere past a few thousand levels; real queries stay far below this.
MAX_NESTING = 256
_OPERAND_KINDS = frozenset({"var", "string", "iri", "pname", "number", "bnode", "lang"})
_OPERAND_WORDS = frozenset({"TRUE", "FALSE"})
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class QueryShape:
    """What the guard learned about one request text.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; the update keyword that opens an
            update (``INSERT``, ``LOAD``, ...); or None if the text opens with neither (the parser
            will say why).
        prefixes: the ``PREFIX`` declarations, in order (useful to serialise results).
        base: the query's own ``BASE``, if any.
        from_graphs: IRIs of the ``FROM`` clauses.
        from_named_graphs: IRIs of the ``FROM NAMED`` clauses.
        services: the target of every ``SERVICE`` clause: an IRI, or None for a variable (or a
            target that cannot be resolved).
        nesting: the deepest nesting of ``(``, ``{`` and ``[``.
        undeclared: prefixes used in prefixed names after the prologue but never declared.
        malformed_iris: IRIs of the prologue, ``FROM`` or ``SERVICE`` that cannot be resolved
            (no valid authority, such as ``<http://[>``).
    """

    form: str | None
    prefixes: tuple[tuple[str, str], ...] = ()
    base: str | None = None
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    services: tuple[str | None, ...] = ()
    nesting: int = 0
    undeclared: tuple[str, ...] = ()
    malformed_iris: tuple[str, ...] = ()

    @property
    def is_update(self) -> bool:
        """True when the text is a SPARQL Update request."""
        return self.form in UPDATE_OPERATIONS

    @property
    def is_query(self) -> bool:
        """True when the text opens with one of the four query forms."""
        return self.form in QUERY_FORMS


#: Clause keywords → what a ``(`` opened after them holds (see :func:`_tokens`).
_CLAUSE_MODES = {
    "SELECT": "projection", "DESCRIBE": "projection", "CONSTRUCT": "pattern", "ASK": "pattern",
    "WHERE": "pattern", "GROUP": "modifier", "ORDER": "modifier", "HAVING": "modifier",
    "LIMIT": "modifier", "OFFSET": "modifier", "VALUES": "values",
}
#: Words before a ``(`` that do not call a function: the ``(`` opens a collection.
_TERM_WORDS = frozenset({"A", "TRUE", "FALSE", "UNDEF"})


class _Strings:
    """The strings that start at the quotes of ``text``, found in time linear in the text.

    A string that is never closed is read to the end of its line (a long one, to the end of the
    text) before it fails, so a text of unclosed strings (``"\\"\\"\\"…``) would be read again
    from each of its quotes. It need not be: within the stretch a failed string read, every quote
    of its kind was read as escaped (or, in a long string, as fewer than three quotes), so a string
    of the same form starting at one of them reads the same remainder and fails too. Each failure
    is remembered as that stretch.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._failed: dict[tuple[str, str], tuple[int, int]] = {}  # form, quote → (start, end)

    def end(self, position: int) -> int | None:
        """Where the string starting at ``position`` (a quote) ends, or None if none starts there."""
        quote = self._text[position]
        if self._text.startswith(quote * 3, position):
            end = self._closed(("long", quote), position, quote * 3)
            if end is not None:
                return end
        return self._closed(("short", quote), position, quote)

    def _closed(self, form: tuple[str, str], position: int, closing: str) -> int | None:
        start, end = self._failed.get(form, (0, 0))
        if start <= position < end:
            return None
        body = _STRING_BODY[form].match(self._text, position)
        assert body is not None  # the body pattern matches its opening quotes, which are here
        if self._text.startswith(closing, body.end()):
            return body.end() + len(closing)
        self._failed[form] = (position, body.end())
        return None


def _opens_expression(mode: str, stack: list[tuple[str, str]], tokens: list[Token]) -> bool:
    """True when a ``(`` at this point opens an expression, False for a collection, path or row.

    ``mode`` is the clause the innermost ``{`` (or the top level) is in: after ``SELECT``,
    ``GROUP``/``ORDER BY`` and ``HAVING`` every parenthesis is an expression, after ``VALUES``
    none is; inside a group pattern only ``FILTER``/``BIND`` and function calls open one.
    """
    if stack and stack[-1][0] == "(expr":
        return True
    if stack and stack[-1][0] == "(data":
        return False
    if mode in ("projection", "modifier"):
        return True
    if mode == "values" or not tokens:
        return False
    previous = tokens[-1]
    if previous.kind == "word":
        return previous.text.upper() not in _TERM_WORDS
    if previous.kind in ("iri", "pname") and len(tokens) > 1:  # FILTER ex:fn(…)
        before = tokens[-2]
        return before.kind == "word" and before.text.upper() == "FILTER"
    return False


def _tokens(text: str) -> tuple[list[Token], int]:
    """Split ``text`` into tokens, dropping white space and comments; also the deepest nesting.

    A ``<`` right after an operand inside an expression's parentheses is the less-than operator
    (see the module docstring), so it is emitted alone and the rest is tokenized again. Every open
    bracket is kept on a stack with its kind (``{``, ``[``, ``(expr`` or ``(data``) and the clause
    its own content is in.
    """
    tokens: list[Token] = []
    stack: list[tuple[str, str]] = []  # (bracket kind, clause mode inside it)
    top_mode = "pattern"
    deepest = 0
    position = 0
    # Runs not followed by ``:`` hold no prefixed name; trying one at each of their positions
    # would rescan the rest of the run every time (quadratic in the query's length).
    runs = iter([(run.start(), run.end()) for run in _NAME_RUN.finditer(text)
                 if not text.startswith(":", run.end())])
    run_start, run_end = next(runs, (len(text), len(text)))
    strings = _Strings(text)
    while position < len(text):
        while run_end <= position:
            run_start, run_end = next(runs, (len(text), len(text)))
        start = position
        if text[position] in "'\"":  # nothing but a string or an "other" starts at a quote
            end = strings.end(position)
            kind, value = ("string", text[position:end]) if end is not None else ("other", text[position])
        else:
            pattern = _TOKEN_NO_PNAME if run_start <= position else _TOKEN
            match = pattern.match(text, position)
            assert match is not None  # the last alternative matches any character
            kind = match.lastgroup or "other"
            value = match.group()
        if (kind == "iri" and stack and stack[-1][0] == "(expr" and tokens
                and _is_operand(tokens[-1])):
            kind, value = "other", "<"
        position = start + len(value)
        if kind in {"space", "comment"}:
            continue
        mode = stack[-1][1] if stack else top_mode
        if kind == "word" and value.upper() in _CLAUSE_MODES:
            mode = _CLAUSE_MODES[value.upper()]
        elif kind == "other" and value == "(":
            stack.append(("(expr" if _opens_expression(mode, stack, tokens) else "(data", mode))
        elif kind == "other" and value in "{[":
            inner = "values" if mode == "values" and value == "{" else "pattern"
            if inner == "values":
                mode = "pattern"  # the VALUES block is this bracket: the clause ends with it
            if stack:
                stack[-1] = (stack[-1][0], mode)
            else:
                top_mode = mode
            stack.append((value, inner))
        elif kind == "other" and value in ")}]" and stack:
            stack.pop()
        if kind == "word" and value.upper() in _CLAUSE_MODES:
            if stack:
                stack[-1] = (stack[-1][0], mode)
            else:
                top_mode = mode
        deepest = max(deepest, len(stack))
        tokens.append(Token(kind, value, start))
    return tokens, deepest


def _is_operand(token: Token) -> bool:
    if token.kind in _OPERAND_KINDS:
        return True
    if token.kind == "word":
        return token.text.upper() in _OPERAND_WORDS
    return token.kind == "other" and token.text in ")]"


def _unescape_iri(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return chr(int(match.group(1) or match.group(2), 16))

    return _UNICODE_ESCAPE.sub(replace, value)


def resolve_iri(iri: str, base: str | None) -> str:
    """An IRI (its ``\\u`` escapes replaced) resolved against ``base``, if there is one.

    Raises:
        QuerySyntaxError: the IRI (or the base) has no valid authority, such as ``http://[``
            (RFC 3986 §3.2.2).
    """
    iri = _unescape_iri(iri)
    try:
        return urljoin(base, iri) if base else iri
    except ValueError as exc:
        raise QuerySyntaxError(f"<{iri}> is not a valid IRI ({exc})") from None


def _resolve(token: Token, prefixes: dict[str, str], base: str | None,
             malformed: list[str] | None = None) -> str | None:
    if token.kind == "iri":
        try:
            return resolve_iri(token.text[1:-1], base)
        except QuerySyntaxError:
            if malformed is not None:
                malformed.append(token.text)
            return None
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def inspect(text: str, base_iri: str | None = None) -> QueryShape:
    """Find the form, prologue, dataset clauses and ``SERVICE`` targets of a query or update.

    Args:
        text: the request text (a query, or what a client sent as one).
        base_iri: the IRI relative IRIs resolve against when the text declares no ``BASE``
            (the endpoint's own URL).

    Returns:
        The :class:`QueryShape`; it never raises, even for text that is not SPARQL.
    """
    tokens, nesting = _tokens(text)
    prefixes: dict[str, str] = {}
    malformed: list[str] = []
    base = None
    index = 0
    while index < len(tokens):  # the prologue: BASE and PREFIX declarations (§4.1.1)
        word = tokens[index].text.upper() if tokens[index].kind == "word" else ""
        if word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "iri":
            base = _resolve(tokens[index + 1], prefixes, base or base_iri, malformed)
            index += 2
        elif (word == "PREFIX" and index + 2 < len(tokens) and tokens[index + 1].kind == "pname"
              and tokens[index + 2].kind == "iri"):
            iri = _resolve(tokens[index + 2], prefixes, base or base_iri, malformed)
            if iri is not None:
                prefixes[tokens[index + 1].text[:-1]] = iri
            index += 3
        else:
            break
    undeclared = sorted({token.text.partition(":")[0] for token in tokens[index:]
                         if token.kind == "pname" and token.text.partition(":")[0] not in prefixes})
    form = None
    if index < len(tokens) and tokens[index].kind == "word":
        word = tokens[index].text.upper()
        if word in QUERY_FORMS or word in UPDATE_OPERATIONS:
            form = word
    from_graphs: list[str] = []
    from_named: list[str] = []
    services: list[str | None] = []
    resolve_base = base or base_iri
    for position, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE":
            following = tokens[position + 1:position + 3]
            if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
                following = following[1:]
            target = following[0] if following else None
            services.append(_resolve(target, prefixes, resolve_base, malformed) if target else None)
        elif word == "FROM":
            following = tokens[position + 1:position + 3]
            target_list = from_graphs
            if following and following[0].kind == "word" and following[0].text.upper() == "NAMED":
                target_list, following = from_named, following[1:]
            iri = _resolve(following[0], prefixes, resolve_base, malformed) if following else None
            if iri is not None:
                target_list.append(iri)
    return QueryShape(
        form=form,
        prefixes=tuple(prefixes.items()),
        base=base,
        from_graphs=tuple(from_graphs),
        from_named_graphs=tuple(from_named),
        services=tuple(services),
        nesting=nesting,
        undeclared=tuple(undeclared),
        malformed_iris=tuple(malformed),
    )


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, with percent-encoded dots decoded first (``%2e`` is ``.``)."""
    path = re.sub(r"%2[eE]", ".", path)
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if path.endswith(("/.", "/..")):
        output.append("")
    return "/".join(output) or "/"


def canonical_endpoint(iri: str) -> str | None:
    """An http(s) IRI as ``scheme://host:port/path?query#fragment`` with dot segments removed,
    lower-case scheme and host and an explicit port; None if it is not an absolute http(s) IRI
    with an authority (RFC 3986 §3, §6.2.2-6.2.3)."""
    try:
        parts = urlsplit(iri.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    canonical = f"{scheme}://{parts.hostname.lower()}:{port or _DEFAULT_PORTS[scheme]}"
    canonical += _remove_dot_segments(parts.path or "/")
    if parts.query:
        canonical += "?" + parts.query
    if parts.fragment:
        canonical += "#" + parts.fragment
    return canonical


def service_allowed(target: str | None, allowlist: Iterable[str]) -> bool:
    """True when a ``SERVICE`` target may be called.

    A variable target is never allowed, nor anything but an absolute http(s) IRI. Target and
    entries are compared in canonical form (:func:`canonical_endpoint`: dot segments removed,
    scheme, host and port explicit), so ``…/allowed/../other`` is not under ``…/allowed/`` and
    ``http://allowed@evil/`` is on host ``evil``. An IRI is allowed when it equals an entry, or
    starts with an entry that ends in ``/``, ``#`` or ``?`` (so ``https://example.org/`` allows
    everything under that folder but ``https://example.org/sparql`` allows only itself).
    """
    if target is None:
        return False
    wanted = canonical_endpoint(target)
    if wanted is None:
        return False
    for raw in allowlist:
        entry = raw.strip()
        permitted = canonical_endpoint(entry) if entry else None
        if permitted is None:
            continue
        if entry[-1] in "#?" and not permitted.endswith(entry[-1]):
            permitted += entry[-1]  # an empty query or fragment is dropped by urlsplit
        if wanted == permitted or (entry[-1] in "/#?" and wanted.startswith(permitted)):
            return True
    return False


def check(shape: QueryShape, allowlist: Sequence[str] = ()) -> None:
    """Refuse what a read-only endpoint without network access must not run.

    Raises:
        QueryRefused: the text is an update, or it has a ``SERVICE`` clause whose target is a
            variable or an IRI the allowlist does not permit.
        QueryError: brackets nest deeper than :data:`MAX_NESTING`.
        QuerySyntaxError: an IRI in the prologue, ``FROM`` or ``SERVICE`` cannot be resolved.
    """
    if shape.nesting > MAX_NESTING:
        raise QueryError(
            f"the query nests brackets {shape.nesting} levels deep; this endpoint accepts at most "
            f"{MAX_NESTING}"
        )
    if shape.malformed_iris:
        raise QuerySyntaxError(
            f"{shape.malformed_iris[0]} is not a valid IRI: its authority (host and port) cannot "
            "be read (RFC 3986 §3.2)"
        )
    if shape.is_update:
        raise QueryRefused(
            f"SPARQL Update ({shape.form}) is not accepted: this endpoint is read-only"
        )
    for target in shape.services:
        if target is None:
            raise QueryRefused(
                "SERVICE with a variable (or unresolvable) endpoint is not allowed: this server "
                "never calls an endpoint it cannot check against its allowlist"
            )
        if not service_allowed(target, allowlist):
            raise QueryRefused(
                f"SERVICE <{target}> is not allowed: this server calls no other endpoint unless "
                "the operator lists it in CONFLICT_GRAPH_SERVICE_ALLOWLIST"
            )
