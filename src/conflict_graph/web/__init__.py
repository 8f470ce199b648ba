"""The web layer: a Flask application factory over the query engine.

``create_app()`` builds (or finds in the cache) the dataset the settings name, starts the query
workers and returns an application serving

* ``/sparql``: the SPARQL 1.1 Protocol and the service description (:mod:`.sparql`);
* ``/health``: status, versions and workers;
* ``/api/...``: the named queries as an API with its OpenAPI description (:mod:`.api`);
* ``/downloads/`` and ``/context.jsonld``: the release files (:mod:`.downloads`);
* ``/map`` and ``/api/places.geojson``: the map and timeline, and the GeoJSON of places (:mod:`.map`);
* ``/ontology``: the ontology's documentation and its RDF (:mod:`.ontology`);
* ``/explain`` and ``/consistency``: why a triple holds, and what contradicts what (:mod:`.explain`);
* ``/query``: the query page (:mod:`.ui`);
* ``/``, ``/id/…``, ``/graph/…``, ``/dataset/…``: the landing page and every project IRI
  (:mod:`.pages`).

Tests and embedders pass their own engine (``create_app(engine=...)``), so one expensive engine
can back many cheap applications. Nothing outside this package imports Flask.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask

from ..settings import SETTINGS, resolve

if TYPE_CHECKING:
    from ..query.engine import QueryService

__all__ = ["create_app"]

_SETTING_NAMES = frozenset(setting.name for setting in SETTINGS)


def create_app(test_config: Mapping[str, Any] | None = None, *, engine: QueryService | None = None) -> Flask:
    """Create the application.

    Args:
        test_config: Flask configuration (``TESTING``, ``QUERIES_DIR``, ...) and setting overrides
            by setting name (``max_rows``, ``cors_origins``, ...); settings not given come from
            ``CONFLICT_GRAPH_*`` variables, then from their defaults.
        engine: the query engine to serve; by default one is built from the settings (which
            builds the dataset and starts the worker processes).

    Raises:
        SettingError: a ``CONFLICT_GRAPH_*`` variable does not parse.
        DataLoadError, ValidationFailed, ReasoningError: building the dataset failed.
    """
    config = dict(test_config or {})
    settings = resolve({k: v for k, v in config.items() if k in _SETTING_NAMES})
    app = Flask(__name__)
    app.config.from_mapping({k: v for k, v in config.items() if k not in _SETTING_NAMES})
    app.config["CONFLICT_GRAPH"] = settings
    if engine is None:
        from ..query.engine import QueryService

        engine = QueryService.from_settings(settings)
    app.extensions["conflict_graph"] = engine

    from . import api, cors, downloads, errors, explain, fast_path, ontology, sparql
    from . import map as map_page

    errors.init_app(app)
    cors.init_app(app)
    app.wsgi_app = fast_path.SparqlFastPath(app.wsgi_app, engine)  # type: ignore[method-assign]
    app.register_blueprint(sparql.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(map_page.bp)
    app.register_blueprint(ontology.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(explain.bp)
    if importlib.util.find_spec(f"{__name__}.ui") is not None:
        from . import pages, ui

        app.register_blueprint(ui.bp)
        app.register_blueprint(pages.bp)
    return app
