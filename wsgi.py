"""Production entry: `python wsgi.py` serves one process; `flask` and gunicorn find `app` here."""

if __name__ == "__main__":
    from app.listening import listen_then_patch

    # The port first: screens reconnecting after a restart wait in its queue while the app loads.
    listening = listen_then_patch()

from app import create_app  # noqa: E402
from app.async_mode import patched_by_gevent_worker  # noqa: E402

app = create_app(serving=__name__ == "__main__")

if __name__ == "__main__":
    from app.serve import serve

    serve(app, listening)
elif patched_by_gevent_worker():
    # `gunicorn -k gevent wsgi:app` imports this module in its worker and serves `app`
    # itself; the worker still needs the jobs, limits and collector settings of serve().
    from app.serve import prepare_process

    prepare_process(app)
