"""The structure holds: no import cycles, imports only point down, library internals in one package.

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a file. The same syntax trees show where code reaches into a library object
(the transport package alone may: app/realtime/transport/__init__.py lists what it touches).
A package's import of its own modules (a blueprint's `__init__.py` loading its routes, as
the style guide lays blueprints out) is not counted as an arrow: Python runs a package
before any module in it, so that arrow is the package's own.
"""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The lower layers, and what they may never import.
LOWER = ("app.models", "app.shapes", "app.services")
UPPER = (
    "app.realtime",
    "app.auth",
    "app.tables",
    "app.api",
    "app.floors",
    "app.users",
    "app.health",
    "app.offline",
    "app.guests",
    "app.sections",
)
# The public surface of the socket libraries; anything below it is an internal.
SOCKET_LIBRARIES = ("eventlet", "gevent", "engineio", "socketio", "flask_socketio")
PUBLIC = {"eventlet", "eventlet.wsgi", "gevent", "gevent.monkey", "engineio", "socketio", "flask_socketio"}
EDGE = "app.realtime.transport"
# Attributes that are the libraries' Engine.IO sessions under a socket (`eio`, `eio_sid`, `eio_socket`,
# `eio_sid_from_sid`, ...): only the transport names them.
SESSION_ATTRIBUTE = re.compile(r"eio(_\w*)?")
# What, imported, is a socket library object: the libraries' modules, and the app's Flask-SocketIO.
LIBRARY_ROOTS = (*SOCKET_LIBRARIES, "simple_websocket", "app.extensions.socketio")


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a source file under `root`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str, known: set[str]) -> bool:
    if name in known:
        return True
    if name.startswith("app.") or name == "app":
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module a file imports, at its top or inside functions: `from a import b` is `a.b` when b is one."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if _is_module(full, known) else base)
    return found


def import_graph(root: Path, top: str = "app") -> dict[str, set[str]]:
    """Each module of the package `top` under `root`, with every module it imports."""
    files = {module_name(path, root): path for path in sorted((root / top).rglob("*.py"))}
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among the graph's own modules, each as the path that closes it."""
    found, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if target not in graph or target.startswith(module + "."):
                continue
            if state.get(target) == "open":
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_app_has_no_import_cycle():
    """No module of app/ reaches itself again through its imports, function-level ones included."""
    assert cycles(import_graph(ROOT)) == []


