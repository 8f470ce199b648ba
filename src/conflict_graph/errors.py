"""The one error hierarchy of conflict-graph. Nothing here knows about HTTP.

::

    ConflictGraphError
    ├── InputError              a file or argument cannot be used
    │   ├── DataLoadError       an RDF file is missing, unreadable or does not parse (names file and line)
    │   └── SettingError        a setting has an invalid value
    ├── ValidationFailed        the data does not conform to the SHACL shapes
    ├── ReasoningError          the OWL 2 RL closure found an inconsistency or failed
    ├── NotFound                what was asked for is not in the dataset (a triple not entailed)
    └── QueryError              a SPARQL request cannot be answered
        ├── QuerySyntaxError    the query does not parse (message carries line and column)
        ├── QueryRefused        the query is well formed but not allowed (update, SERVICE, remote graph)
        ├── QueryTooLarge       the request exceeds the size limit
        ├── ParameterError      a named query's parameter is missing, unknown or not of its type
        ├── QueryTimeout        the query ran past its time limit and was stopped
        ├── QueryPreempted      the query was stopped to give its worker to other clients
        ├── NotAcceptable       no result format satisfies the client's Accept header
        ├── WorkerLost          (workers.py) the process running the query died
        ├── ServerBusy          (admission.py) too many queries are waiting for a worker
        ├── TooManyQueries      (admission.py) one client has too many queries at once
        ├── ServiceFailed       (service_check.py) an allowlisted SERVICE endpoint failed
        ├── ProtocolError       (web/errors.py) a request breaks the SPARQL 1.1 Protocol
        ├── UnsupportedMediaType (web/errors.py) a POST body type the protocol does not allow
        └── PreconditionFailed  (web/errors.py) If-None-Match matched on a POST

The classes marked with a module live beside the only code that raises them; all derive from
these. The web layer maps each class to one HTTP status in a single table; the command line maps
them to exit codes.
"""

from __future__ import annotations

__all__ = [
    "ConflictGraphError",
    "DataLoadError",
    "InputError",
    "NotFound",
    "NotAcceptable",
    "ParameterError",
    "QueryError",
    "QueryPreempted",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLarge",
    "ReasoningError",
    "SettingError",
    "ValidationFailed",
]


class ConflictGraphError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(ConflictGraphError):
    """A file or an argument cannot be used."""


class DataLoadError(InputError):
    """An RDF file is missing, unreadable or malformed; the message names the file and line."""


class SettingError(InputError):
    """A setting (flag or ``CONFLICT_GRAPH_*`` variable) has an invalid value."""


class ValidationFailed(ConflictGraphError):
    """The data does not conform to the SHACL shapes; ``report`` holds the readable report."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


class ReasoningError(ConflictGraphError):
    """The OWL 2 RL closure reported an inconsistency (``errors``) or could not be computed;
    ``report`` holds the readable consistency report (each problem down to its sentences)."""

    def __init__(self, message: str, errors: tuple[str, ...] = (), report: str = "") -> None:
        super().__init__(message)
        self.errors = errors
        self.report = report


class NotFound(ConflictGraphError):
    """What was asked for is not in the dataset: a triple neither asserted nor entailed."""


class QueryError(ConflictGraphError):
    """A SPARQL request cannot be answered."""


class QuerySyntaxError(QueryError):
    """The query text does not parse; the message carries the parser's line and column."""


class QueryRefused(QueryError):
    """The request is well formed but not allowed here (update, SERVICE, remote graph, ...)."""


class QueryTooLarge(QueryError):
    """The query or request body exceeds the configured size limit."""


class ParameterError(QueryError):
    """A named query's parameter value is missing, unknown or not of its declared type; the
    message names the parameter."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and its work was stopped."""


class QueryPreempted(QueryError):
    """The query was stopped before its time limit so that other clients' queries could run.

    ``retry_after`` is the seconds the client is told to wait.
    """

    def __init__(self, message: str, retry_after: int = 10) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotAcceptable(QueryError):
    """No result format the server can produce satisfies the client's Accept header."""
