"""Static files: content-hashed URLs, compressed copies, a year's caching, an import map, a favicon."""

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest

from app.assets import build_static, hashed_name, script_hash
from tests.support.browser import TABLET, signed_in_page
from tests.support.live_server import ROOT
from tests.support.servers import start_sqlite_server

STATIC = ROOT / "static"
HASHED_MODULE = re.compile(r"/static/(js|vendor)/([\w-]+/)*[\w.-]+\.[0-9a-f]{12}\.js$")
TEN_YEARS = "max-age=315360000"


def page_import_map(html: str) -> tuple[str, dict]:
    [text] = re.findall(r'<script type="importmap">(.*?)</script>', html, re.S)
    return text, json.loads(text)


def test_pages_link_static_files_by_content_hash(viewer):
    """Stylesheets, the page's module and the icon are linked under names carrying their content's hash."""
    html = viewer.get("/tables").get_data(as_text=True)
    for plain in ("css/app.css", "css/tables.css", "js/tables-page.js", "favicon.svg"):
        hashed = hashed_name(plain, (STATIC / plain).read_bytes())
        assert f'"/static/{hashed}"' in html, plain
    assert '"/static/css/app.css"' not in html


def test_import_map_sends_every_module_to_its_hashed_url_and_the_policy_allows_it(viewer):
    """Each module's plain URL maps to its hashed one, and the CSP names the map's exact hash."""
    response = viewer.get("/tables")
    text, import_map = page_import_map(response.get_data(as_text=True))
    modules = sorted(p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*.js"))
    assert sorted(url.removeprefix("/static/") for url in import_map["imports"]) == modules
    for plain, hashed in import_map["imports"].items():
        assert hashed == "/static/" + hashed_name(plain.removeprefix("/static/"), (ROOT / plain[1:]).read_bytes())
    assert f"script-src 'self' {script_hash(text)};" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress), ("", None, None)],
)
def test_hashed_files_are_compressed_and_cached_for_good(client, accept, encoding, decode):
    """A hashed module comes pre-compressed as the browser accepts it, cacheable for years, never revalidated."""
    plain = "js/store.js"
    source = (STATIC / plain).read_bytes()
    response = client.get(f"/static/{hashed_name(plain, source)}", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert (decode(response.data) if decode else response.data) == source
    assert response.headers["Cache-Control"] == f"{TEN_YEARS}, public, immutable"
    assert response.headers["Content-Type"] == 'text/javascript; charset="utf-8"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Vary"] == "Accept-Encoding"


def test_plain_names_still_work_but_are_revalidated(client):
    """An old page or a bookmark asking for /static/js/store.js gets the file, checked again on each use."""
    response = client.get("/static/js/store.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert gzip.decompress(response.data) == (STATIC / "js/store.js").read_bytes()
    assert response.headers["Cache-Control"] == "max-age=0, public"
    again = client.get("/static/js/store.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_favicon_is_there_for_browsers_that_ask_for_favicon_ico(client, viewer):
    """Pages link the SVG icon, and the default /favicon.ico request gets the same icon, not a 404."""
    html = viewer.get("/tables").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.[0-9a-f]{12}\.svg" type="image/svg\+xml">', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.data == (STATIC / "favicon.svg").read_bytes()


def test_a_changed_file_gets_a_new_name_and_the_old_copy_stays(tmp_path):
    """Editing a file makes a new hashed copy (with its compressed forms); pages still open keep theirs."""
    static, build = tmp_path / "static", tmp_path / "build"
    (static / "js").mkdir(parents=True)
    (static / "js" / "store.js").write_text("export const answer = 41;\n" * 20)
    before = build_static(static, build)["js/store.js"]
    (static / "js" / "store.js").write_text("export const answer = 42;\n" * 20)
    after = build_static(static, build)["js/store.js"]
    assert before != after
    assert re.fullmatch(r"js/store\.[0-9a-f]{12}\.js", after)
    names = sorted(p.name for p in (build / "js").iterdir())
    assert names == sorted(f"{Path(n).name}{suffix}" for n in (before, after) for suffix in ("", ".br", ".gz"))


# In real Chromium: the module graph, compression, caching and the policy together.
REPORTER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(event.violatedDirective));
"""


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory, browser):
    """A manager in headless Chromium on a real server, every response recorded."""
    server = start_sqlite_server(tmp_path_factory.mktemp("static"))
    context = browser.new_context(viewport=TABLET)
    try:
        context.add_init_script(REPORTER)
        page = signed_in_page(context, server.url)
        page.responses = []
        page.on("response", lambda response: page.responses.append(response))
        page.server_url = server.url
        yield page
    finally:
        context.close()
        server.stop()


def modules_loaded(page) -> list:
    return [r for r in page.responses if r.url.endswith(".js") and "/static/" in r.url]


@pytest.mark.live
@pytest.mark.browser
def test_chromium_loads_the_whole_module_graph_by_hashed_urls_compressed_and_goes_live(signed_in):
    """Every module the floor plan imports, directly or not, comes by its hashed URL, compressed and immutable."""
    page = signed_in
    page.responses.clear()
    page.goto(f"{page.server_url}/tables?floor=1")
    page.wait_for_function("() => document.querySelector('#connection-status')?.dataset.state === 'live'")
    loaded = modules_loaded(page)
    names = {re.sub(r"\.[0-9a-f]{12}\.js$", ".js", r.url.split("/static/")[1]) for r in loaded}
    assert {"js/tables-page.js", "js/store.js", "js/connection.js", "vendor/socket.io.esm.min.js"} <= names
    for response in loaded:
        assert HASHED_MODULE.search(response.url), response.url
        headers = response.all_headers()
        assert headers.get("content-encoding") in ("br", "gzip"), response.url
        assert TEN_YEARS in headers["cache-control"] and "immutable" in headers["cache-control"]
    assert page.evaluate("window.__violations") == []


@pytest.mark.live
@pytest.mark.browser
def test_chromium_uses_its_cache_on_the_next_page_without_asking_the_server(signed_in):
    """Going to the list and back, the modules come from the browser's cache: nothing is transferred."""
    page = signed_in
    page.goto(f"{page.server_url}/tables?floor=1")
    page.wait_for_function("() => document.querySelector('#connection-status')?.dataset.state === 'live'")
    page.goto(f"{page.server_url}/tables?view=list")
    page.wait_for_function("() => document.querySelector('#connection-status')?.dataset.state === 'live'")
    page.responses.clear()
    page.goto(f"{page.server_url}/tables?floor=1")
    page.wait_for_function("() => document.querySelector('#connection-status')?.dataset.state === 'live'")
    transfers = page.evaluate(
        """() => performance.getEntriesByType("resource")
              .filter((entry) => entry.name.includes("/static/") && entry.name.endsWith(".js"))
              .map((entry) => [entry.name, entry.transferSize])"""
    )
    assert len(transfers) >= 5
    assert all(size == 0 for _, size in transfers), transfers


@pytest.mark.live
@pytest.mark.browser
def test_chromium_still_gets_plain_urls_and_the_favicon(signed_in):
    """A plain module URL and /favicon.ico answer 200 to the browser too."""
    page = signed_in
    page.goto(f"{page.server_url}/tables?floor=1")
    answers = page.evaluate(
        """async () => Promise.all(["/static/js/store.js", "/favicon.ico"].map(async (url) => {
             const response = await fetch(url, { cache: "no-store" });
             return [response.status, response.headers.get("content-type"), response.headers.get("cache-control")];
           }))"""
    )
    assert answers[0] == [200, 'text/javascript; charset="utf-8"', "max-age=0, public"]
    assert answers[1][0] == 200 and answers[1][1].startswith("image/svg+xml")
