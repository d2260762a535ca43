"""Planning an N-of-1 experiment and following it night by night.

The plan is a run of *pairs of blocks*: each pair holds one block of the usual way (A) and one
of the change (B), their order drawn at random within the pair, each block 3 or 4 consecutive
nights. Pairs keep slow drifts (a good month, a flare) from favouring either arm; blocks keep
one night's leftovers from spilling over into a night of the other arm; the random order keeps
expectations and the calendar from choosing. The random draw is seeded, so a stored plan can
always be rebuilt and checked.

Dates: a night is named by its *evening*; its diary entry is dated the morning after.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, Problem
from nightspine.insights.experiments.catalogue import Arm, ChangeSpec, get_change

MIN_WEEKS, MAX_WEEKS = 2, 6
MIN_PAIRS = 3


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Block(_Model):
    """A run of consecutive nights on one arm."""

    index: int
    pair: int
    arm: Arm
    first_evening: dt.date
    nights: int

    @property
    def evenings(self) -> list[dt.date]:
        return [self.first_evening + dt.timedelta(days=i) for i in range(self.nights)]


class ExperimentPlan(_Model):
    """A reproducible schedule: ``to_json()`` is what storage keeps as the schedule."""

    version: Literal[1] = 1
    change: str
    start: dt.date = Field(description="the first evening")
    block_nights: int = Field(ge=3, le=4)
    washout_nights: int = Field(ge=0, le=1)
    seed: int
    labels: dict[str, str] = Field(default_factory=dict)
    blocks: tuple[Block, ...]

    @property
    def spec(self) -> ChangeSpec:
        return get_change(self.change)

    @property
    def pairs(self) -> int:
        return len(self.blocks) // 2

    @property
    def last_evening(self) -> dt.date:
        last = self.blocks[-1]
        return last.first_evening + dt.timedelta(days=last.nights - 1)

    @property
    def end(self) -> dt.date:
        """The morning of the last diary entry the plan needs."""
        return self.last_evening + dt.timedelta(days=1)

    @property
    def nights(self) -> int:
        return sum(b.nights for b in self.blocks)

    def block_on(self, evening: dt.date) -> tuple[Block, int] | None:
        """The block holding ``evening`` and the night's number in it (1-based), if any."""
        for block in self.blocks:
            offset = (evening - block.first_evening).days
            if 0 <= offset < block.nights:
                return block, offset + 1
        return None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExperimentPlan:
        """Rebuild a stored plan (raises :class:`InvalidInputError` if it is damaged)."""
        try:
            return cls.model_validate(data)
        except ValueError as exc:
            raise InvalidInputError(
                [Problem("schedule", f"the stored experiment plan is damaged: {exc}")],
                what="experiment",
            ) from None


def plan_experiment(
    change: str,
    start: dt.date,
    *,
    seed: int,
    weeks: int = 4,
    block_nights: int | None = None,
    usual_label: str | None = None,
    new_label: str | None = None,
) -> ExperimentPlan:
    """Plan ``weeks`` of randomised pairs of blocks for ``change`` from the evening ``start``.

    ``block_nights`` (3 or 4) defaults to the change's own; the number of pairs is enough to
    fill ``weeks`` (at least three pairs). Pillows and mattresses need ``usual_label`` and
    ``new_label``: the labels the diary will show. The same arguments always give the same plan.
    """
    spec = get_change(change)
    problems: list[Problem] = []
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        problems.append(Problem("weeks", f"expected {MIN_WEEKS} to {MAX_WEEKS}, got {weeks}"))
    nights = spec.block_nights if block_nights is None else block_nights
    if nights not in (3, 4):
        problems.append(Problem("block_nights", f"expected 3 or 4, got {nights}"))
    labels: dict[str, str] = {}
    if spec.needs_labels:
        for key, value in (("usual", usual_label), ("new", new_label)):
            clean = " ".join((value or "").split())
            if not clean:
                problems.append(
                    Problem(
                        f"{key}_label",
                        f"testing a {spec.field} needs the label of the {key} one, as you will "
                        "record it in the diary",
                    )
                )
            labels[key] = clean
        if labels.get("usual") and labels["usual"].casefold() == labels.get("new", "").casefold():
            problems.append(Problem("new_label", "the new label must differ from the usual one"))
    if problems:
        raise InvalidInputError(problems, what="experiment")
    washout = min(spec.washout_nights, nights - 2)
    pairs = max(MIN_PAIRS, math.ceil(weeks * 7 / (2 * nights)))
    rng = np.random.default_rng(seed)
    blocks: list[Block] = []
    evening = start
    for pair in range(pairs):
        order: tuple[Arm, Arm] = ("A", "B") if rng.random() < 0.5 else ("B", "A")
        for arm in order:
            blocks.append(
                Block(index=len(blocks), pair=pair, arm=arm, first_evening=evening, nights=nights)
            )
            evening += dt.timedelta(days=nights)
    return ExperimentPlan(
        change=change,
        start=start,
        block_nights=nights,
        washout_nights=washout,
        seed=seed,
        labels=labels,
        blocks=tuple(blocks),
    )


class Tonight(_Model):
    """What to do on one evening of the experiment."""

    evening: dt.date
    status: Literal["before", "during", "after"]
    arm: Arm | None = None
    block: int | None = None
    night_in_block: int | None = None
    nights_left: int
    instruction: str
    last_night: str | None = None  # a reminder about the previous planned night, if any
    message: str


