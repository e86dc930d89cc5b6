"""Production entry: `python wsgi.py` serves one process; `flask` finds the app here."""

if __name__ == "__main__":
    from app.async_mode import patch_for_server

    patch_for_server()

from app import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from app.extensions import socketio
    from app.realtime.server import start_background_jobs

    start_background_jobs(app)
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], log_output=True)
