"""``nightspine assess``: interactive, from files (JSON, YAML, stdin, lists) and the error path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nightspine.assessment import questionnaire as qn
from nightspine.cli.main import app
from nightspine.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

CALM = {
    "age": 34,
    "sex": "female",
    "pain_locations": ["upper_back", "neck"],
    "sleep_position": "stomach",
    "pillow": "too_high",
    "chest_pain_or_pressure": False,
    "fever": False,
}


def _run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["assess", *args], input=stdin)


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(CALM))
    result = _run("--answers", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["triage"]["level"] == "self_care"
    assert data["knowledge_version"] == load_knowledge().version
    assert {"triage", "concerns", "contributors", "plan", "for_your_doctor"} <= set(data)
    assert all(item["because"] for item in data["plan"])


def test_yaml_file_gives_the_same_result_as_json(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(CALM))
    (tmp_path / "a.json").write_text(json.dumps(CALM))
    from_yaml = _run("--answers", str(tmp_path / "a.yaml"), "--format", "json")
    from_json = _run("--answers", str(tmp_path / "a.json"), "--format", "json")
    assert from_yaml.exit_code == 0
    assert json.loads(from_yaml.stdout) == json.loads(from_json.stdout)


def test_stdin_and_a_list_give_a_list_in_order() -> None:
    docs = [CALM, {**CALM, "chest_pain_or_pressure": True}]
    result = _run("--answers", "-", "--format", "json", stdin=json.dumps(docs))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert data[0]["triage"]["level"] == "self_care"
    assert data[1]["triage"]["level"] == "emergency"


def test_yaml_stream_of_documents_is_a_list() -> None:
    stream = yaml.safe_dump_all([CALM, CALM])
    result = _run("--answers", "-", "--format", "json", stdin=stream)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


def test_single_document_gives_an_object() -> None:
    result = _run("-a", "-", "-f", "json", stdin=json.dumps(CALM))
    assert isinstance(json.loads(result.stdout), dict)


def test_text_and_markdown_are_readable() -> None:
    text = _run("--answers", "-", stdin=json.dumps(CALM))
    assert text.exit_code == 0
    assert "Self-care" in text.stdout
    assert "Your plan" in text.stdout
    assert "does not diagnose" in text.stdout
    md = _run("--answers", "-", "--format", "markdown", stdin=json.dumps(CALM))
    assert md.stdout.startswith("# Your nightspine assessment")
    assert "## For your doctor" in md.stdout
    assert "*Why for you:*" in md.stdout
    assert "Knowledge base version" in md.stdout


def test_bad_answers_exit_2_one_line_per_problem_nothing_on_stdout() -> None:
    bad = {"age": 300, "sleep_position": "upside_down", "favourite_colour": "blue"}
    result = _run("--answers", "-", "--format", "json", stdin=json.dumps(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("error: ") for line in lines)
    joined = "\n".join(lines)
    assert "age: got 300; expected a whole number from 12 to 110" in joined
    assert "sleep_position:" in joined and "one of: back, side, stomach, mixed" in joined
    assert "favourite_colour: unknown answer key" in joined


def test_bad_answers_in_a_list_name_the_document() -> None:
    docs = [CALM, {"age": "old"}]
    result = _run("--answers", "-", "--format", "json", stdin=json.dumps(docs))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: document 1: age: got 'old'; expected a whole number from 12 to 110"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [("a: [\n", "neither valid JSON nor valid YAML"), ("", "is empty"), ("42", "expected")],
)
def test_unreadable_input_exit_2(content: str, message: str) -> None:
    result = _run("--answers", "-", stdin=content)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = _run("--answers", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read the answers file" in result.stderr
    assert result.stdout == ""


# --- the interactive questionnaire -------------------------------------------------------------


def _typed(wanted: dict[str, Any]) -> str:
    """The keystrokes that answer the questionnaire with ``wanted`` (Enter skips the rest).

    A warning-sign question not in ``wanted`` is answered no; a checklist with none of its
    questions in ``wanted`` is skipped unless it asks warning signs.
    """
    kb = load_knowledge()
    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    lines: list[str] = []
    warning = qn.warning_sign_keys(kb)
    while (item := qn.next_item(answers, kb, skipped=skipped)) is not None:
        if isinstance(item, qn.Checklist):
            keys = qn.item_keys(item)
            if not item.warning_signs and not any(k in wanted for k in keys):
                skipped.add(item.id)
                lines.append("")
                continue
            ticked = [str(n) for n, k in enumerate(keys, start=1) if wanted.get(k)]
            answers.update({k: bool(wanted.get(k)) for k in keys})
            lines.append(" ".join(ticked) or "0")
            continue
        q = item
        spec = kb.vocabulary.answers[q.key]
        if q.key not in wanted:
            if q.key in warning:
                if spec.type not in ("many-of", "bool"):
                    raise KeyError(f"give a value for the warning-sign question {q.key}")
                wanted = {**wanted, q.key: [] if spec.type == "many-of" else False}
            else:
                skipped.add(q.key)
                lines.append("")
                continue
        value = wanted[q.key]
        answers[q.key] = value
        if spec.type == "bool":
            lines.append("y" if value else "n")
        elif spec.type == "one-of":
            lines.append(str(list(q.choices).index(value) + 1))
        elif spec.type == "many-of":
            lines.append(" ".join(str(list(q.choices).index(v) + 1) for v in value) or "0")
        else:
            lines.append(str(value))
    return "\n".join(lines) + "\n"


def test_interactive_full_questionnaire() -> None:
    keys = _typed(CALM)
    result = runner.invoke(app, ["assess", "--format", "json"], input=keys)
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["triage"]["level"] == "self_care"
    assert "First, some important symptoms" in result.stderr
    assert result.stderr.index("chest") < result.stderr.index("How old are you?")
    for line in data["for_your_doctor"]["summary"]:
        assert line
    assert "fever" in data["for_your_doctor"]["warning_signs_denied"]


def test_interactive_re_asks_after_a_bad_answer() -> None:
    keys = "maybe\n" + _typed(CALM)  # the first checklist asks again
    result = runner.invoke(app, ["assess"], input=keys)
    assert result.exit_code == 0, result.stdout
    assert "Please enter the numbers of those that apply, or 0 for none." in result.stdout
    assert "Your plan" in result.stdout


def test_interactive_emergency_stop_with_json_keeps_stdout_clean() -> None:
    """2 ticks chest pain on the first screen."""
    result = runner.invoke(app, ["assess", "--format", "json"], input="2\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["triage"]["level"] == "emergency"
    assert "emergency number" in result.stderr


def test_interactive_stops_early_at_an_emergency() -> None:
    result = runner.invoke(app, ["assess"], input="2\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Emergency" in result.stdout
    assert "emergency number" in result.stdout
    assert "How old are you?" not in result.stdout
    assert "Your plan" not in result.stdout


def test_interactive_input_ending_early_is_not_a_crash() -> None:
    result = runner.invoke(app, ["assess"], input="0\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout
    assert "the input ended before the questionnaire was finished" in result.stderr


# --- the real command in a subprocess ----------------------------------------------------------


def _subprocess(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nightspine", "assess", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
        check=False,
        timeout=120,
    )


def test_subprocess_json_list_from_stdin() -> None:
    proc = _subprocess("--answers", "-", "--format", "json", stdin=json.dumps([CALM, CALM]))
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 2


def test_subprocess_bad_answers() -> None:
    proc = _subprocess("--answers", "-", stdin=json.dumps({"age": 130}))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == "error: age: got 130; expected a whole number from 12 to 110"
    young = _subprocess("--answers", "-", stdin=json.dumps({"age": 5}))
    assert young.returncode == 2 and young.stdout == ""
    assert young.stderr.count("\n") == 1  # still one line per problem
    assert "aged 12 and over" in young.stderr and "ask a doctor" in young.stderr


def test_subprocess_interactive_emergency_stop() -> None:
    proc = _subprocess(stdin="2\n")
    assert proc.returncode == 0, proc.stderr
    assert "emergency number" in proc.stdout


def test_interactive_asks_follow_ups_only_when_they_apply() -> None:
    wanted = {
        **CALM,
        "weakness": ["foot"],
        "weakness_worsening": False,
        "warning_signs_started_days": 3,
    }
    result = runner.invoke(app, ["assess"], input=_typed(wanted))
    assert result.exit_code == 0, result.stdout
    assert "See a doctor today" in result.stdout
    assert "Is the weakness getting worse?" in result.stdout
    assert "Is the numbness or tingling on both sides" not in result.stdout
    assert "For your doctor" in result.stdout
    assert "Asked and denied" in result.stdout


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


def test_a_yaml_alias_bomb_fails_fast_in_little_memory(tmp_path: Path) -> None:
    import time
    import tracemalloc

    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    assert len(BILLION_LAUGHS.encode()) < 400
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = _run("--answers", str(path))
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak_bytes < 20_000_000
    assert result.exit_code == 2
    assert "anchors and aliases" in result.stderr
    assert "lol" not in result.stderr  # the message never quotes the input
    assert len(result.stderr) < 400


def test_an_oversized_answers_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("age: 34\n" + "# padding\n" * 150_000)
    result = _run("--answers", str(path))
    assert result.exit_code == 2
    assert "the largest accepted is 1000000 bytes" in result.stderr


def test_interactive_stops_at_an_emergency_answered_after_the_warning_signs() -> None:
    """Tingling hands is not an emergency alone; after a fall from a height it is (NEXUS /
    Canadian C-spine: a dangerous mechanism with new neurological symptoms)."""
    wanted = {
        **CALM,
        "numbness_or_tingling": ["hands"],
        "numbness_both_sides": False,
        "warning_signs_started_days": 1,
        "onset_event": "fall_from_height",
    }
    result = runner.invoke(app, ["assess"], input=_typed(wanted))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Stop here. Call the emergency number, 112, now" in result.stdout
    assert "Did anything set it off?" in result.stdout  # the stop came on the pain screen
    assert "How many days ago did this pain start?" not in result.stdout
    assert "Your plan" not in result.stdout


def test_the_emergency_number_follows_the_settings(monkeypatch: Any) -> None:
    monkeypatch.setenv("NIGHTSPINE_LOCALE", "en-GB")
    result = runner.invoke(app, ["assess"], input="2\n")
    assert "Call the emergency number, 999, now" in result.stdout
    monkeypatch.setenv("NIGHTSPINE_EMERGENCY_NUMBER", "000")
    result = runner.invoke(app, ["assess"], input="2\n")
    assert "Call the emergency number, 000, now" in result.stdout


def test_the_assessment_names_the_configured_emergency_number(monkeypatch: Any) -> None:
    """The triage advice and the plan's first item of an answers file name the number of the
    configured country, and no other country's number."""
    monkeypatch.setenv("NIGHTSPINE_LOCALE", "en-US")
    answers = json.dumps({"bladder_bowel": ["retention"], "pain_locations": ["lower_back"]})
    result = _run("--answers", "-", "--format", "json", stdin=answers)
    assert result.exit_code == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert out["triage"]["advice"].startswith("Call the emergency number, 911, now")
    assert out["plan"][0]["text"].startswith("Call the emergency number, 911, now")
    said = " ".join([out["triage"]["advice"], *(item["text"] for item in out["plan"])])
    assert not re.search(r"\b(999|112)\b", said), said
