"""Query engine: the store of a built dataset, query checks, workers, result writers, named queries."""
