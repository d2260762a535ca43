"""What the insights page shows, in the order a person needs it: the two or three findings that
matter in plain words, one forest chart of every factor's effect and interval, then the factors
that have not enough data yet, grouped apart. Words and numbers come from
``nightspine.insights.text`` so the page, ``nightspine insights`` and the PDF agree."""

from __future__ import annotations

from typing import Any

from nightspine.insights.result import Insights
from nightspine.insights.text import (
    basis_text,
    change_tests,
    factor_groups,
    interval_name,
    interval_note,
    top_findings,
    waiting_names,
)
from nightspine.web.charts import forest_chart_svg


def insights_context(result: Insights | None, chart_svg: str, nights: int) -> dict[str, Any]:
    """The template context of ``insights.html``: the diary's insights (``None`` with no
    entries), its pain chart and how many nights it holds."""
    context: dict[str, Any] = {"insights": result, "chart": chart_svg, "nights": nights}
    if result is None:
        return context
    credible, analysed, waiting = factor_groups(result)
    context.update(
        basis=basis_text(result),
        findings=top_findings(result),
        credible=credible,
        analysed=analysed,
        waiting=waiting,
        waiting_names=waiting_names(waiting),
        forest=forest_chart_svg([*credible, *analysed], result.tests),
        interval_name=interval_name(result.tests),
        interval_note=interval_note(result.tests),
        changes_interval=interval_name(change_tests(result), "changes"),
    )
    return context
