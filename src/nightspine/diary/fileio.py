"""Diary files: CSV and JSON with the diary contract's columns, read and written losslessly.

CSV: one row per morning, the contract's field names as the header (columns may come in any
order; ``date`` and ``pain_on_waking`` are required, the others optional), lists joined with
``;``, booleans ``true``/``false``, an empty cell = not recorded. A list answered "none"
(an empty list, such as no medicines taken) is the word ``none``, so it stays apart from a
list never answered (an empty cell). Two extra columns, ``origin``
and ``measured_fields``, carry where an entry came from, so export then import gives back the
same entries. Rows are numbered as a spreadsheet shows them: the header is row 1.

Formula-safe CSV (OWASP "CSV injection"): a spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula, so every text cell that would
start with one of them is written with a leading ``'`` (which spreadsheets show as text). Numbers
are written bare (a spreadsheet reads ``-3`` as a number, never a formula). Reading removes that
one ``'`` again, so export then import gives back the same notes; a note that itself starts
with ``'`` and then one of those characters gets one more ``'`` so it, too, comes back intact.

JSON: a list of objects with the same keys (``null`` or a missing key = not recorded; ``[]`` =
"none").

Reading never stops at the first fault: :func:`read_csv` and :func:`read_json` return the good
entries and one :class:`~nightspine.errors.Problem` per bad cell (``row 4, column stress: got
'high'; expected a whole number from 0 to 10``), so a caller can refuse the whole file or keep
the good rows. Problems with the file as a whole (a missing column) raise at once.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nightspine.diary.entry import CONTRACT_FIELDS, DiaryEntry, entry_from_values
from nightspine.errors import InvalidInputError, Problem
from nightspine.knowledge.vocabulary import FieldSpec, diary_vocabulary

EXTRA_COLUMNS: tuple[str, ...] = ("origin", "measured_fields")
"""Columns nightspine adds to the contract's: where an entry came from."""

COLUMNS: tuple[str, ...] = (*CONTRACT_FIELDS, *EXTRA_COLUMNS)
"""Every column nightspine writes, in order: the contract's fields, then the extras."""

ORIGINS = ("typed", "measured", "imported")
LIST_SEPARATOR = ";"
NONE_WORD = "none"
"""The CSV cell of a list answered "none" (an empty list); an empty cell is not recorded."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP)."""
FORMULA_GUARD = "'"
_TRUE = "true"
_FALSE = "false"
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The entries read from a file and what was wrong with the rest.

    ``rejected`` holds the numbers of the rows (CSV) or entries (JSON, from 1) that could not
    be read or repeat an earlier date; ``problems`` says why, one line per fault.
    """

    entries: tuple[DiaryEntry, ...]
    problems: tuple[Problem, ...]
    rejected: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_if_invalid(self, what: str = "diary file") -> tuple[DiaryEntry, ...]:
        """The entries, or :class:`InvalidInputError` listing every problem."""
        if self.problems:
            raise InvalidInputError(self.problems, what=what)
        return self.entries


# ---------------------------------------------------------------------------------------------
# Writing


def entry_to_record(entry: DiaryEntry) -> dict[str, Any]:
    """A JSON-ready dict of every column (``None`` for not recorded, lists for many-of)."""
    record: dict[str, Any] = {}
    for name in COLUMNS:
        value = getattr(entry, name)
        if isinstance(value, tuple):
            value = list(value)
        elif name == "date":
            value = value.isoformat()
        record[name] = value
    return record


def write_csv(entries: Iterable[DiaryEntry], stream: io.TextIOBase | Any) -> None:
    """Write ``entries`` as CSV with the header :data:`COLUMNS` to a text stream.

    Lines end in CRLF (RFC 4180), so a cell holding a lone carriage return is quoted and reads
    back intact; open files with ``newline=""`` to keep the bytes as written.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([_list_cell(name, getattr(entry, name)) for name in COLUMNS])


def to_csv(entries: Iterable[DiaryEntry]) -> str:
    """``entries`` as CSV text."""
    buffer = io.StringIO()
    write_csv(entries, buffer)
    return buffer.getvalue()


def to_json(entries: Iterable[DiaryEntry]) -> str:
    """``entries`` as a JSON list of objects (indented, one key per line, UTF-8 kept)."""
    return json.dumps([entry_to_record(e) for e in entries], indent=2, ensure_ascii=False) + "\n"


def formula_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    if text.lstrip(FORMULA_GUARD).startswith(FORMULA_STARTS):
        return FORMULA_GUARD + text
    return text


