"""The research API: answers shaped for researchers' tools (GeoJSON, ...), built on the query service."""
