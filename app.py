"""Development runner: `python app.py` serves Tableside with live updates."""

from app.async_mode import patch_for_server

patch_for_server()

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402
from app.realtime.server import start_background_jobs  # noqa: E402

app = create_app()

if __name__ == "__main__":
    start_background_jobs(app)
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], allow_unsafe_werkzeug=True)
