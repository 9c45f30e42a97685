"""The fence around ``zhiren.imports.fast``: what it may import, and who may import it."""

from __future__ import annotations

import ast
from pathlib import Path

import zhiren

SRC = Path(zhiren.__file__).resolve().parent
FAST = SRC / "imports" / "fast"
# Plain data types and the spec API of the general path: none of them imports ``fast`` back.
FAST_MAY_USE = {"zhiren.imports.rows", "zhiren.imports.plans", "zhiren.imports.spec", "zhiren.imports.validation"}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The zhiren modules a file imports (relative imports resolved; ``from x import y``: ``x``, and ``x.y`` when
    that is a module)."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
    return {name for name in found if name.startswith("zhiren")}


MODULES = {_module(path): path for path in (SRC / "imports").rglob("*.py")}


def test_fast_paths_use_only_the_general_paths_data_types():
    for path in FAST.glob("*.py"):
        outside = {m for m in _imports(path) if not m.startswith("zhiren.imports.fast")}
        assert outside <= FAST_MAY_USE, (path.name, outside - FAST_MAY_USE)


def test_no_import_cycle_runs_through_the_fast_paths():
    graph = {name: {m for m in _imports(path) if m in MODULES} for name, path in MODULES.items()}
    for start in (name for name in MODULES if name.startswith("zhiren.imports.fast")):
        seen, stack = set(), [*graph[start]]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(graph[name])
        assert start not in seen, f"{start} imports something that imports it back"
    assert graph["zhiren.imports.bulk_insert"] >= {"zhiren.imports.fast", "zhiren.imports.fast.inserts"}  # seen


def test_other_apps_go_through_the_general_path():
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "imports"):
            continue
        assert not {m for m in _imports(path) if m.startswith("zhiren.imports.fast")}, path
