"""The research API: answers shaped for researchers' tools (GeoJSON of places, ...), built on the query service."""
