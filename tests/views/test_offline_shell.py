"""The service worker, the web app manifest, and the marks that keep one person's pages their own."""

import re
import shutil
import struct
from pathlib import Path

from app.offline.shell import shell_version

ICONS = Path(__file__).resolve().parents[2] / "static" / "icons"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_service_worker_is_served_from_the_root_fresh_each_time_with_the_shell_to_keep(client):
    """/sw.js is JavaScript, never cached by HTTP, versioned, and lists scripts, styles, Socket.IO, icons, manifest."""
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', body)
    assert version, body[:300]
    for url in (
        "/static/js/tables-page.js",
        "/static/js/offline-queue.js",
        "/static/css/app.css",
        "/static/vendor/socket.io.esm.min.js",
        "/static/icons/tableside-192.png",
    ):
        # Under its content-hashed name (app/assets.py), as the pages ask for it.
        stem, ending = url.rsplit(".", 1)
        assert re.search(rf'"{re.escape(stem)}\.[0-9a-f]{{12}}\.{ending}"', body), url
    shell = re.search(r"const SHELL = (\[.*?\]);", body).group(1)
    assert ".map" not in shell
    assert '"/manifest.webmanifest"' in shell, "a page reloaded offline needs its manifest"


def test_the_worker_never_keeps_api_socket_or_sign_in_responses(client):
    """The worker leaves the API, the socket, sign-in and sign-out to the network."""
    body = client.get("/sw.js").get_data(as_text=True)
    never = re.search(r"const NEVER_KEPT = (\[.*?\]);", body).group(1)
    for prefix in ("/api", "/socket.io", "/login", "/logout"):
        assert f'"{prefix}"' in never


def test_a_change_to_a_shell_file_gives_a_new_version_and_the_same_content_the_same(app, tmp_path):
    """The version follows the content of the shell (not file times), so a release gets a new worker."""
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    script = static / "js" / "store.js"
    with app.test_request_context():
        first = shell_version()
        original = script.read_text()
        script.write_text(original + "\n// a new release\n")
        changed = shell_version()
        script.write_text(original)
        again = shell_version()
    assert changed != first
    assert again == first


def test_a_release_label_gives_a_new_version(app):
    """RELEASE (e.g. a commit) is part of the version too."""
    with app.test_request_context():
        first = shell_version()
        app.config["RELEASE"] = "2026-12-02"
        assert shell_version() != first


def test_manifest_makes_tableside_installable_full_screen_on_the_floor_plan(client):
    """The manifest names Tableside, starts on /tables, runs standalone, with 192 and 512 PNG icons and an SVG."""
    response = client.get("/manifest.webmanifest")
    manifest = response.get_json(force=True)
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert manifest["name"] == "Tableside"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/tables"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = {icon["sizes"]: icon for icon in manifest["icons"] if icon.get("purpose", "any") == "any"}
    assert sizes["192x192"]["type"] == sizes["512x512"]["type"] == "image/png"
    assert sizes["any"]["type"] == "image/svg+xml"
    for icon in manifest["icons"]:
        name = re.sub(r"\.[0-9a-f]{12}\.", ".", icon["src"].removeprefix("/static/icons/"))
        assert client.get(icon["src"]).status_code == 200
        if icon["type"] == "image/png":
            width, height = png_size(ICONS / name)
            assert f"{width}x{height}" == icon["sizes"]


def test_pages_link_the_manifest_and_load_the_worker_script(viewer, client):
    """Signed in or not, pages link the manifest; the shell script knows who is signed in."""
    page = viewer.get("/tables?floor=1").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(
        r'<script type="module" id="offline-shell" src="[^"]+offline-shell\.[0-9a-f]{12}\.js" data-user="viewer">', page
    )
    login = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in login
    assert 'id="offline-shell"' in login and 'data-user=""' in login


def test_floor_plan_and_list_name_their_user_for_the_worker_and_stay_out_of_the_http_cache(viewer):
    """The pages the worker keeps say whose they are, and the HTTP cache keeps none of them."""
    for path in ("/tables", "/tables?floor=2", "/tables?view=list"):
        response = viewer.get(path)
        assert response.status_code == 200
        assert response.headers["X-Tableside-User"] == "viewer"
        assert response.headers["Cache-Control"] == "no-store"


def test_pages_nobody_may_keep_carry_no_user_mark(as_staff, client):
    """A refused floor and a signed-out visit are not marked, so the worker keeps neither."""
    refused = as_staff("floor2host").get("/tables?floor=1")
    assert refused.status_code == 403
    assert "X-Tableside-User" not in refused.headers
    signed_out = client.get("/tables")
    assert signed_out.status_code == 302
    assert "X-Tableside-User" not in signed_out.headers


def test_signing_out_tells_the_browser_to_clear_what_it_kept(host):
    """The sign-out response clears the site's caches and storage (service worker included)."""
    response = host.post("/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_policy_lets_the_worker_and_manifest_load_from_this_site_only(client):
    """CSP: worker-src and manifest-src are 'self'; scripts are 'self' and the import map's hash only."""
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", policy), policy
