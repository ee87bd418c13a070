"""The house rules that keep the code walkable, checked on the code itself."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "normalize", "chitieu")
SOURCES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")) + [ROOT / "pipeline.py"]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_modules_and_functions_are_short(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def _environ_writes(tree: ast.AST) -> list[int]:
    """Lines that assign to os.environ[...] or call os.environ.update / setdefault / putenv."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for t in targets:
            if isinstance(t, ast.Subscript) and ast.unparse(t.value) == "os.environ":
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                "os.environ.update", "os.environ.setdefault", "os.putenv"):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_nothing_writes_the_process_environment(path):
    assert _environ_writes(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_environment_check_finds_a_write():
    assert _environ_writes(ast.parse('import os\nos.environ["X"] = "1"\nos.environ.update(Y="2")\n')) == [2, 3]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names


@pytest.mark.parametrize("package,forbidden", [
    ("extract", {"normalize", "chitieu", "pipeline"}),
    ("normalize", {"chitieu", "pipeline"}),
    ("chitieu", {"pipeline"}),
])
def test_dependencies_point_one_way(package, forbidden):
    wrong = {_name(p): sorted(_imports(p) & forbidden) for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in wrong.items() if v} == {}
