"""The plan's drawings on the web: one tag per plan item, served as static files."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client

from nightspine.knowledge.pictures import load_pictures

pytestmark = pytest.mark.usefixtures("web_db")


def _render(advice_id: str) -> str:
    template = Template("{% load nightspine_pictures %}{% plan_pictures advice_id %}")
    return template.render(Context({"advice_id": advice_id}))


def test_a_plan_item_with_pictures_shows_each_with_its_text_alternative() -> None:
    html = _render("gentle_stretches")
    for picture in load_pictures().for_advice("gentle_stretches"):
        assert f'src="/static/pictures/{picture.file}"' in html
        assert f'alt="{picture.alt}"' in html
        assert f"<figcaption>{picture.caption}</figcaption>" in html
    assert 'width="200" height="160"' in html  # space reserved: no jump while loading


def test_a_plan_item_without_pictures_adds_nothing() -> None:
    assert _render("posture_breaks").strip() == ""


def test_the_drawings_are_served(anon: Client) -> None:
    for picture in load_pictures().by_id.values():
        response = anon.get(f"/static/pictures/{picture.file}")
        assert response.status_code == 200, picture.file
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body.startswith(b"<svg")
        assert response["Content-Type"].startswith("image/svg+xml")


def test_404_page_is_in_the_apps_own_style(anon: Client) -> None:
    from django.conf import settings

    assert not settings.DEBUG  # the page people get, not Django's debug page
    response = anon.get("/no/such/page")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert 'class="brand"' in page and "app.css" in page
    assert 'href="/assess/"' in page  # a way on for someone without an account


def test_500_page_is_in_the_apps_own_style_and_needs_no_context() -> None:
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in page
    assert "app.css" in page and "Nothing you saved before has been lost" in page
