"""Production entry: `python wsgi.py` serves one process; `flask` and gunicorn find `app` here."""

if __name__ == "__main__":
    from app.async_mode import patch_for_server

    patch_for_server()

from app import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from app.serve import serve

    serve(app)