def _as_said(value: object) -> str:
    """A diary value as a person would say it: ``yes``/``no``, ``side``, ``7.5``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def _last_night(
    plan: ExperimentPlan, evening: dt.date, entries: Sequence[DiaryEntry] | None
) -> str | None:
    """A reminder when the previous planned night is unlogged or did not follow the plan."""
    if entries is None:
        return None
    previous = evening - dt.timedelta(days=1)
    found = plan.block_on(previous)
    if found is None:
        return None
    block, _ = found
    entry = next((e for e in entries if e.date == evening), None)
    if entry is None:
        return (
            f"This morning's diary entry ({evening.isoformat()}) is missing: log it so last night "
            "counts."
        )
    spec = plan.spec
    value = getattr(entry, spec.field)
    followed = spec.rule(block.arm).followed(value, plan.labels)
    if followed is None:
        return f"This morning's entry does not record {spec.field.replace('_', ' ')}; add it."
    if not followed:
        return (
            f"Last night did not follow the plan ({spec.field.replace('_', ' ')} was recorded as "
            f"{_as_said(value)}); that night will not count. Tonight is a fresh start."
        )
    return None


def tonight(
    plan: ExperimentPlan, evening: dt.date, entries: Sequence[DiaryEntry] | None = None
) -> Tonight:
    """The instruction for the evening ``evening`` (before, during or after the plan).

    With the diary ``entries``, it also reminds the person when the previous planned night is
    unlogged or did not follow the plan.
    """
    spec = plan.spec
    reminder = _last_night(plan, evening, entries)
    suffix = f" {reminder}" if reminder else ""
    if evening < plan.start:
        days = (plan.start - evening).days
        return Tonight(
            evening=evening,
            status="before",
            nights_left=plan.nights,
            instruction="Sleep as you usually do.",
            message=f"Your experiment ({spec.title.lower()}) starts in {days} day"
            f"{'s' if days != 1 else ''}, on the evening of {plan.start.isoformat()}.",
        )
    found = plan.block_on(evening)
    if found is None:
        return Tonight(
            evening=evening,
            status="after",
            nights_left=0,
            instruction="Sleep as you prefer.",
            last_night=reminder,
            message="The experiment's nights are over. Log the last morning if you have not, then "
            "see the result with `nightspine experiment report`." + suffix,
        )
    block, night = found
    left = (plan.last_evening - evening).days + 1
    what = spec.instruction(block.arm, plan.labels)
    arm_name = "the usual way" if block.arm == "A" else "the change"
    return Tonight(
        evening=evening,
        status="during",
        arm=block.arm,
        block=block.index + 1,
        night_in_block=night,
        nights_left=left,
        instruction=what,
        last_night=reminder,
        message=f"Tonight: {what} (night {night} of {block.nights} on {arm_name}, block "
        f"{block.index + 1} of {len(plan.blocks)}; {left} night{'s' if left != 1 else ''} left "
        "including tonight.) Record tomorrow morning's diary as usual." + suffix,
    )


class NightCheck(_Model):
    """One planned night against its diary entry."""

    evening: dt.date
    morning: dt.date
    block: int
    arm: Arm
    washout: bool
    logged: bool
    pain: int | None
    followed: bool | None  # None: the entry or the field is missing


class Adherence(_Model):
    """How closely the diary followed the plan so far."""

    nights_due: int
    logged: int
    followed: int
    not_followed: int
    unknown: int
    rate: float | None  # followed / nights with a known answer
    nights: tuple[NightCheck, ...]
    message: str


def check_adherence(
    plan: ExperimentPlan, entries: Sequence[DiaryEntry], *, today: dt.date | None = None
) -> Adherence:
    """Compare each planned night whose morning has come (by ``today``) with the diary."""
    spec = plan.spec
    by_date = {e.date: e for e in entries}
    checks: list[NightCheck] = []
    for block in plan.blocks:
        for i, evening in enumerate(block.evenings):
            morning = evening + dt.timedelta(days=1)
            if today is not None and morning > today:
                continue
            entry = by_date.get(morning)
            followed = (
                None
                if entry is None
                else spec.rule(block.arm).followed(getattr(entry, spec.field), plan.labels)
            )
            checks.append(
                NightCheck(
                    evening=evening,
                    morning=morning,
                    block=block.index,
                    arm=block.arm,
                    washout=i < plan.washout_nights,
                    logged=entry is not None,
                    pain=None if entry is None else entry.pain_on_waking,
                    followed=followed,
                )
            )
    logged = sum(c.logged for c in checks)
    yes = sum(c.followed is True for c in checks)
    no = sum(c.followed is False for c in checks)
    unknown = len(checks) - yes - no
    rate = yes / (yes + no) if yes + no else None
    if not checks:
        message = "No nights of the experiment are due yet."
    else:
        message = (
            f"{len(checks)} night{'s' if len(checks) != 1 else ''} due: {logged} logged, "
            f"{yes} followed the plan, {no} did not"
            + (f", {unknown} unknown ({spec.field} not recorded or no entry)" if unknown else "")
            + "."
        )
    return Adherence(
        nights_due=len(checks),
        logged=logged,
        followed=yes,
        not_followed=no,
        unknown=unknown,
        rate=None if rate is None else round(rate, 3),
        nights=tuple(checks),
        message=message,
    )
