"""The core never imports the shells: a rule of the codebase, checked on every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nightspine"
CORE = ("knowledge", "assessment", "diary", "insights", "sensors")
CORE_MODULES = (
    "errors.py",
    "report/content.py",
    "report/words.py",
    "report/fhir.py",
    "report/exchange.py",
)
SHELLS = ("nightspine.web", "nightspine.cli", "nightspine.storage", "nightspine.report.render")
SHELL_LIBRARIES = ("django", "ninja", "typer", "rich", "typst", "matplotlib")


def _core_files() -> list[Path]:
    files = [p for pkg in CORE for p in (SRC / pkg).rglob("*.py")]
    files += [SRC / m for m in CORE_MODULES if (SRC / m).exists()]
    return sorted(files)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_files_found() -> None:
    assert len(_core_files()) >= 5


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_does_not_import_shells(path: Path) -> None:
    bad = [
        name
        for name in _imports(path)
        if name.startswith(SHELLS) or name.split(".")[0] in SHELL_LIBRARIES
    ]
    assert not bad, f"{path.relative_to(SRC)} imports shell code {bad}; move that code to a shell"


def test_checker_catches_a_shell_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from nightspine.storage import models\nimport django.db\n")
    assert _imports(bad) == ["nightspine.storage", "django.db"]
