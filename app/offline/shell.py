"""The application shell a service worker keeps, and its version computed from the shell's content."""

import hashlib
from pathlib import Path

from flask import current_app, url_for

# Source maps help a developer online; the offline shell does not need them.
SKIPPED_SUFFIXES = (".map",)
THEME_COLOUR = "#1f4f4a"
BACKGROUND_COLOUR = "#f5f3ee"

_versions: dict[tuple, str] = {}


def shell_files(static_folder: Path) -> list[str]:
    """The static files of the shell, as paths relative to the static folder, in a stable order."""
    return sorted(
        path.relative_to(static_folder).as_posix()
        for path in static_folder.rglob("*")
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(SKIPPED_SUFFIXES)
    )


def _content_files() -> list[tuple[str, Path]]:
    """Every file whose content makes a release, named relative to its folder so hosts agree."""
    static_folder = Path(current_app.static_folder)
    templates = Path(current_app.root_path) / current_app.template_folder
    files = [(f"static/{name}", static_folder / name) for name in shell_files(static_folder)]
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            files.append((f"templates/{path.relative_to(templates).as_posix()}", path))
    return files


def shell_version() -> str:
    """A short hash of the shell's content and the configured RELEASE: a new release, a new worker."""
    files = _content_files()
    # Re-hash only when a file changed size or time, so /sw.js stays cheap to serve.
    signature = (current_app.config.get("RELEASE", ""),) + tuple(
        (name, path.stat().st_mtime_ns, path.stat().st_size) for name, path in files
    )
    if signature not in _versions:
        digest = hashlib.sha256(signature[0].encode())
        for name, path in files:
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        _versions.clear()
        _versions[signature] = digest.hexdigest()[:16]
    return _versions[signature]


def shell_urls() -> list[str]:
    """The URLs the worker fetches when it installs: the static files and the web app manifest."""
    static_folder = Path(current_app.static_folder)
    # The manifest too: a page reloaded offline links it, and without it the page has no icons
    # and cannot be installed.
    return [url_for("static", filename=name) for name in shell_files(static_folder)] + [
        url_for("offline.web_app_manifest")
    ]


def manifest() -> dict:
    """The web app manifest that lets a tablet put Tableside on its home screen."""
    return {
        "name": "Tableside",
        "short_name": "Tableside",
        "description": "Live floor plans for restaurant staff.",
        "id": "/tables",
        "start_url": url_for("tables.floor_plan"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": url_for("static", filename="icons/tableside-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="icons/tableside-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": url_for("static", filename="icons/tableside-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": url_for("static", filename="icons/tableside.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
