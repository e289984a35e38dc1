"""Static files and pages go out compressed and cacheable."""

import gzip
from pathlib import Path

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


def static_file(client, name: str) -> bytes:
    return (Path(client.application.static_folder) / name).read_bytes()


def test_our_scripts_and_styles_go_out_without_their_comments(client):
    for name, comment, kept in (
        ("js/board.js", b"a push never wipes what a person typed", b"function heartbeat()"),
        ("css/board.css", b"/*", b".card-item"),
    ):
        source = static_file(client, name)
        assert comment in source
        response = client.get(f"/static/{name}", headers=GZIP)
        body = gzip.decompress(response.data)
        assert comment not in body and kept in body
        assert len(body) < 0.9 * len(source)
        assert response.headers["ETag"].startswith('W/"')
        with client.get(f"/static/{name}") as plain:  # no gzip: minified all the same
            assert "Content-Encoding" not in plain.headers
            assert plain.data == body


def test_a_vendor_file_goes_out_as_it_is(client):
    name = "vendor/htmx-2.0.11.min.js"
    response = client.get(f"/static/{name}", headers=GZIP)
    assert gzip.decompress(response.data) == static_file(client, name)


def test_a_minified_file_still_answers_a_revalidation_with_304_without_gzip_too(client):
    first = client.get("/static/js/board.js")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"'), "the body is not the file's: a weak validator"
    with client.get("/static/js/board.js", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
