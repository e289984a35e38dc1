"""Static files and pages go out compressed and cacheable."""

import gzip

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_vendor_file_is_gzipped_and_cached_for_a_year(client):
    response = client.get("/static/vendor/htmx-2.0.11.min.js", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    body = gzip.decompress(response.data)
    assert body.startswith(b"var htmx") or b"htmx" in body[:200]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(body) / 2


def test_our_css_and_js_carry_a_content_hash_and_may_be_cached_long(client):
    page = client.get("/").text
    assert "/static/css/board.css?v=" in page
    assert "/static/js/board.js?v=" in page
    href = page.split('href="/static/css/board.css?v=')[1].split('"')[0]
    response = client.get(f"/static/css/board.css?v={href}", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_an_unversioned_static_file_is_revalidated(client):
    with client.get("/static/css/board.css") as response:
        assert "no-cache" in response.headers["Cache-Control"]


def test_a_client_without_gzip_gets_the_plain_file(client):
    with client.get("/static/vendor/htmx-2.0.11.min.js") as response:
        assert "Content-Encoding" not in response.headers
        assert "Accept-Encoding" in response.headers["Vary"]


def test_pages_are_gzipped_too(client):
    response = client.get("/", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Intervisiebord" in gzip.decompress(response.data)


def test_a_gzipped_file_still_answers_a_revalidation_with_304(client):
    first = client.get("/static/css/board.css", headers=GZIP)
    etag = first.headers["ETag"]
    with client.get("/static/css/board.css", headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304
