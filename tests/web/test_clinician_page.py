"""The clinician's page and list: what a clinician at a desk needs, only with an active share.

The effects table's numbers are compared with the insights page the person sees (the same
analysis, printed by the same helpers); the new-warning-sign flag is driven through the page
views, as a clinician would."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.test import Client
from django.utils import timezone
from tests.web.conftest import make_client

from nightspine.diary.entry import DiaryEntry
from nightspine.storage.models import AssessmentRecord, Profile
from nightspine.web import services
from nightspine.web.engine import assess
from nightspine.web.models import AuditEvent

pytestmark = pytest.mark.usefixtures("web_db")

PLAIN = {"age": 44, "pain_now": 4, "sleep_position": "stomach"}
WARNING = {**PLAIN, "numbness_or_tingling": ["arms"]}
START = dt.date(2026, 3, 2)


def _profile(client: Client) -> Profile:
    return services.profile_of(client.user)  # type: ignore[attr-defined]


def _share(person: Client, doctor: Client) -> Profile:
    profile = _profile(person)
    _, code = services.create_share(profile)
    services.redeem_share(doctor.user, code)  # type: ignore[attr-defined]
    return profile


def _assess(profile: Profile, answers: dict[str, object], at: dt.datetime | None = None) -> None:
    services.save_assessment(profile, answers, assess(answers))
    if at is not None:  # the stored time, to order assessments without sleeping
        record = AssessmentRecord.objects.filter(profile=profile).order_by("-id").first()
        assert record is not None
        record.created_at = at
        record.save(update_fields=["created_at"])


def _looked_a_minute_ago(profile: Profile) -> None:
    """Move the clinicians' looks back a minute, so what is saved next comes after them."""
    AuditEvent.objects.filter(profile=profile).update(at=timezone.now() - dt.timedelta(minutes=1))


def _diary(profile: Profile, nights: int = 60, seed: int = 5) -> None:
    rng = random.Random(seed)
    for day in range(nights):
        stomach = rng.random() < 0.35
        pain = 3 + 3 * stomach + rng.gauss(0, 0.8)
        entry = DiaryEntry(
            date=START + dt.timedelta(days=day),
            pain_on_waking=max(0, min(10, round(pain))),
            sleep_position="stomach" if stomach else "side",
            caffeine_evening=rng.random() < 0.4,
        )
        services.save_entry(profile, entry.model_dump(mode="json", exclude_defaults=True))


