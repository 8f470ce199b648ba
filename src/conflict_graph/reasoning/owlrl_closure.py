"""The reference OWL 2 RL closure, computed by owlrl (the only module that imports owlrl).

owlrl (https://github.com/RDFLib/OWL-RL) implements the rule tables of OWL 2 Profiles §4.3. Its
closure is cleaned by :mod:`.cleaning` like the native engine's, so the two can be compared
triple for triple; its ``err:ErrorMessage`` nodes become error messages.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef

from .. import iris

__all__ = ["ERROR_MESSAGE", "ERROR_TEXT", "owlrl_closure"]

_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"
ERROR_MESSAGE = URIRef(_ERR + "ErrorMessage")
ERROR_TEXT = URIRef(_ERR + "error")


def owlrl_closure(source: Dataset, graphs: Iterable[URIRef]) -> Graph:
    """Run owlrl over a copy of ``graphs``; return the (uncleaned) inferred graph of the copy."""
    import owlrl  # only here: importing owlrl is slow and only the reference needs it

    work = Dataset(default_union=True)
    for name in graphs:
        target = work.graph(name)
        target += Graph(store=source.store, identifier=name)
    with warnings.catch_warnings():
        # owlrl 7.6 reads rdflib's deprecated Dataset.default_context on every triple lookup.
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work, destination=iris.INFERRED_GRAPH)
    return Graph(store=work.store, identifier=iris.INFERRED_GRAPH)
