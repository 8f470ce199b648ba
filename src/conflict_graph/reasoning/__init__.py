"""Reasoning and validation: the OWL 2 RL closure into ``graph/inferred``, its derivations, and the
SHACL check.

The web layer and the command line call only what this package exports."""

from .cleaning import BUILT_IN_NAMESPACES, REFLEXIVE_NOISE
from .closure import REASONERS, ReasoningReport, materialize, update
from .incremental import IncrementalClosure
from .state import STATE_FILE, load_state, save_state
from .records import Derivation, Inconsistency, Term, Triple
from .store import DERIVATIONS_FILE, DerivationIndex, write_derivations
from .validation import ValidationReport, validate

__all__ = ["BUILT_IN_NAMESPACES", "DERIVATIONS_FILE", "REASONERS", "REFLEXIVE_NOISE", "STATE_FILE",
           "Derivation", "DerivationIndex", "Inconsistency", "IncrementalClosure", "ReasoningReport",
           "Term", "Triple", "ValidationReport", "load_state", "materialize", "save_state", "update",
           "validate", "write_derivations"]
