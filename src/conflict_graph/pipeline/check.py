"""Check loaded data without building an artifact: SHACL and OWL 2 RL, each problem explained.

``conflict-graph validate`` and a failing build both need the consistency report of data that
cannot be published (it violates a shape, or its closure is inconsistent), so there is no
artifact to read. :func:`explain_problems` writes what an artifact's explanations read — the
derivation store — into a temporary folder, opens it like a server would, and explains every
inconsistency and SHACL result down to the sentences.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset

from .. import reasoning
from ..authoring import identity
from ..reasoning.consistency import ConsistencyReport, consistency_report
from ..reasoning.validation import Violation
from . import inputs
from .evidence_iris import name_evidence
from .inputs import InputFile

__all__ = ["check_files", "explain_problems"]


def explain_problems(dataset: Dataset, reasoned: reasoning.ReasoningReport,
                     violations: Sequence[Violation] = ()) -> ConsistencyReport:
    """The consistency report of ``dataset`` after :func:`conflict_graph.reasoning.materialize`.

    Args:
        dataset: the asserted graphs and ``graph/inferred``.
        reasoned: the reasoning report (its engine holds the derivations and inconsistencies).
        violations: SHACL results to explain with the inconsistencies.
    """
    if reasoned.engine is None:
        raise ValueError("the reasoning report carries no engine records")
    with tempfile.TemporaryDirectory(prefix="conflict-graph-check.") as folder:
        reasoning.write_derivations(Path(folder) / reasoning.DERIVATIONS_FILE, reasoned.engine, dataset,
                                    reasoner=reasoned.reasoner)
        with reasoning.DerivationIndex.open(Path(folder)) as index:
            return consistency_report(index, violations)


def check_files(files: Sequence[InputFile]) -> ConsistencyReport:
    """Load ``files``, validate them against the shapes, reason, and explain every problem.

    Raises:
        DataLoadError: an input is missing, unreadable or malformed.
        ValidationFailed: the shapes cannot be evaluated.
    """
    loaded = inputs.load(files)
    name_evidence(loaded.dataset)
    # SHACL's results and the checks across sources that SHACL cannot make (one entity, one IRI),
    # both on the asserted graphs: the closure would define every IRI it types.
    problems = [*reasoning.validate(loaded.dataset).results, *identity.check(loaded)]
    reasoned = reasoning.materialize(loaded.dataset)
    return explain_problems(loaded.dataset, reasoned, problems)
