"""Reasoners measured against the native engine by ``benchmarks/bench_reasoning.py`` (issue 6, item 7).

Benchmark code, not product code: nothing under ``src/`` imports it. :mod:`.nemo_program` compiles
the ontology into Nemo rules, :mod:`.runners` runs ``reasonable`` and Nemo over the same triples,
:mod:`.closures` compares their closures with the native one.
"""
