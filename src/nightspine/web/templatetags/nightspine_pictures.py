"""``{% plan_pictures item.id %}``: the drawings that go with one plan item (see
``knowledge/pictures.py``), served as static files under ``/static/pictures/``."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static

from nightspine.knowledge.pictures import load_pictures

register = template.Library()


@register.inclusion_tag("nightspine/_plan_pictures.html")
def plan_pictures(advice_id: str) -> dict[str, Any]:
    pictures = load_pictures()
    shown = []
    for picture in pictures.for_advice(advice_id):
        width, height = pictures.size(picture)
        shown.append(
            {
                "url": static(f"pictures/{picture.file}"),
                "alt": picture.alt,
                "caption": picture.caption,
                "width": width,
                "height": height,
                "wide": width > 1.5 * height,  # a lying position: two columns wide
            }
        )
    return {"pictures": shown}