def formula_unsafe(text: str) -> str:
    """Undo :func:`formula_safe`: the text as it was before it was written."""
    if text.startswith(FORMULA_GUARD) and text.lstrip(FORMULA_GUARD).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _list_cell(name: str, value: Any) -> str:
    """A CSV cell: a contract list answered "none" is the word ``none``, never an empty cell."""
    if value == () and name in CONTRACT_FIELDS:
        return NONE_WORD
    return _safe_cell(value)


def _safe_cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _cell(value)  # a number is never a formula, and -1 must stay a number
    return formula_safe(_cell(value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# ---------------------------------------------------------------------------------------------
# Reading


def read_csv(text: str, *, origin: str = "imported") -> ReadResult:
    """Read CSV text; entries without an ``origin`` column get ``origin``.

    Raises :class:`InvalidInputError` when the header is unusable (empty file, unknown,
    repeated or missing required columns); bad rows are returned as problems instead.
    """
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # trailing blank lines
    if not rows:
        raise InvalidInputError(
            [Problem("row 1", f"the file is empty; expected a header row: {','.join(COLUMNS)}")],
            what="diary file",
        )
    header = [name.strip() for name in rows[0]]
    _check_header(header)
    specs = diary_vocabulary().fields
    problems: list[Problem] = []
    entries: list[DiaryEntry] = []
    rejected: list[int] = []
    first_row: dict[Any, int] = {}
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not an entry
        where = f"row {index}"
        row_problems: list[Problem] = []
        if len(row) > len(header):
            row_problems.append(
                Problem(where, f"has {len(row)} cells but the header has {len(header)} columns")
            )
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for name, cell in zip(header, row, strict=False):
            try:
                value = parse_cell(name, formula_unsafe(cell), specs)
            except ValueError as exc:
                row_problems.append(Problem(f"{where}, column {name}", str(exc)))
                failed.add(name)
                continue
            if value is not None:
                values[name] = value
        values.setdefault("origin", origin)
        built: list[Problem] = []
        entry = _build(values, where, built, column=True)
        row_problems.extend(
            p for p in built if p.location.removeprefix(f"{where}, column ") not in failed
        )
        order = {f"{where}, column {name}": i for i, name in enumerate(header)}
        row_problems.sort(key=lambda p: order.get(p.location, len(order)))
        if row_problems:
            entry = None
        if (
            entry is not None
            and (seen := _keep_first(entry, index, first_row, entries)) is not None
        ):
            row_problems.append(
                Problem(
                    f"{where}, column date",
                    f"{entry.date.isoformat()} is also on row {seen}; keep one entry per date",
                )
            )
        if row_problems:
            problems.extend(row_problems)
            rejected.append(index)
    return ReadResult(tuple(entries), tuple(problems), tuple(rejected))


def read_json(text: str, *, origin: str = "imported") -> ReadResult:
    """Read a JSON list of entry objects; entries without ``origin`` get ``origin``.

    Raises :class:`InvalidInputError` when the text is not JSON or not a list; bad entries are
    returned as problems naming ``entry N`` (from 1) and the field.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
            what="diary file",
        ) from None
    if isinstance(data, Mapping) and isinstance(data.get("entries"), list):
        data = data["entries"]
    if not isinstance(data, list):
        raise InvalidInputError(
            [Problem("file", "expected a JSON list of diary entries (objects)")],
            what="diary file",
        )
    problems: list[Problem] = []
    entries: list[DiaryEntry] = []
    rejected: list[int] = []
    first: dict[Any, int] = {}
    for index, item in enumerate(data, start=1):
        where = f"entry {index}"
        item_problems: list[Problem] = []
        if not isinstance(item, Mapping):
            item_problems.append(Problem(where, "expected an object of diary fields"))
        else:
            values = {k: v for k, v in item.items() if v is not None}
            values.setdefault("origin", origin)
            entry = _build(values, where, item_problems, column=False)
            if (
                entry is not None
                and (seen := _keep_first(entry, index, first, entries)) is not None
            ):
                item_problems.append(
                    Problem(
                        f"{where}, date",
                        f"{entry.date.isoformat()} is also entry {seen}; keep one per date",
                    )
                )
        if item_problems:
            problems.extend(item_problems)
            rejected.append(index)
    return ReadResult(tuple(entries), tuple(problems), tuple(rejected))


def read_file_text(text: str, *, fmt: str, origin: str = "imported") -> ReadResult:
    """Read ``text`` as ``fmt`` (``csv`` or ``json``)."""
    if fmt == "csv":
        return read_csv(text, origin=origin)
    if fmt == "json":
        return read_json(text, origin=origin)
    raise InvalidInputError([Problem("format", f"got {fmt!r}; expected csv or json")])


def _check_header(header: Sequence[str]) -> None:
    problems: list[Problem] = []
    seen: set[str] = set()
    allowed = set(COLUMNS)
    for position, name in enumerate(header, start=1):
        where = f"row 1, column {position}"
        if name in seen:
            problems.append(Problem(where, f"the column {name!r} appears twice"))
        elif name not in allowed:
            problems.append(
                Problem(where, f"unknown column {name!r}; allowed: {', '.join(COLUMNS)}")
            )
        seen.add(name)
    for name, spec in diary_vocabulary().fields.items():
        if spec.required and name not in seen:
            problems.append(Problem("row 1", f"the required column {name!r} is missing"))
    if problems:
        raise InvalidInputError(problems, what="diary file")


def parse_cell(name: str, cell: str, specs: Mapping[str, FieldSpec] | None = None) -> Any:
    """The typed value of one CSV cell, ``None`` when empty; ``ValueError`` says what's allowed.

    Values are typed, not yet checked against the contract's ranges (``entry_from_values``
    does that), so the command line's prompts parse typed text with this function too.
    """
    specs = specs if specs is not None else diary_vocabulary().fields
    if name == "origin":
        text = cell.strip()
        if text and text not in ORIGINS:
            raise ValueError(f"got {cell!r}; expected one of: {', '.join(ORIGINS)}")
        return text or None
    if name == "measured_fields":
        return tuple(p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip()) or None
    spec = specs[name]
    if spec.type == "text":
        return cell if cell.strip() else None
    text = cell.strip()
    if not text:
        return None
    if spec.type == "bool":
        lowered = text.lower()
        if lowered in (_TRUE, _FALSE):
            return lowered == _TRUE
        raise ValueError(f"got {cell!r}; expected true or false (or an empty cell)")
    if spec.type in ("int", "0-10"):
        if not _INT.fullmatch(text):
            raise ValueError(f"got {cell!r}; expected {spec.describe()}")
        return int(text)
    if spec.type == "number":
        number = float(text) if _FLOAT.fullmatch(text) else math.nan
        if not math.isfinite(number):
            raise ValueError(f"got {cell!r}; expected {spec.describe()}")
        return number
    if spec.type == "many-of":
        if text.lower() == NONE_WORD:
            return ()  # answered "none": recorded, unlike an empty cell
        return tuple(p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()) or None
    return text  # date, one-of: checked by entry_from_values


def _keep_first(
    entry: DiaryEntry, index: int, first: dict[Any, int], entries: list[DiaryEntry]
) -> int | None:
    """Keep ``entry`` (row or entry ``index``) unless its date came before; then return
    where it came first, for the problem (one entry per date)."""
    seen = first.get(entry.date)
    if seen is None:
        first[entry.date] = index
        entries.append(entry)
    return seen


def _build(
    values: Mapping[str, Any], where: str, problems: list[Problem], *, column: bool
) -> DiaryEntry | None:
    """Validate ``values`` into an entry, adding each fault to ``problems`` in file terms."""
    extras = {k: values[k] for k in EXTRA_COLUMNS if k in values}
    contract = {k: v for k, v in values.items() if k not in EXTRA_COLUMNS}
    prefix = f"{where}, column " if column else f"{where}, "
    try:
        entry = entry_from_values(contract, where=where)
    except InvalidInputError as exc:
        specs = diary_vocabulary().fields
        for problem in exc.problems:
            field = problem.location.removeprefix(f"{where}, ")
            message = problem.message
            if message == "is required" and field in specs:
                message = f"is required; expected {specs[field].describe()}"
            problems.append(Problem(prefix + field, message))
        return None
    try:
        return entry.model_copy(update=_check_extras(extras))
    except ValueError as exc:
        problems.append(Problem(where, str(exc)))
        return None


def _check_extras(extras: Mapping[str, Any]) -> dict[str, Any]:
    update: dict[str, Any] = {}
    origin = extras.get("origin")
    if origin is not None:
        if origin not in ORIGINS:
            raise ValueError(f"origin: got {origin!r}; expected one of: {', '.join(ORIGINS)}")
        update["origin"] = origin
    measured = extras.get("measured_fields")
    if measured is not None:
        if isinstance(measured, str) or not isinstance(measured, list | tuple):
            raise ValueError("measured_fields: expected a list of diary field names")
        unknown = [m for m in measured if m not in CONTRACT_FIELDS]
        if unknown:
            raise ValueError(f"measured_fields: {unknown!r} are not diary fields")
        update["measured_fields"] = tuple(measured)
    return update


__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "ReadResult",
    "entry_to_record",
    "formula_safe",
    "formula_unsafe",
    "parse_cell",
    "read_csv",
    "read_file_text",
    "read_json",
    "to_csv",
    "to_json",
    "write_csv",
]
