"""``nightspine assess``: the questionnaire in the terminal, or answers from a file.

- Without ``--answers`` the questionnaire is asked interactively (warning signs first). The
  emergency check runs after every answer: as soon as the answers so far put the person at
  ``emergency``, it stops and prints what to do and the emergency number to call.
- With ``--answers FILE`` (JSON or YAML; ``-`` is stdin) it assesses the answers in the file; a
  list of documents (a JSON/YAML list, or several YAML documents) gives a list of results in the
  same order.
- Bad answers: exit code 2, one ``error: <where>: <what is allowed>`` line per problem on
  stderr, nothing on stdout.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from nightspine.cli.db import DbOption
from nightspine.errors import InvalidInputError, NightspineError, Problem

if TYPE_CHECKING:  # the engine and the knowledge base load only when the command runs
    from nightspine.assessment.answers import Answers
    from nightspine.assessment.questionnaire import Checklist
    from nightspine.assessment.result import Assessment
    from nightspine.knowledge.loader import KnowledgeBase
    from nightspine.knowledge.schema import Question

# Keyed by the TriageLevel values (a StrEnum, so TriageLevel members look them up).
TRIAGE_STYLE = {
    "self_care": "green",
    "soon": "yellow",
    "urgent": "bold dark_orange",
    "emergency": "bold white on red",
}


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _engine_assess(answers: Answers, kb: KnowledgeBase) -> Assessment:
    """Assess ``answers``; the advice names the configured emergency number."""
    from nightspine.assessment.engine import assess
    from nightspine.config import Settings

    number = Settings().resolved_emergency_number()
    result: Assessment = assess(answers, kb, emergency_number=number)
    return result


# --- reading answers from a file ---------------------------------------------------------------


def _read_documents(source: str) -> tuple[list[Any], bool]:
    """The answer documents in ``source`` and whether they came as a list."""
    where = "stdin" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InvalidInputError(
            [Problem(where, f"cannot read the answers file ({reason})")], what="answers file"
        ) from exc
    from nightspine.safe_yaml import YamlInputError, load_all

    try:
        docs = [d for d in load_all(text) if d is not None]
    except YamlInputError as exc:
        raise InvalidInputError(
            [Problem(where, f"is neither valid JSON nor valid YAML we accept: {exc}")],
            what="answers file",
        ) from None
    if not docs:
        raise InvalidInputError(
            [Problem(where, "is empty; expected a mapping of answer keys to values, or a list")],
            what="answers file",
        )
    if len(docs) > 1:
        return docs, True
    if isinstance(docs[0], list):
        return docs[0], True
    return docs, False


def _validate_all(docs: list[Any], as_list: bool) -> list[Answers]:
    from nightspine.assessment.answers import validate_answers

    problems: list[Problem] = []
    validated: list[Answers] = []
    for index, doc in enumerate(docs):
        try:
            validated.append(validate_answers(doc))
        except InvalidInputError as exc:
            if not as_list:
                raise
            problems += [
                Problem(f"document {index}: {p.location}", p.message) for p in exc.problems
            ]
    if problems:
        raise InvalidInputError(problems, what="answers")
    return validated


# --- printing results --------------------------------------------------------------------------


def _print_text(console: Console, assessment: Assessment, answers: Answers, title: str) -> None:
    from rich.markdown import Markdown

    from nightspine.assessment.markdown import TRIAGE_HEADLINES, assessment_markdown

    level = assessment.triage.level
    lines = [f"[bold]{TRIAGE_HEADLINES[level]}[/bold]"]
    lines += [f"- {escape(reason)}" for reason in assessment.triage.reasons]
    if assessment.triage.advice:
        lines.append(escape(assessment.triage.advice))
    console.print(Panel("\n".join(lines), title="What to do", border_style=TRIAGE_STYLE[level]))
    body = assessment_markdown(assessment, answers, title=title, include_triage=False)
    console.print(Markdown(body))


def _emit(results: list[tuple[Assessment, Answers]], as_list: bool, fmt: OutputFormat) -> None:
    from nightspine.assessment.markdown import assessment_markdown

    if fmt is OutputFormat.json:
        data: Any = [a.to_json() for a, _ in results]
        if not as_list:
            data = data[0]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    many = as_list and len(results) > 1
    for index, (assessment, answers) in enumerate(results):
        title = "Your nightspine assessment"
        if many:
            title += f" (document {index} of {len(results) - 1})"
        if fmt is OutputFormat.markdown:
            typer.echo(assessment_markdown(assessment, answers, title=title))
        else:
            _print_text(Console(highlight=False), assessment, answers, title)


# --- the interactive questionnaire -------------------------------------------------------------


class _Ask:
    """Asks one question at a time on the console; Enter skips a question that may be skipped."""

    def __init__(self, console: Console, kb: KnowledgeBase) -> None:
        self.console = console
        self.kb = kb

    def _input(self, prompt: str) -> str:
        try:
            return self.console.input(prompt).strip()
        except EOFError:
            self.console.print()
            Console(stderr=True, highlight=False).print(
                "error: the input ended before the questionnaire was finished; nothing was "
                "assessed (use --answers FILE to assess answers from a file)",
                markup=False,
                soft_wrap=True,
            )
            raise typer.Exit(1) from None

    def ask(
        self, q: Question, required: bool, position: tuple[int, int] = (0, 0)
    ) -> tuple[bool, Any]:
        """(answered, value); ``answered`` is False when the person skipped."""
        spec = self.kb.vocabulary.answers[q.key]
        counter = f"[dim]{position[0]}/{position[1]}[/dim] " if position[1] else ""
        self.console.print(f"\n{counter}[bold]{escape(q.text)}[/bold]")
        if q.help:
            self.console.print(f"[dim]{escape(q.help)}[/dim]")
        skip = "" if required else ", Enter to skip"
        while True:
            if spec.type == "bool":
                raw = self._input(f"  (y/n{skip}) > ").lower()
                if not raw and not required:
                    return False, None
                if raw in ("y", "yes"):
                    return True, True
                if raw in ("n", "no"):
                    return True, False
                self.console.print("  [red]Please answer y or n.[/red]")
                continue
            if spec.type in ("one-of", "many-of"):
                answered, value = self._ask_choices(q, spec.type == "many-of", skip, required)
                if answered is not None:
                    return answered, value
                continue
            raw = self._input(f"  ({spec.describe()}{skip}) > ")
            if not raw and not required:
                return False, None
            from nightspine.assessment.answers import validate_answers

            try:
                number = float(raw)
                value = int(number) if number.is_integer() else number
                validate_answers({q.key: value})
            except (ValueError, InvalidInputError):
                self.console.print(f"  [red]Please enter {spec.describe()}.[/red]")
                continue
            return True, value

    def _ask_choices(
        self, q: Question, many: bool, skip: str, required: bool
    ) -> tuple[bool | None, Any]:
        values = list(q.choices)
        for number, value in enumerate(values, start=1):
            self.console.print(f"  {number}. {q.choices[value]}")
        if many:
            self.console.print(f"  0. {q.none_label or 'none of these'}")
            hint = "numbers separated by spaces or commas"
        else:
            hint = "a number"
        raw = self._input(f"  ({hint}{skip}) > ")
        if not raw:
            if required:
                self.console.print("  [red]This question needs an answer.[/red]")
                return None, None
            return False, None
        parts = raw.replace(",", " ").split()
        try:
            picked = [int(p) for p in parts]
        except ValueError:
            picked = [-1]
        if many and picked == [0]:
            return True, []
        if any(p < 1 or p > len(values) for p in picked) or (not many and len(picked) != 1):
            self.console.print(f"  [red]Please enter {hint} from the list.[/red]")
            return None, None
        chosen = [values[p - 1] for p in picked]
        return True, (chosen if many else chosen[0])

    def checklist(self, item: Checklist, position: tuple[int, int] = (0, 0)) -> dict[str, bool]:
        """Yes/no answers of one checklist; {} when skipped (only when it may be skipped)."""
        counter = f"[dim]{position[0]}/{position[1]}[/dim] " if position[1] else ""
        self.console.print(f"\n{counter}[bold]{escape(item.text)}[/bold]")
        for number, q in enumerate(item.questions, start=1):
            self.console.print(f"  {number}. {escape(q.text)}")
            if q.help:
                self.console.print(f"     [dim]{escape(q.help)}[/dim]")
        self.console.print("  0. none of these")
        skip = "" if item.warning_signs else ", Enter to skip"
        while True:
            raw = self._input(f"  (numbers separated by spaces or commas{skip}) > ")
            if not raw and not item.warning_signs:
                return {}
            try:
                picked = {int(p) for p in raw.replace(",", " ").split()}
            except ValueError:
                picked = {-1}
            if picked == {0}:
                return {q.key: False for q in item.questions}
            if picked and all(1 <= p <= len(item.questions) for p in picked):
                return {q.key: n in picked for n, q in enumerate(item.questions, start=1)}
            self.console.print(
                "  [red]Please enter the numbers of those that apply, or 0 for none.[/red]"
            )


def _emergency_stop(console: Console, assessment: Assessment, number: str) -> None:
    """The stop screen: what to do now and the number to call, nothing else first."""
    console.print()
    from nightspine.assessment.stop import DO_NOT_WAIT, STOP_TEXT, STOP_TITLE

    console.print(
        Panel(
            f"[bold]{escape(STOP_TEXT.format(number=number))}[/bold]\n{DO_NOT_WAIT}",
            title=f"Emergency: {escape(STOP_TITLE.format(number=number))}",
            style=TRIAGE_STYLE["emergency"],
        )
    )
    if assessment.triage.advice:
        console.print(assessment.triage.advice, markup=False)
    for reason in assessment.triage.reasons:
        console.print(f"- {reason}", markup=False)
    console.print(f"\n{assessment.disclaimer}", markup=False)


def _interactive(
    kb: KnowledgeBase, fmt: OutputFormat, emergency_number: str
) -> tuple[Assessment, Answers]:
    from nightspine.assessment import questionnaire as qn
    from nightspine.assessment.answers import validate_answers
    from nightspine.assessment.result import DISCLAIMER
    from nightspine.assessment.stop import emergency_now

    # With --format json or markdown the questions go to stderr, so stdout holds only the result.
    console = Console(highlight=False, stderr=fmt is not OutputFormat.text)
    items, minutes = qn.estimate(kb)
    console.print(
        Panel(
            f"About {items} questions, about {minutes} minutes. The first questions are about "
            "symptoms that change what you should do; please answer each one. Later questions "
            "can be skipped with Enter.\n\n" + DISCLAIMER,
            title="nightspine assess",
        )
    )
    ask = _Ask(console, kb)
    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    warning = set(qn.warning_sign_keys(kb))
    current_section = ""
    while (item := qn.next_item(answers, kb, skipped=skipped)) is not None:
        keys = qn.item_keys(item)
        section = qn.section_of(keys[0], kb)
        if section.id != current_section:
            current_section = section.id
            console.rule(section.title)
            if section.intro:
                console.print(section.intro)
        shown = qn.visible_items(answers, kb)
        done = sum(1 for i in shown if all(k in answers for k in qn.item_keys(i)))
        position = (done + 1, len(shown))
        if isinstance(item, qn.Checklist):
            values = ask.checklist(item, position)
            if not values:
                skipped.add(item.id)
                continue
            answers.update(values)
        else:
            answered, value = ask.ask(item, required=item.key in warning, position=position)
            if not answered:
                skipped.add(item.key)
                continue
            answers[item.key] = value
        # The emergency check runs after every answer, not only after the warning signs.
        early = emergency_now(answers, kb, emergency_number=emergency_number)
        if early is not None:
            _emergency_stop(console, early, emergency_number)
            if fmt is OutputFormat.json:
                typer.echo(json.dumps(early.to_json(), indent=2, ensure_ascii=False))
            return early, validate_answers(answers)
    validated = validate_answers(answers)
    result = _engine_assess(validated, kb)
    _emit([(result, validated)], False, fmt)
    return result, validated


# --- the command -------------------------------------------------------------------------------


AnswersOption = Annotated[
    str | None,
    typer.Option(
        "--answers",
        "-a",
        metavar="FILE",
        help="Answers as JSON or YAML ('-' reads stdin). A list of documents gives a list of "
        "results, in the same order. Without this option the questionnaire is asked here.",
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: text (readable), json or markdown."),
]


SaveOption = Annotated[
    bool,
    typer.Option(
        "--save",
        help="Keep the answers and the result in your diary's database, to compare later "
        "assessments with this one.",
    ),
]


def _save(results: list[tuple[Assessment, Answers]], db: str | None) -> None:
    """Store each result with its answers; report on stderr so stdout stays the result."""
    from nightspine.cli.db import open_profile
    from nightspine.storage import repository

    profile = open_profile(db)
    for assessment, answers in results:
        stored = repository.save_assessment(profile, answers, assessment)
        Console(stderr=True, highlight=False).print(
            f"Saved as assessment {stored.id} ({stored.created_at:%Y-%m-%d %H:%M} UTC).",
            markup=False,
        )


def assess(
    answers_file: AnswersOption = None,
    fmt: FormatOption = OutputFormat.text,
    save: SaveOption = False,
    db: DbOption = None,
) -> None:
    """Assess back pain at night: how urgently to seek care, why, and a personal plan.

    It supports decisions; it does not diagnose.
    """
    from nightspine.cli.main import report_error

    try:
        from nightspine.knowledge.loader import load_knowledge

        kb = load_knowledge()
        if answers_file is None:
            from nightspine.config import Settings

            done = _interactive(kb, fmt, Settings().resolved_emergency_number())
            if save:
                _save([done], db)
            return
        docs, as_list = _read_documents(answers_file)
        validated = _validate_all(docs, as_list)
        results = [(_engine_assess(a, kb), a) for a in validated]
    except NightspineError as exc:
        raise typer.Exit(report_error(exc)) from None
    _emit(results, as_list, fmt)
    if save:
        try:
            _save(results, db)
        except NightspineError as exc:
            raise typer.Exit(report_error(exc)) from None
