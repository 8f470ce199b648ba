"""Downloads over HTTP: ``/downloads/`` lists the release of the served build, ``/downloads/NAME``
serves one file, ``/context.jsonld`` the published JSON-LD context.

Files are static once written (:class:`~conflict_graph.exports.downloads.ReleaseFolder`), so each
response carries a strong ``ETag`` (the file's SHA-256) and honours ``If-None-Match`` and ``Range``
(RFC 9110 §8.8.3, §14) through Werkzeug's ``send_file``. The listing answers JSON or HTML by
``Accept``.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, send_file

from ..exports.downloads import Download, ReleaseFolder

__all__ = ["bp"]

bp = Blueprint("downloads", __name__, template_folder="templates")
_EXTENSION = "conflict_graph.downloads"


def _release() -> ReleaseFolder:
    release = current_app.extensions.get(_EXTENSION)
    if release is None:
        engine = current_app.extensions["conflict_graph"]
        release = current_app.extensions.setdefault(_EXTENSION, ReleaseFolder(engine.pool.artifact))
    return release


def _send(item: Download, *, attachment: bool) -> Response:
    response = send_file(item.path, mimetype=item.media_type, as_attachment=attachment,
                         download_name=item.name, etag=item.sha256, conditional=True, max_age=3600)
    response.headers["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(item.sha256)).decode()  # RFC 3230
    return response


@bp.get("/downloads/")
def listing() -> Response | str:
    """The files of the release with their media types, sizes and checksums."""
    items = _release().listing()
    version = current_app.extensions["conflict_graph"].catalogue.data_version
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return render_template("downloads/index.html", items=items, version=version)
    return jsonify({"data_version": version,
                    "files": [{"name": i.name, "url": f"{request.url_root}downloads/{i.name}",
                               "media_type": i.media_type, "title": i.title, "bytes": i.size,
                               "sha256": i.sha256} for i in items]})


@bp.get("/downloads/<name>")
def download(name: str) -> Response:
    """One file of the release (404 for any other name)."""
    item = _release().get(name)
    if item is None:
        abort(404, description=f"no download called {name!r}; see /downloads/ for the list")
    return _send(item, attachment=not name.endswith((".jsonld", ".ttl")) and name != "SHA256SUMS")


@bp.get("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of the vocabulary (published at https://w3id.org/conflict-graph/context.jsonld)."""
    item = _release().get("context.jsonld")
    assert item is not None
    response = _send(item, attachment=False)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
