"""Development runner: `python app.py` serves Tableside with live updates on HOST:PORT."""

from app.async_mode import patch_for_server
from app.listening import listen_before_loading

# The port first: screens reconnecting after a restart wait in its queue while the app loads.
mode = patch_for_server()
listening = listen_before_loading(mode) if __name__ == "__main__" else None

from app import create_app  # noqa: E402
from app.serve import serve  # noqa: E402

app = create_app(serving=__name__ == "__main__")

if __name__ == "__main__":
    serve(app, listening)
