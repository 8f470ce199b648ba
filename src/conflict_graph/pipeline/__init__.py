"""Build pipeline: finding inputs, parsing, naming evidence, the cached build artifact."""
