"""Static files and pages, small and cacheable: gzip for text, long caching for versioned files."""

import gzip
import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path, PurePosixPath

import rcssmin
import rjsmin
from flask import Flask, Response, current_app, request, url_for

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
)
MINIMUM_SIZE = 500
YEAR = 60 * 60 * 24 * 365


@lru_cache(maxsize=64)
def file_hash(path: str, mtime: float) -> str:
    """A short hash of a file's content; a new mtime asks again."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """The URL of a static file with its content hash, so it may be cached for a year.
    Vendor files carry their version in the name and need no hash."""
    if filename.startswith("vendor/"):
        return url_for("static", filename=filename)
    path = Path(current_app.static_folder or "") / filename
    return url_for("static", filename=filename, v=file_hash(str(path), path.stat().st_mtime))


# Our own scripts and styles go out without their comments and spacing: the files keep them
# for whoever reads the code, a phone on the school's Wi-Fi need not fetch them (vendor files
# come minified, their version in the name).
MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minifier(filename: str) -> str | None:
    """The suffix whose minifier a static file goes through, or None."""
    suffix = PurePosixPath(filename).suffix
    return suffix if suffix in MINIFIERS and not filename.startswith("vendor/") else None


@lru_cache(maxsize=64)
def minified(suffix: str, data: bytes) -> bytes:
    """Minified once per distinct file body."""
    return MINIFIERS[suffix](data.decode("utf-8")).encode("utf-8")


@lru_cache(maxsize=64)
def gzipped(data: bytes) -> bytes:
    """Compressed once per distinct body: static files are asked for again and again."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def cache_static(response: Response) -> None:
    """Versioned static files are immutable; the rest is revalidated with its ETag."""
    if request.path.startswith("/static/vendor/") or request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True


def compress(response: Response) -> Response:
    """Minify our own static scripts and styles; gzip text bodies for clients that accept
    it (Vary tells caches why)."""
    static = request.endpoint == "static"
    if static:
        cache_static(response)
    mimetype = response.mimetype or ""
    if not mimetype.startswith(COMPRESSIBLE) or response.status_code != 200:
        return response
    response.vary.add("Accept-Encoding")
    if "Content-Encoding" in response.headers:
        return response
    suffix = minifier((request.view_args or {}).get("filename", "")) if static else None
    accepts_gzip = "gzip" in request.accept_encodings
    if not (accepts_gzip or suffix):
        return response
    if response.is_streamed and not response.direct_passthrough:
        return response
    source = response.response
    response.direct_passthrough = False
    data = response.get_data()
    if hasattr(source, "close"):
        source.close()  # the static file, read now
    changed = False
    if suffix:
        data, changed = minified(suffix, data), True
        response.set_data(data)
    if accepts_gzip and len(data) >= MINIMUM_SIZE:
        response.set_data(gzipped(data) if static else gzip.compress(data, 6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        changed = True
    etag, _weak = response.get_etag()
    if etag and changed:
        # Another representation of the same file: a weak validator, as nginx's gzip does.
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    app.after_request(compress)
