"""Development runner: `python app.py` serves Tableside with live updates on HOST:PORT."""

from app.async_mode import patch_for_server
from app.listening import listen_then_patch

# The port first: screens reconnecting after a restart wait in its queue while the app loads.
if __name__ == "__main__":
    listening = listen_then_patch()
else:
    patch_for_server()
    listening = None

from app import create_app  # noqa: E402
from app.serve import serve  # noqa: E402

app = create_app(serving=__name__ == "__main__")

if __name__ == "__main__":
    serve(app, listening)