def test_models_and_services_import_nothing_from_realtime_or_the_views():
    """The lower layers offer registration points; nothing in them points up."""
    upward = {
        module: sorted(target for target in targets if _within(target, UPPER))
        for module, targets in import_graph(ROOT).items()
        if _within(module, LOWER)
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_models_import_no_service():
    """Models are the bottom floor."""
    graph = import_graph(ROOT)
    assert {
        m: sorted(t for t in ts if _within(t, ("app.services",)))
        for m, ts in graph.items()
        if _within(m, ("app.models",)) and any(_within(t, ("app.services",)) for t in ts)
    } == {}


def test_shapes_sit_between_models_and_services():
    """The shapes read the models' limits and names and nothing of the services; no model imports a shape."""
    graph = import_graph(ROOT)
    upward = {
        module: sorted(target for target in targets if _within(target, ("app.services",)))
        for module, targets in graph.items()
        if _within(module, ("app.shapes",))
    }
    downward = {
        module: sorted(target for target in targets if _within(target, ("app.shapes",)))
        for module, targets in graph.items()
        if _within(module, ("app.models",))
    }
    assert {module: targets for module, targets in {**upward, **downward}.items() if targets} == {}


def test_only_the_transport_package_imports_socket_library_internals():
    """eventlet, gevent, engineio, socketio and flask_socketio are used through their public modules elsewhere."""
    internal = {
        module: sorted(t for t in targets if _within(t, SOCKET_LIBRARIES) and t not in PUBLIC)
        for module, targets in import_graph(ROOT).items()
        if not _within(module, (EDGE,))
    }
    assert {module: targets for module, targets in internal.items() if targets} == {}


def _library_names(tree: ast.AST) -> set[str]:
    """The names bound in a module to a socket library object: imported from a library (or the
    app's `socketio`), named as an Engine.IO session is (`eio`, `eio_socket`, ...), or assigned
    from an expression that starts at such a name."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and SESSION_ATTRIBUTE.fullmatch(node.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and SESSION_ATTRIBUTE.fullmatch(node.id):
            names.add(node.id)
        elif isinstance(node, ast.Import):
            names.update(
                (alias.asname or alias.name).split(".")[0] for alias in node.names if _within(alias.name, LIBRARY_ROOTS)
            )
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.update(
                alias.asname or alias.name
                for alias in node.names
                if _within(node.module or "", LIBRARY_ROOTS) or _within(f"{node.module}.{alias.name}", LIBRARY_ROOTS)
            )
    assignments = [node for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr))]
    grown = True
    while grown:
        grown = False
        for node in assignments:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is None or _root_name(node.value) not in names:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id not in names:
                    names.add(target.id)
                    grown = True
    return names


def _root_name(node: ast.AST) -> str | None:
    """The name an expression such as `a.b[c].d(e).f` starts from (`a`), or None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def library_reaches(source: str) -> list[str]:
    """Where this source reaches below a socket library object's surface, as `line: what`.

    An attribute named eio or eio_something (eio_sid, eio_socket, ...), read or assigned, on anything; `__dict__`
    or `vars()` of a library object; an attribute assigned or deleted on one, or `setattr`
    or `delattr` on one.
    """
    tree = ast.parse(source)
    library = _library_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and SESSION_ATTRIBUTE.fullmatch(node.attr):
            found.append((node.lineno, node.col_offset, f".{node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr == "__dict__" and _root_name(node.value) in library:
            found.append((node.lineno, node.col_offset, f"__dict__ of {_root_name(node.value)}"))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, (ast.Store, ast.Del))
            and _root_name(node.value) in library
        ):
            found.append((node.lineno, node.col_offset, f".{node.attr} set on {_root_name(node.value)}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"setattr", "delattr", "vars"}
            and node.args
            and _root_name(node.args[0]) in library
        ):
            found.append((node.lineno, node.col_offset, f"{node.func.id}() on {_root_name(node.args[0])}"))
    return [f"{line}: {what}" for line, _, what in sorted(found)]


def test_only_the_transport_reaches_into_library_objects():
    """Outside the transport package no code names an Engine.IO session attribute, reads a library
    object's `__dict__`, or sets attributes on one: it uses the transport's verbs."""
    reaches = {
        name: library_reaches(path.read_text())
        for path in sorted((ROOT / "app").rglob("*.py"))
        if not _within(name := module_name(path, ROOT), (EDGE,))
    }
    assert {name: found for name, found in reaches.items() if found} == {}


def test_the_checks_see_a_planted_reach_into_a_library_object():
    """A handler that reaches the session under a socket, reads its `__dict__` and grafts onto the
    server is caught on each of those lines; the same code through the transport is not."""
    planted = (
        "from app.extensions import socketio\n"
        "import engineio\n"
        "def gone(sid):\n"
        "    server = socketio.server\n"
        "    session = server.eio.sockets.get(server.manager.eio_sid_from_sid(sid, '/'))\n"
        "    wire = session.__dict__.get('wire')\n"
        "    server.admission = object()\n"
        "    setattr(server, 'wire_liveness', None)\n"
        "    return vars(engineio.Server)\n"
        "def install(eio, admission):\n"
        "    eio.admission = admission\n"
    )
    assert library_reaches(planted) == [
        "5: .eio",
        "5: .eio_sid_from_sid",
        "6: __dict__ of session",
        "7: .admission set on server",
        "8: setattr() on server",
        "9: vars() on engineio",
        "11: .admission set on eio",
    ]
    through_the_transport = (
        "from app.extensions import socketio\n"
        "from app.realtime import transport\n"
        "def gone(sid):\n"
        "    table = load(sid)\n"
        "    setattr(table, 'status', 'free')\n"
        "    return transport.gone(socketio.server, sid)\n"
    )
    assert library_reaches(through_the_transport) == []


def test_the_checks_see_a_cycle_closed_inside_a_function(tmp_path):
    """A planted cycle whose last arrow is an import inside a function is found."""
    package = tmp_path / "app"
    (package / "kitchen").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "kitchen" / "__init__.py").write_text("")
    (package / "kitchen" / "orders.py").write_text("from app.kitchen import tickets\n")
    (package / "kitchen" / "tickets.py").write_text("def print_ticket():\n    from app.kitchen.orders import x\n")
    assert cycles(import_graph(tmp_path)) == [["app.kitchen.orders", "app.kitchen.tickets", "app.kitchen.orders"]]
