"""The import directions of design.md §2, checked on every module's import statements."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ui", "desktop_app", "sync", "local_db", "domain", "server", "build_spec")
# package -> app packages it may import (itself always allowed)
ALLOWED: dict[str, frozenset[str]] = {
    "ui": frozenset({"desktop_app", "sync", "local_db", "domain"}),
    "desktop_app": frozenset({"sync", "local_db", "domain"}),
    "sync": frozenset({"local_db", "domain"}),
    "local_db": frozenset({"domain", "sync"}),
    "domain": frozenset(),
    "server": frozenset({"sync", "domain"}),
    "build_spec": frozenset(),
}
# server (and local_db, whose outbox rows hold EntryPayload JSON) may import only the wire-schema
# modules of sync (pydantic + domain, see test below), never the client engine.
SCHEMA_ONLY = ("server", "local_db")
SYNC_SCHEMA_OK = ("sync.protocol",)
QT_FREE = ("local_db", "sync", "domain", "server")
UI_ENTRY_POINT = "desktop_app/commands/gui.py"


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
            # `from sync import protocol` imports sync.protocol
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names if node.module in PACKAGES]
    return out


def sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if "migrations/versions" not in p.as_posix())


def _is_schema_module(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and (name.startswith(SYNC_SCHEMA_OK) or parts[1].endswith("_protocol"))


def violations() -> list[str]:
    bad: list[str] = []
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        pkg = rel.split("/")[0]
        for line, name in imports_of(path):
            top = name.split(".")[0]
            where = f"{rel}:{line} imports {name}"
            if top in ("PySide6", "shiboken6") and pkg in QT_FREE:
                bad.append(f"{where} (no Qt in {pkg})")
            if top not in PACKAGES or top == pkg:
                continue
            if top == "ui" and rel != UI_ENTRY_POINT:
                bad.append(f"{where} (only {UI_ENTRY_POINT} may import ui)")
            elif top != "ui" and top not in ALLOWED[pkg]:
                bad.append(f"{where} ({pkg} may not import {top})")
            elif pkg in SCHEMA_ONLY and top == "sync" and not _is_schema_module(name):
                bad.append(f"{where} ({pkg} may import only sync.protocol / sync.*_protocol)")
    return bad


def test_no_forbidden_import_edges() -> None:
    assert violations() == []


def test_sync_schema_modules_import_only_domain() -> None:
    # They are the one shared edge into sync (from server and local_db), so they must not pull in
    # the client engine or the store.
    for path in sorted((ROOT / "sync").glob("*protocol.py")):
        tops = {n.split(".")[0] for _, n in imports_of(path)}
        assert tops & set(PACKAGES) <= {"domain", "sync"}, path
        assert not {n for _, n in imports_of(path) if n.startswith("sync.") and not _is_schema_module(n)}, path


def test_the_checker_sees_a_forbidden_edge(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("import PySide6.QtCore\nfrom ui import app\nfrom sync import engine\n", encoding="utf-8")
    assert [n for _, n in imports_of(f)] == ["PySide6.QtCore", "ui", "ui.app", "sync", "sync.engine"]
