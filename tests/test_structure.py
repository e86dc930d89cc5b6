"""The structure holds: no import cycles, imports only point down, library internals in one package.

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a file. A package's import of its own modules (a blueprint's `__init__.py`
loading its routes, as the style guide lays blueprints out) is not counted as an arrow:
Python runs a package before any module in it, so that arrow is the package's own.
"""

import ast
import importlib.util
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
EDGE = "app.realtime.direct"


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


def test_only_the_direct_package_imports_socket_library_internals():
    """eventlet, gevent, engineio, socketio and flask_socketio are used through their public modules elsewhere."""
    internal = {
        module: sorted(t for t in targets if _within(t, SOCKET_LIBRARIES) and t not in PUBLIC)
        for module, targets in import_graph(ROOT).items()
        if not _within(module, (EDGE,))
    }
    assert {module: targets for module, targets in internal.items() if targets} == {}


def test_the_checks_see_a_cycle_closed_inside_a_function(tmp_path):
    """A planted cycle whose last arrow is an import inside a function is found."""
    package = tmp_path / "app"
    (package / "kitchen").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "kitchen" / "__init__.py").write_text("")
    (package / "kitchen" / "orders.py").write_text("from app.kitchen import tickets\n")
    (package / "kitchen" / "tickets.py").write_text("def print_ticket():\n    from app.kitchen.orders import x\n")
    assert cycles(import_graph(tmp_path)) == [["app.kitchen.orders", "app.kitchen.tickets", "app.kitchen.orders"]]
