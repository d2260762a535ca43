"""Packaging: the core (assessment, diary, insights, web app) works without the optional parts,
a missing part is named with the command that installs it, and the metadata says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import nightspine

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = ("pyarrow", "dask", "distributed", "typst", "matplotlib", "actfast")
TEST_ONLY = ("statsmodels", "fhir.resources")

# Each runs in a fresh interpreter where importing any optional package fails, as on an
# install without the extras.
BLOCKER = """
import importlib.abc, json, os, sys
BLOCKED = {blocked!r}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Block())
out = {{}}
"""
LOADED = """
out["loaded"] = sorted({{m.split(".")[0] for m in sys.modules}} & set(BLOCKED))
print(json.dumps(out))
"""
CLI = """
from typer.testing import CliRunner
from nightspine.cli.main import app
from nightspine.errors import MissingExtraError
runner = CliRunner()
assessed = runner.invoke(app, ["assess", "--answers", {answers!r}, "--format", "json"])
out["assess"] = [assessed.exit_code, json.loads(assessed.stdout)["triage"]["level"]]
out["diary"] = runner.invoke(app, ["diary", "add", "--pain", "3", "--position", "side"]).exit_code
out["insights"] = runner.invoke(app, ["insights", "--format", "json"]).exit_code
try:
    from nightspine.report.render import render_pdf
    out["pdf"] = "imported"
except MissingExtraError as exc:
    out["pdf"] = str(exc)
"""
WEB = """
os.environ["DJANGO_SETTINGS_MODULE"] = "nightspine.web.settings"
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(SERVER_NAME="localhost")
out["healthz"] = client.get("/healthz").status_code
out["home"] = client.get("/").status_code
"""


def _blocked_run(part: str, tmp_path: Path, **values: str) -> dict[str, object]:
    code = (BLOCKER + part + LOADED).format(blocked=(*OPTIONAL, "statsmodels", "fhir"), **values)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(nightspine.__file__).parents[1]),
        "NIGHTSPINE_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("NIGHTSPINE_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def test_the_command_line_runs_without_the_optional_parts(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 40}', encoding="utf-8")
    out = _blocked_run(CLI, tmp_path, answers=str(answers))
    assert out["assess"] == [0, "self_care"]
    assert out["diary"] == 0 and out["insights"] == 0
    assert isinstance(out["pdf"], str)
    assert "pip install 'nightspine[pdf]'" in out["pdf"] and "typst" in out["pdf"]
    assert out["loaded"] == []


def test_the_web_app_runs_without_the_optional_parts(tmp_path: Path) -> None:
    out = _blocked_run(WEB, tmp_path)
    assert out["healthz"] == 200 and out["home"] == 200
    assert out["loaded"] == []


def test_a_missing_extra_is_named_with_its_install_command() -> None:
    from nightspine.errors import MissingExtraError, NightspineError, missing_extra

    exc = missing_extra("sensors", "reading .cwa files", ModuleNotFoundError(name="actfast"))
    assert isinstance(exc, MissingExtraError) and isinstance(exc, NightspineError)
    assert str(exc) == (
        "reading .cwa files needs the optional 'sensors' part of nightspine (actfast is not "
        "installed); install it with: pip install 'nightspine[sensors]'"
    )


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project: dict[str, object] = tomllib.load(fh)["project"]
    return project


def _names(requirements: object) -> set[str]:
    assert isinstance(requirements, list)
    names = set()
    for req in requirements:
        name = str(req).split(";")[0]
        for stop in "<>=![ ":
            name = name.split(stop)[0]
        names.add(name.lower())
    return names


def test_runtime_dependencies_are_what_runtime_imports() -> None:
    project = _project()
    core = _names(project["dependencies"])
    assert not core & {*OPTIONAL, *TEST_ONLY}
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    assert {"typst", "matplotlib"} <= _names(extras["pdf"])
    assert {"actfast", "pyarrow"} <= _names(extras["sensors"])
    assert "dask" in _names(extras["batch"])
    assert extras["all"] == ["nightspine[pdf,sensors,batch]"]
    assert "nightspine[all]" in extras["test"]
    assert set(TEST_ONLY) <= _names(extras["test"])


def test_licence_metadata_and_file() -> None:
    project = _project()
    assert project["license"] == "MIT"  # an SPDX expression (PEP 639), not the old table
    files = project["license-files"]
    assert isinstance(files, list) and "LICENSE" in files
    for name in files:
        assert (ROOT / name).is_file(), name
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "2026 nightspine contributors" in text
    classifiers = project["classifiers"]
    assert isinstance(classifiers, list)
    assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639: SPDX only


def test_the_lock_file_pins_every_runtime_dependency() -> None:
    project = _project()
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    wanted = _names(project["dependencies"]) | {
        name for extra in ("pdf", "sensors", "batch") for name in _names(extras[extra])
    }
    wanted = {w for w in wanted if not w.startswith("nightspine")}
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pinned = {line.split("==")[0].lower() for line in lines if "==" in line[:60]}
    assert {w.replace("_", "-") for w in wanted} - pinned == set()
    assert all("--hash=sha256:" in line for line in lines if line.startswith("    --"))
