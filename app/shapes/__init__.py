"""One typed definition of each shape the server sends or receives (pydantic).

One module per aggregate: tables, floors, sections, staff, the service figures, sign-in,
refusals, and every Socket.IO event (events.py, with registries the AsyncAPI document reads).
The HTTP API and the HTML forms validate with these definitions, the OpenAPI document is
generated from them, and every answer and event is built through them, so a field left out
or not declared fails when it is built, not in a client. Limits come from app/models/limits.py.

Layer: below the services, above the models (it reads their limits and EventType, and takes
rows by their attributes); it imports nothing else of the app.
"""
