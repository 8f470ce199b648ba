"""Linked data: every IRI of the project answered by the server, for people (HTML) and machines (RDF).

* :mod:`.addresses`: project IRI ↔ local path, and the RDF formats an IRI is served in;
* :mod:`.terms`: RDF terms read from SPARQL JSON results, and their N-Triples spelling;
* :mod:`.reader`: SELECT/ASK/DESCRIBE through the :class:`~conflict_graph.query.engine.QueryService`;
* :mod:`.describe`: what the graph says about one resource (asserted, inferred, claimed) and why;
* :mod:`.sections`: the views a kind of resource gets (control timeline, hierarchy, members, ...);
* :mod:`.source_document`: a source document's text with its fact-bearing sentences;
* :mod:`.overview`: what the dataset is and covers, for the landing page;
* :mod:`.ontology_doc`: the ontology's documentation page.

Nothing here knows about HTTP: :mod:`conflict_graph.web.pages` turns these into responses.
"""
