"""What a page or an export says about a resource of the graph (no Flask): descriptions, ontology docs."""
