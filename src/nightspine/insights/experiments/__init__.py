"""Guided N-of-1 experiments: test one change over randomised blocks of nights.

``plan_experiment`` builds a seeded, reproducible plan of pairs of A/B blocks; ``tonight`` says
what to do this evening; ``check_adherence`` compares the plan with the diary;
``report_experiment`` gives the effect, its interval and a plain verdict (or why there is none).
"""

from nightspine.insights.experiments.catalogue import (
    Arm,
    ChangeSpec,
    Rule,
    catalogue,
    get_change,
    suggested_change,
)
from nightspine.insights.experiments.plan import (
    Adherence,
    Block,
    ExperimentPlan,
    NightCheck,
    Tonight,
    check_adherence,
    plan_experiment,
    tonight,
)
from nightspine.insights.experiments.report import (
    ExperimentReport,
    PairResult,
    render_report,
    report_experiment,
)

__all__ = [
    "Adherence",
    "Arm",
    "Block",
    "ChangeSpec",
    "ExperimentPlan",
    "ExperimentReport",
    "NightCheck",
    "PairResult",
    "Rule",
    "Tonight",
    "catalogue",
    "check_adherence",
    "get_change",
    "plan_experiment",
    "render_report",
    "report_experiment",
    "suggested_change",
    "tonight",
]
