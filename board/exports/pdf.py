"""HTML to PDF with WeasyPrint, reading our own stylesheet from disk and nothing else."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from flask import current_app, url_for
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

# The page's links resolve against this; no request ever goes there or anywhere else.
BASE_URL = "https://intervisiebord.invalid/"


class StaticFiles(URLFetcher):
    """Serves the files under the static folder from disk; refuses every other URL."""

    def __init__(self, folder: str, prefix: str) -> None:
        super().__init__()
        self.folder = folder
        self.prefix = prefix  # the static folder's URL, for example BASE_URL + "static/"

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        name = urlsplit(url).path.removeprefix(urlsplit(self.prefix).path)
        found = safe_join(self.folder, unquote(name)) if url.startswith(self.prefix) else None
        if found is None or not Path(found).is_file():
            raise ValueError(f"not one of our static files: {url}")
        mimetype = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mimetype})


def html_to_pdf(html: str) -> bytes:
    """A PDF of the page, styled by its print stylesheet (call in a request context)."""
    static = urljoin(BASE_URL, url_for("static", filename=""))
    fetcher = StaticFiles(current_app.static_folder, static)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
