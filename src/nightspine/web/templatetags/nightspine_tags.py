from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """``answers|get:q.key``: a value from a dict, '' when absent."""
    if not mapping:
        return ""
    value = mapping.get(key)
    return "" if value is None else value


@register.filter
def answered_none(mapping: Mapping[str, Any] | None, key: str) -> bool:
    """A many-of question answered "none of these" (an empty list, not a missing answer)."""
    return bool(mapping) and key in mapping and list(mapping[key] or []) == []  # type: ignore[index,operator]


@register.filter
def empty_list(value: Any) -> bool:
    """A list answered "none" (``[]`` or ``()``), never a missing answer (``None`` or '')."""
    return isinstance(value, list | tuple) and not value


@register.filter
def contains(container: Any, item: Any) -> bool:
    """``values|contains:option``: membership that treats '' and None as empty."""
    if not container:
        return False
    if isinstance(container, str):
        return bool(container == item)
    try:
        return bool(item in container)
    except TypeError:
        return False


@register.filter
def same(value: Any, other: Any) -> bool:
    """Compare a stored value with a form option written as text ("3" == 3)."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return ("yes" if value else "no") == str(other)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) == str(other)


@register.filter
def level_words(level: str) -> str:
    return {
        "emergency": "Emergency",
        "urgent": "Urgent",
        "soon": "See a professional soon",
        "self_care": "Self-care",
    }.get(level, level)


@register.filter
def words(value: Any) -> str:
    """An id or a list of ids in plain words."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value).replace("_", " ")


@register.simple_tag
def zero_to_ten() -> range:
    return range(11)


@register.filter
def unverified_clinician(user: Any) -> bool:
    """True for a clinician account that staff have not verified (people see a mark)."""
    from nightspine.web import services
    from nightspine.web.models import Account

    if user is None:
        return False
    return services.role_of(user) == Account.CLINICIAN and not services.is_verified_clinician(user)