def _plain(html: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


def test_identity_triage_history_and_summary(alice: Client, doctor: Client) -> None:
    profile = _share(alice, doctor)
    profile.birth_year = 1980
    profile.save(update_fields=["birth_year"])
    alice.post("/account/reference", {"reference": "NHS 943 476 5919"})
    _assess(profile, PLAIN, timezone.now() - dt.timedelta(days=10))
    _assess(profile, WARNING)

    page = doctor.get(f"/clinician/{profile.pk}/")
    assert page.status_code == 200
    text = _plain(page.content)
    year = services.today_for(profile).year
    assert f"born 1980 ({year - 1981} or {year - 1980} years old)" in text
    assert "NHS 943 476 5919" in text
    summary = assess(WARNING).for_your_doctor
    for line in [*summary.summary, *summary.warning_signs_reported]:
        assert line in text, line  # the for-your-doctor summary, word for word
    history = text[text.index("Triage history") :]
    assert history.index("numbness or tingling: arms") < history.index("none")  # newest first
    assert "Your answers" not in text  # the patient's own page is not repeated here
    clinical = text[text.index("Warning signs and triage") : text.index("Morning pain")]
    assert "Likely contributors: Sleeping on the stomach" in clinical
    assert not re.search(r"\b(you|your)\b", clinical, re.IGNORECASE)  # a clinician reads it


def test_an_older_saved_summary_is_shown_in_todays_words(alice: Client, doctor: Client) -> None:
    """The web page words the summary from the saved answers with today's knowledge base, as the
    PDF does: a summary saved in an older wording ("your stomach") is not shown as saved."""
    profile = _share(alice, doctor)
    result = assess(WARNING)
    old = result.for_your_doctor.model_copy(
        update={"summary": ["Likely contributors: Sleeping on your stomach (old words)."]}
    )
    services.save_assessment(profile, WARNING, result.model_copy(update={"for_your_doctor": old}))
    text = _plain(doctor.get(f"/clinician/{profile.pk}/").content)
    assert "(old words)" not in text
    for line in result.for_your_doctor.summary:
        assert line in text, line


def test_the_reference_is_kept_short(alice: Client) -> None:
    response = alice.post("/account/reference", {"reference": "x" * 41})
    assert response.status_code == 400
    assert b"at most 40 characters" in response.content
    assert services.reference_of(_profile(alice)) == ""


def test_the_reference_error_keeps_the_whole_account_page(alice: Client) -> None:
    """The error render and the plain page share one context: the sign-in section stays."""
    plain = alice.get("/account").content.decode()
    page = alice.post("/account/reference", {"reference": "y" * 41}).content.decode()
    signing_in = re.compile(r"<h2>Signing in</h2>.*?</ul>", re.S)
    shown, expected = signing_in.search(page), signing_in.search(plain)
    assert shown is not None and expected is not None
    assert shown[0] == expected[0]
    assert re.search(r"\(\d+ unused\)|you have none yet", shown[0])  # the recovery codes are said
    assert 'value="' + "y" * 41 + '"' in page  # what was typed is kept


def test_effects_table_numbers_equal_the_insights_page(alice: Client, doctor: Client) -> None:
    profile = _share(alice, doctor)
    _diary(profile)
    insights_page = alice.get("/diary/insights").content.decode()
    page = doctor.get(f"/clinician/{profile.pk}/").content.decode()
    table = page[
        page.index('<table class="effects">') : page.index("</table>", page.index("effects"))
    ]
    rows = re.findall(
        r'<th scope="row">(?:<strong>)?([^<]+)(?:</strong> <span class="tag">stands out</span>)?'
        r'</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td>',
        table,
    )
    assert len(rows) >= 2
    # only the factors that stand out are bold, each with the words too (not bold alone)
    marked = table.count('<tr class="stands-out"><th scope="row"><strong>')
    assert marked == table.count("<strong>") == table.count(">stands out</span>")
    assert marked < len(rows)
    for label, effect, interval in rows:
        assert f"{effect} ({interval})" in insights_page, (label, effect, interval)  # forest chart
    tests = re.search(r"95% interval, adjusted for the \d+ factors compared", insights_page)
    assert tests is not None and tests.group(0) in page  # the same interval, the same name


def test_measured_position_and_experiments(alice: Client, doctor: Client) -> None:
    profile = _share(alice, doctor)
    for day in range(3):
        services.save_entry(
            profile,
            {
                "date": (START + dt.timedelta(days=day)).isoformat(),
                "pain_on_waking": 3,
                "sleep_position": "back" if day else "side",
                "origin": "measured",
                "measured_fields": ["sleep_position"],
            },
        )
    services.save_entry(
        profile, {"date": "2026-03-10", "pain_on_waking": 3, "sleep_position": "stomach"}
    )
    text = _plain(doctor.get(f"/clinician/{profile.pk}/").content)
    assert "back 2 nights, side 1 night." in text  # the typed stomach night is not "measured"
    assert "Experiments None." in text


def test_the_list_sorts_by_level_and_by_last_entry(doctor: Client) -> None:
    calm, worried = make_client("calm"), make_client("worried")
    calm_profile, worried_profile = _share(calm, doctor), _share(worried, doctor)
    _assess(calm_profile, PLAIN)
    _assess(worried_profile, WARNING)
    services.save_entry(calm_profile, {"date": "2026-03-05", "pain_on_waking": 2})
    services.save_entry(worried_profile, {"date": "2026-03-01", "pain_on_waking": 6})

    by_level = [r.name for r in services.people_list(doctor.user, "level")]  # type: ignore[attr-defined]
    by_entry = [r.name for r in services.people_list(doctor.user, "entry")]  # type: ignore[attr-defined]
    assert by_level == ["Worried", "Calm"]
    assert by_entry == ["Calm", "Worried"]
    page = doctor.get("/clinician/?sort=entry").content.decode()
    assert page.index("Calm") < page.index("Worried")
    assert 'href="?sort=entry" aria-current="true"' in page


def test_new_warning_signs_are_flagged_until_the_clinician_looks(
    alice: Client, doctor: Client, other_doctor: Client
) -> None:
    profile = _share(alice, doctor)
    _share(alice, other_doctor)
    _assess(profile, PLAIN)
    doctor.get(f"/clinician/{profile.pk}/")
    other_doctor.get(f"/clinician/{profile.pk}/")
    [row] = services.people_list(doctor.user)  # type: ignore[attr-defined]
    assert not row.new_warning_signs and row.last_viewed_at is not None

    _looked_a_minute_ago(profile)
    _assess(profile, WARNING)
    assert b"New since your last look" in doctor.get("/clinician/").content
    doctor.get(f"/clinician/{profile.pk}/")
    assert b"New since your last look" not in doctor.get("/clinician/").content
    [other] = services.people_list(other_doctor.user)  # type: ignore[attr-defined]
    assert other.new_warning_signs  # each clinician's own last look


def test_a_new_assessment_without_warning_signs_is_not_flagged(
    alice: Client, doctor: Client
) -> None:
    profile = _share(alice, doctor)
    doctor.get(f"/clinician/{profile.pk}/")
    _looked_a_minute_ago(profile)
    _assess(profile, PLAIN)
    [row] = services.people_list(doctor.user)  # type: ignore[attr-defined]
    assert not row.new_warning_signs


def test_only_an_active_share_opens_the_page(
    alice: Client, doctor: Client, other_doctor: Client
) -> None:
    profile = _share(alice, doctor)
    assert doctor.get(f"/clinician/{profile.pk}/").status_code == 200
    assert other_doctor.get(f"/clinician/{profile.pk}/").status_code == 404
    assert alice.get(f"/clinician/{profile.pk}/").status_code in (403, 404)
    [share] = services.shares_of(profile)
    services.revoke_share(profile, share.pk)
    assert doctor.get(f"/clinician/{profile.pk}/").status_code == 404
    assert b"Alice" not in doctor.get("/clinician/").content


def test_without_a_year_of_birth_the_age_given_at_the_assessment_is_shown(
    alice: Client, doctor: Client
) -> None:
    profile = _share(alice, doctor)
    _assess(profile, PLAIN)
    text = _plain(doctor.get(f"/clinician/{profile.pk}/").content)
    assert "Age 44 at the assessment of" in text


def _crowd(doctor: Client, count: int) -> list[Profile]:
    """``count`` people who shared with ``doctor``, with plain accounts and no assessments."""
    from nightspine.web.models import Account, Share

    profiles = []
    for i in range(count):
        user = services.create_account(f"crowd{i:02d}", "a long test password 1", Account.PERSON)
        profile = services.profile_of(user)
        Share.objects.create(
            profile=profile,
            code_hash=f"crowd-{i}",
            expires_at=timezone.now(),
            clinician=doctor.user,  # type: ignore[attr-defined]
            accepted_at=timezone.now(),
        )
        profiles.append(profile)
    return profiles


def test_the_list_is_paged_with_a_count_and_page_links(doctor: Client) -> None:
    _crowd(doctor, services.PEOPLE_PAGE_SIZE + 5)
    worried = make_client("worried")
    _assess(_share(worried, doctor), WARNING)
    total = services.PEOPLE_PAGE_SIZE + 6

    first = doctor.get("/clinician/").content.decode()
    assert f"{total} people, showing 1 to {services.PEOPLE_PAGE_SIZE} (page 1 of 2)" in first
    assert first.index("Worried") < first.index("crowd00")  # the most urgent on page 1
    assert 'href="?sort=level&amp;page=2" rel="next"' in first
    assert 'aria-label="Pages of the list of people"' in first
    second = doctor.get("/clinician/?sort=level&page=2").content.decode()
    assert f"showing {services.PEOPLE_PAGE_SIZE + 1} to {total} (page 2 of 2)" in second
    assert "crowd29" in second and "Worried" not in second
    assert 'href="?sort=level&amp;page=1" rel="prev"' in second
    assert doctor.get("/clinician/?page=99").content.decode().count("(page 2 of 2)") == 1
    assert "(page 1 of 2)" in doctor.get("/clinician/?page=x").content.decode()


def test_every_person_is_on_exactly_one_page_in_every_order(doctor: Client) -> None:
    profiles = _crowd(doctor, 7)
    for i, profile in enumerate(profiles):
        _assess(profile, WARNING if i % 3 == 0 else PLAIN)
        services.save_entry(profile, {"date": f"2026-03-{i % 4 + 1:02d}", "pain_on_waking": 3})
    for sort in services.SORTS:
        whole = services.people_list(doctor.user, sort)  # type: ignore[attr-defined]
        paged = [
            row.name
            for n in (1, 2, 3)
            for row in services.people_page(doctor.user, sort, n, 3).rows  # type: ignore[attr-defined]
        ]
        assert paged == [r.name for r in whole]
        assert [r.name for r in services.sort_people(whole, sort)] == paged  # same order as SQL


def test_page_links_keep_the_first_last_and_nearby_pages() -> None:
    page = services.PeoplePage([], 6, 12, 300, 25)
    assert page.links == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert services.PeoplePage([], 1, 1, 0, 25).links == [1]


def test_an_assessment_saved_before_the_flag_column_is_read_from_its_result(
    alice: Client, doctor: Client
) -> None:
    profile = _share(alice, doctor)
    _assess(profile, WARNING)
    AssessmentRecord.objects.filter(profile=profile).update(reports_warning_signs=None)
    [row] = services.people_list(doctor.user)  # type: ignore[attr-defined]
    assert row.new_warning_signs


def test_the_warning_sign_flag_is_encrypted_at_rest(alice: Client, doctor: Client) -> None:
    from django.db import connection

    profile = _share(alice, doctor)
    _assess(profile, WARNING)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reports_warning_signs FROM nightspine_assessmentrecord")
        [(stored,)] = cursor.fetchall()
    assert stored not in ("true", "1", True, 1) and str(stored).startswith("gAAAA")
    assert AssessmentRecord.objects.get(profile=profile).reports_warning_signs is True


def test_within_a_level_people_assessed_since_the_last_look_come_first(doctor: Client) -> None:
    anna, zoe = make_client("anna"), make_client("zoe")
    anna_profile, zoe_profile = _share(anna, doctor), _share(zoe, doctor)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    _assess(anna_profile, PLAIN, at=an_hour_ago)
    _assess(zoe_profile, PLAIN, at=an_hour_ago)
    for profile in (anna_profile, zoe_profile):
        doctor.get(f"/clinician/{profile.pk}/")
        _looked_a_minute_ago(profile)
    assert [r.name for r in services.people_list(doctor.user)] == ["Anna", "Zoe"]  # type: ignore[attr-defined]
    _assess(zoe_profile, PLAIN)  # new since the look, same level
    assert [r.name for r in services.people_list(doctor.user)] == ["Zoe", "Anna"]  # type: ignore[attr-defined]
    rows = services.people_list(doctor.user)  # type: ignore[attr-defined]
    assert [r.name for r in services.sort_people(rows, "level")] == ["Zoe", "Anna"]
