"""OpenAPI links: which answer names the table, section or floor a next request can use.

Client generators show them as "what you can do next"; the stateful fuzzing tests follow them
to chain requests (create a table, then change its status, read its history, delete it).
"""

import copy

TABLE = "/api/tables/{tableId}"
SECTION = "/api/sections/{sectionId}"
FLOOR = "/api/floors/{floor}"


def _to(path: str, method: str, body: dict | None = None, **parameters: str) -> dict:
    pointer = path.replace("~", "~0").replace("/", "~1")
    link = {"operationRef": f"#/paths/{pointer}/{method}", "parameters": parameters}
    if body:
        link["requestBody"] = body
    return link


def _table_links(source: str) -> dict:
    table_id = {"tableId": f"$response.body#/{source}tableId"}
    return {
        "ReadTable": _to(TABLE, "get", **table_id),
        "EditTable": _to(TABLE, "patch", **table_id),
        "DeleteTable": _to(TABLE, "delete", **table_id),
        "ChangeStatus": _to(f"{TABLE}/status", "patch", **table_id),
        "ReadHistory": _to(f"{TABLE}/history", "get", **table_id),
        "SaveLayout": _to(f"{FLOOR}/layout", "put", floor=f"$response.body#/{source}floor"),
    }


def _section_links() -> dict:
    section_id = {"sectionId": "$response.body#/sectionId"}
    return {
        "EditSection": _to(SECTION, "patch", **section_id),
        "DeleteSection": _to(SECTION, "delete", **section_id),
        "AssignSection": _to(f"{SECTION}/assignee", "put", **section_id),
    }


def _floor_links() -> dict:
    floor = {"floor": "$response.body#/0/floor"}
    return {
        "EditFloor": _to(FLOOR, "patch", **floor),
        "ListSections": _to(f"{FLOOR}/sections", "get", **floor),
        "AddSection": _to(f"{FLOOR}/sections", "post", **floor),
        "SaveLayout": _to(f"{FLOOR}/layout", "put", **floor),
        "AddTable": _to("/api/tables", "post", body={"floor": floor["floor"]}),
    }


# (path, method, status) -> the links of that answer
LINKS = {
    ("/api/tables", "post", "201"): _table_links(""),
    ("/api/tables", "get", "200"): _table_links("0/"),
    (TABLE, "get", "200"): _table_links(""),
    (TABLE, "patch", "200"): _table_links(""),
    (f"{TABLE}/status", "patch", "200"): _table_links(""),
    ("/api/floors", "get", "200"): _floor_links(),
    (f"{FLOOR}/sections", "post", "201"): _section_links(),
    (SECTION, "patch", "200"): _section_links(),
}


def with_links(paths: dict) -> dict:
    """The paths with each answer's links added (the paths given are not changed)."""
    linked = copy.deepcopy(paths)
    for (path, method, status), links in LINKS.items():
        linked[path][method]["responses"][status]["links"] = links
    return linked
