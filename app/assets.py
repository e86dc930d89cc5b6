"""Static files under content-hashed names, compressed, and served by WhiteNoise with long cache lives.

Flask has no manifest of static files, so one is made at start: every file under static/ is
read once and copied into the build folder (instance/static-build by default, never in git)
under a name carrying a short hash of its content, `js/store.js` -> `js/store.1a2b3c4d5e6f.js`,
beside its gzip and brotli forms made by WhiteNoise's own compressor. Then:

- `url_for('static', filename='js/store.js')` gives the hashed URL (a `url_defaults` hook);
- WhiteNoise answers hashed URLs with `Cache-Control: max-age=<ten years>, public, immutable`
  and plain ones (old pages, bookmarks, source maps) with the same bytes but revalidated;
  both are sent pre-compressed when the browser accepts it;
- browser modules import each other by plain relative paths (`./store.js`), so each page
  carries an import map from every module's plain URL to its hashed one; without it a new
  release could run old and new modules together. The map is an inline script, allowed by
  the Content-Security-Policy through its sha256 hash (see app.security).
"""

import hashlib
import json
import os
import shutil
import tempfile
from base64 import b64encode
from pathlib import Path

from flask import Flask
from markupsafe import Markup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

STATIC_URL = "/static/"
HASH_LENGTH = 12
FAVICON = "favicon.svg"


def hashed_name(name: str, content: bytes) -> str:
    """`js/store.js` -> `js/store.<first 12 hex digits of its sha256>.js`."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, slash, base = name.rpartition("/")
    stem, dot, extension = base.rpartition(".")
    renamed = f"{stem}.{digest}.{extension}" if dot and stem else f"{base}.{digest}"
    return f"{folder}{slash}{renamed}"


def _publish(source: Path, content: bytes, target: Path, compressor: Compressor) -> None:
    """Write one hashed copy and its compressed forms; the copy itself lands last, so its presence means done."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=".build-"))
    try:
        staged = scratch / target.name
        staged.write_bytes(content)
        stat = source.stat()
        os.utime(staged, (stat.st_atime, stat.st_mtime))
        if compressor.should_compress(target.name):
            for made in compressor.compress(str(staged)):
                os.replace(made, target.parent / Path(made).name)
        os.replace(staged, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_static(static_folder: Path, build_folder: Path) -> dict[str, str]:
    """Copy every static file to its hashed name (once per content); return plain name -> hashed name."""
    compressor = Compressor(quiet=True)
    manifest = {}
    for source in sorted(static_folder.rglob("*")):
        if not source.is_file() or source.name.startswith("."):
            continue
        name = source.relative_to(static_folder).as_posix()
        content = source.read_bytes()
        manifest[name] = hashed_name(name, content)
        target = build_folder / manifest[name]
        if not target.exists():
            _publish(source, content, target, compressor)
    return manifest


def import_map(manifest: dict[str, str]) -> str:
    """The page's import map: each module's plain URL to its hashed URL, as compact JSON."""
    modules = {STATIC_URL + plain: STATIC_URL + hashed for plain, hashed in manifest.items() if plain.endswith(".js")}
    return json.dumps({"imports": modules}, sort_keys=True, separators=(",", ":"))


def script_hash(text: str) -> str:
    """The CSP source that lets exactly this inline script run."""
    return "'sha256-" + b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _no_sniffing(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def register(app: Flask) -> None:
    """Build the hashed copies, version `url_for('static')`, serve with WhiteNoise, and add the import map."""
    static_folder = Path(app.static_folder)
    build_folder = Path(app.config["STATIC_BUILD_FOLDER"] or Path(app.instance_path) / "static-build")
    manifest = build_static(static_folder, build_folder)
    versioned = {STATIC_URL + hashed for hashed in manifest.values()}
    static = WhiteNoise(
        app.wsgi_app,
        max_age=0,
        immutable_file_test=lambda path, url: url in versioned,
        add_headers_function=_no_sniffing,
    )
    for plain, hashed in manifest.items():
        copy = str(build_folder / hashed)
        static.add_file_to_dictionary(STATIC_URL + hashed, copy)
        static.add_file_to_dictionary(STATIC_URL + plain, copy)
    if FAVICON in manifest:
        # Browsers ask for /favicon.ico whatever the page links; answer with the same icon.
        static.add_file_to_dictionary("/favicon.ico", str(build_folder / manifest[FAVICON]))
    app.wsgi_app = static

    modules = import_map(manifest)
    app.config["CSP_SCRIPT_SOURCES"] = [*app.config.get("CSP_SCRIPT_SOURCES", []), script_hash(modules)]

    @app.url_defaults
    def versioned_static_url(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    @app.context_processor
    def page_import_map() -> dict:
        return {"import_map": Markup(modules)}
