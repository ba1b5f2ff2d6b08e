"""The import directions of design.md §2, checked on every import statement of every app module.

Layer order: ui -> desktop_app -> sync -> local_db -> domain.
- ui may import desktop_app and the pure domain package; never local_db, sync or server.
- desktop_app may import sync, local_db, domain; only desktop_app/commands/gui.py (the GUI entry
  point) may import ui.
- sync may import local_db and domain; local_db only domain; domain none of the app.
- server may import domain and only the wire-schema modules of sync (sync.protocol, sync/*_protocol.py).
- build_spec imports nothing of the app.
- local_db, sync, domain, server never import PySide6.

Also "No SQL, no HTTP" (ui), "No HTTP" (local_db), "No DB, no HTTP" (domain): the libraries that would
break those are refused too (test_layers_use_no_sql_or_http_library).

Every import counts: module level, inside functions (lazy imports), under `if TYPE_CHECKING:`,
relative imports, and `importlib.import_module("literal")` / `__import__("literal")` calls.

No import cycle between modules either (test_no_import_cycles): a lazy import that only dodges the
circular-import error at load time still ties two modules into one, so it counts too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ui", "desktop_app", "sync", "local_db", "domain", "server", "build_spec")
# package -> app packages it may import (itself always allowed; ui is handled by UI_ENTRY_POINT)
ALLOWED: dict[str, frozenset[str]] = {
    "ui": frozenset({"desktop_app", "domain"}),
    "desktop_app": frozenset({"sync", "local_db", "domain"}),
    "sync": frozenset({"local_db", "domain"}),
    "local_db": frozenset({"domain"}),
    "domain": frozenset(),
    "server": frozenset({"sync", "domain"}),
    "build_spec": frozenset(),
}
# server may import only the wire-schema modules of sync, never the client engine.
SCHEMA_ONLY = ("server",)
QT_MODULES = ("PySide6", "shiboken6")
QT_FREE = ("local_db", "sync", "domain", "server")
UI_ENTRY_POINT = "desktop_app/commands/gui.py"
# What a wire-schema module (sync/*protocol.py) may import besides the standard library.
SCHEMA_THIRD_PARTY = frozenset({"pydantic", "pydantic_core", "typing_extensions"})


def _module_of(rel: str) -> list[str]:
    """Dotted parts of the module a source path defines (a package's __init__ is the package)."""
    parts = rel.removesuffix(".py").split("/")
    return parts[:-1] if parts[-1] == "__init__" else parts


def _package_of(rel: str) -> list[str]:
    parts = rel.removesuffix(".py").split("/")
    return parts[:-1]  # the package a relative import resolves against (an __init__'s own package)


def imports_of(path: Path, rel: str | None = None) -> list[tuple[int, str]]:
    """(line, dotted module name) of every import in `path`, lazy ones included.

    `rel` (the path relative to the project root) lets relative imports be resolved to absolute names.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if rel is None:
                    continue
                base = _package_of(rel)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if not module:
                continue
            if module.split(".")[0] not in PACKAGES:
                out.append((node.lineno, module))
                continue
            # `from sync import protocol` imports sync.protocol (the bare package only via its names);
            # `from sync.protocol import Op` imports sync.protocol (and, harmlessly, sync.protocol.Op).
            if "." in module:
                out.append((node.lineno, module))
            out += [(node.lineno, f"{module}.{a.name}") for a in node.names if a.name != "*"]
            if any(a.name == "*" for a in node.names):
                out.append((node.lineno, module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            target = node.args[0].value
            func = node.func
            dynamic = (isinstance(func, ast.Name) and func.id in ("__import__", "import_module")) or (
                isinstance(func, ast.Attribute) and func.attr == "import_module"
            )
            if dynamic and isinstance(target, str) and target:
                out.append((node.lineno, target))
    return out


def sources() -> list[Path]:
    return sorted(
        p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if "migrations/versions" not in p.as_posix()
    )


def _is_schema_module(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and parts[0] == "sync" and (parts[1] == "protocol" or parts[1].endswith("_protocol"))


def check_file(path: Path, rel: str) -> list[str]:
    """Every forbidden edge of one source file, as `file:line imports name (rule)`."""
    pkg = rel.split("/")[0]
    found: dict[tuple[int, str], str] = {}  # one report per statement and rule (first name named)
    for line, name in imports_of(path, rel):
        top = name.split(".")[0]
        rules: list[str] = []
        if top in QT_MODULES and pkg in QT_FREE:
            rules.append(f"no Qt in {pkg}")
        if top in PACKAGES and top != pkg:
            if top == "ui":
                if rel != UI_ENTRY_POINT:
                    rules.append(f"only {UI_ENTRY_POINT} may import ui")
            elif top not in ALLOWED[pkg]:
                rules.append(f"{pkg} may not import {top}")
            elif pkg in SCHEMA_ONLY and top == "sync" and not _is_schema_module(name):
                rules.append(f"{pkg} may import only sync.protocol / sync/*_protocol.py")
        for rule in rules:
            found.setdefault((line, rule), f"{rel}:{line} imports {name} ({rule})")
    return list(found.values())


def violations() -> list[str]:
    bad: list[str] = []
    for path in sources():
        bad += check_file(path, path.relative_to(ROOT).as_posix())
    return bad


def module_graph(root: Path, files: list[Path]) -> dict[str, set[str]]:
    """module -> the app modules it imports (a name resolves to the longest module prefix that exists).

    `from sync import engine` and `from sync.engine import X` both point at sync.engine; importing a
    submodule is not counted as importing its package's __init__ (which would make every package whose
    __init__ re-exports a submodule look cyclic).
    """
    mods = {".".join(_module_of(p.relative_to(root).as_posix())): p for p in files}
    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        out: set[str] = set()
        for _line, name in imports_of(path, path.relative_to(root).as_posix()):
            parts = name.split(".")
            target = next((".".join(parts[:k]) for k in range(len(parts), 0, -1) if ".".join(parts[:k]) in mods), None)
            if target is not None and target != mod:
                out.add(target)
        graph[mod] = out
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import each other, directly or round a loop (Tarjan's SCCs), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # recursion depth is bounded by the chain length of app imports
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(cycles)


def test_no_forbidden_import_edges() -> None:
    bad = violations()
    assert not bad, f"{len(bad)} forbidden import(s):\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    cycles = import_cycles(module_graph(ROOT, sources()))
    assert not cycles, "modules that import each other (break the loop: move the shared part out):\n" + "\n".join(
        " <-> ".join(c) for c in cycles)


def test_sync_schema_modules_import_only_domain_and_pydantic() -> None:
    # They are the one shared edge into sync (from server), so they must not pull in the client
    # engine, the store, or any third-party package but pydantic.
    schema_files = sorted((ROOT / "sync").glob("*protocol.py"))
    assert schema_files
    bad: list[str] = []
    for path in schema_files:
        rel = path.relative_to(ROOT).as_posix()
        for line, name in imports_of(path, rel):
            top = name.split(".")[0]
            if top == "__future__" or top in sys.stdlib_module_names or top == "domain" or top in SCHEMA_THIRD_PARTY:
                continue
            if top == "sync" and _is_schema_module(name):
                continue
            bad.append(f"{rel}:{line} imports {name}")
    assert not bad, "wire-schema modules may import only domain, pydantic and the stdlib:\n" + "\n".join(bad)


# design.md §2's "No SQL, no HTTP" / "No DB, no HTTP" per layer, as the libraries that would break it.
SQL_LIBS = frozenset({"sqlalchemy", "sqlmodel", "sqlite3", "alembic", "psycopg", "psycopg2"})
HTTP_LIBS = frozenset({"requests", "httpx", "urllib3", "http", "fastapi", "starlette", "uvicorn"})
FORBIDDEN_LIBS: dict[str, frozenset[str]] = {
    "ui": SQL_LIBS | HTTP_LIBS,
    "local_db": HTTP_LIBS,
    "domain": SQL_LIBS | HTTP_LIBS,
}


def library_violations(path: Path, rel: str) -> list[str]:
    banned = FORBIDDEN_LIBS.get(rel.split("/")[0], frozenset())
    found: dict[int, str] = {}
    for line, name in imports_of(path, rel):
        if name.split(".")[0] in banned or name in ("urllib.request",):
            found.setdefault(line, f"{rel}:{line} imports {name} (no SQL/HTTP library in {rel.split('/')[0]})")
    return list(found.values())


def test_layers_use_no_sql_or_http_library() -> None:
    bad = [v for path in sources() for v in library_violations(path, path.relative_to(ROOT).as_posix())]
    assert not bad, "\n".join(bad)


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        "ui/widgets/m.py",
        "import PySide6.QtCore\n"
        "from ui import app\n"
        "from sync import engine\n"
        "def later() -> None:\n"
        "    from local_db.models import Entry\n"
        "from .. import dialogs\n"
        "from ..review.models import X\n"
        "import importlib\n"
        "importlib.import_module('server.app')\n",
    )
    names = sorted(n for _, n in imports_of(f, "ui/widgets/m.py"))
    assert names == sorted([
        "PySide6.QtCore", "ui.app", "sync.engine", "local_db.models", "local_db.models.Entry",
        "ui.dialogs", "ui.review.models", "ui.review.models.X", "importlib", "server.app",
    ])


def test_the_checker_reports_each_rule_with_file_and_line(tmp_path: Path) -> None:
    cases = {
        "ui/w.py": ("def f() -> None:\n    from local_db import repository\n", "ui/w.py:2 imports local_db.repository"),
        "ui/v.py": ("from desktop_app.services import x\nfrom domain.states import S\nimport sync.engine\n",
                    "ui/v.py:3 imports sync.engine"),
        "local_db/r.py": ("from sync.protocol import EntryPayload\n", "local_db/r.py:1 imports sync.protocol"),
        "server/s.py": ("from sync.protocol import Op\nfrom sync import engine\n", "server/s.py:2 imports sync.engine"),
        "domain/d.py": ("import PySide6\n", "domain/d.py:1 imports PySide6 (no Qt in domain)"),
        "desktop_app/services/a.py": ("from ui.app import main\n", "desktop_app/services/a.py:1 imports ui.app"),
        "build_spec/b.py": ("import domain\n", "build_spec/b.py:1 imports domain"),
        "sync/e.py": ("from ..ui import app\n", "sync/e.py:1 imports ui.app"),
    }
    for rel, (text, expected) in cases.items():
        found = check_file(_write(tmp_path, rel, text), rel)
        assert any(v.startswith(expected) for v in found), (rel, found)
    # Allowed edges stay quiet.
    ok = {
        "ui/ok.py": "from desktop_app.services.sync_service import SyncReport\nfrom domain.states import S\n",
        "server/ok.py": "from sync.protocol import Op\nfrom sync.review_protocol import Flag\nfrom sync import protocol\n",
        "local_db/ok.py": "from domain.payload import EntryPayload\n",
        UI_ENTRY_POINT: "def run() -> None:\n    from ui.app import main\n",
    }
    for rel, text in ok.items():
        assert check_file(_write(tmp_path, rel, text), rel) == [], rel
    # The SQL/HTTP library rule, lazy imports included.
    f = _write(tmp_path, "ui/q.py", "def rows() -> None:\n    from sqlalchemy import select\n")
    assert library_violations(f, "ui/q.py") == ["ui/q.py:2 imports sqlalchemy (no SQL/HTTP library in ui)"]
    f = _write(tmp_path, "local_db/ok2.py", "from sqlalchemy import select\n")
    assert library_violations(f, "local_db/ok2.py") == []


def test_the_cycle_check_finds_a_deliberate_cycle(tmp_path: Path) -> None:
    # A real package on disk: a and b import each other (b only lazily), c imports a without a loop.
    files = [
        _write(tmp_path, "local_db/__init__.py", ""),
        _write(tmp_path, "local_db/a.py", "from local_db.b import helper\n"),
        _write(tmp_path, "local_db/b.py", "def helper() -> None:\n    from local_db import a\n"),
        _write(tmp_path, "local_db/c.py", "from . import a\n"),
        _write(tmp_path, "domain/__init__.py", ""),
        _write(tmp_path, "domain/x.py", "import domain.y\n"),
        _write(tmp_path, "domain/y.py", "import domain.z\n"),
        _write(tmp_path, "domain/z.py", "from domain.x import X\n"),
    ]
    graph = module_graph(tmp_path, files)
    assert graph["local_db.c"] == {"local_db.a"}
    assert import_cycles(graph) == [["domain.x", "domain.y", "domain.z"], ["local_db.a", "local_db.b"]]
    # Cut one edge of each loop: nothing is left to report.
    _write(tmp_path, "local_db/b.py", "def helper() -> None:\n    pass\n")
    _write(tmp_path, "domain/z.py", "X = 1\n")
    assert import_cycles(module_graph(tmp_path, files)) == []
