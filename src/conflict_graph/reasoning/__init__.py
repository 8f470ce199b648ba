"""Reasoning and validation: the OWL 2 RL closure into ``graph/inferred`` and the SHACL check.

The web layer and the command line call only what this package exports."""

from .owlrl_closure import BUILT_IN_NAMESPACES, REFLEXIVE_NOISE, ReasoningReport, materialize
from .validation import ValidationReport, validate

__all__ = ["BUILT_IN_NAMESPACES", "REFLEXIVE_NOISE", "ReasoningReport", "ValidationReport", "materialize",
           "validate"]
