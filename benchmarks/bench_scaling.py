"""Does a page's cost grow with the number of users, the length of a diary or a clinician's list?

Builds two SQLite databases in a temporary folder, each in its own process: "small" (one person
with a 1-year diary, a clinician with 1 patient) and "large" (20,000 accounts with 20 nights
each, the same person with a 10-year diary, a clinician with 200 patients who have two saved
assessments each, one of them reporting a warning sign). Then times each page in-process
(Django's test client, median of REPEATS after one warm-up) and counts its queries, and prints
the large/small ratio against the 1-account, 1-year baseline (the target is at most 2).

Two clocks: CPU time of this process (``time.process_time``: the request runs in-process,
SQLite included, so this is the page's own work and hardly moves when other programs share the
cores) and wall time (what a person waits on an idle machine). The ratio uses CPU time.

Usage: ``PYTHONPATH=src python benchmarks/bench_scaling.py [--accounts 20000]``. Building the
large database takes about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 7
START = dt.date(2016, 1, 1)
ANSWERS = {"age": 44, "pain_now": 4, "sleep_position": "stomach", "duration_days": 40}
WARNING = {**ANSWERS, "numbness_or_tingling": ["arms"]}


def build(size: str, accounts: int) -> dict[str, Any]:
    """Fill the database; return the ids the measurements need."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from nightspine.storage.models import AssessmentRecord, DiaryEntry, Profile
    from nightspine.web import services
    from nightspine.web.engine import assess
    from nightspine.web.models import Account, Share

    user_model = get_user_model()
    large = size == "large"
    crowd = accounts if large else 0
    nights_each = 20
    batch = 2000
    for first in range(0, crowd, batch):
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"crowd{i}", password="!")
                for i in range(first, min(first + batch, crowd))
            ]
        )
        Account.objects.bulk_create([Account(user=u, role=Account.PERSON) for u in users])
        profiles = Profile.objects.bulk_create(
            [Profile(user=u, local_key=f"web-{u.pk}") for u in users]
        )
        DiaryEntry.objects.bulk_create(
            [
                DiaryEntry(
                    profile=p,
                    date=START + dt.timedelta(days=n),
                    health_values={
                        "pain_on_waking": (p.pk + n) % 11,
                        "sleep_position": "side",
                        "pillow": f"pillow {n % 3}",
                    },
                )
                for p in profiles
                for n in range(nights_each)
            ],
            batch_size=5000,
        )
    person = services.create_account("person", "a long bench password 1", "person")
    profile = services.profile_of(person)
    days = 3650 if large else 365
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntry(
                profile=profile,
                date=START + dt.timedelta(days=n),
                health_values={
                    "pain_on_waking": (n * 7) % 11,
                    "sleep_position": ("back", "side", "stomach", "mixed")[n % 4],
                    "knee_pillow": n % 3 == 0,
                    "pillow": f"pillow {n % 5}",
                    "hours_slept": 5.5 + n % 4,
                },
            )
            for n in range(days)
        ],
        batch_size=5000,
    )
    result, warning = assess(ANSWERS), assess(WARNING)
    services.save_assessment(profile, ANSWERS, result)
    clinician = services.create_account("clinician", "a long bench password 1", "clinician")
    TOTP.activate(clinician, generate_totp_secret())  # clinicians' pages need two steps
    patients = 200 if large else 1
    for i in range(patients):
        user = services.create_account(f"patient{i}", "a long bench password 1", "person")
        patient = services.profile_of(user)
        services.save_assessment(patient, ANSWERS, result)
        services.save_assessment(patient, WARNING, warning)  # flagged "new warning signs"
        _, code = services.create_share(patient)
        services.redeem_share(clinician, code)
    assert Share.objects.filter(clinician=clinician).count() == patients
    assert AssessmentRecord.objects.count() >= patients
    return {"person": person.pk, "clinician": clinician.pk}


def measure(ids: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    """(median CPU ms, median wall ms, queries) per page."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nightspine.diary.entry import entry_from_values
    from nightspine.storage import repository as repo
    from nightspine.web import services

    user_model = get_user_model()
    person = Client(SERVER_NAME="localhost")
    person.force_login(user_model.objects.get(pk=ids["person"]))
    clinician = Client(SERVER_NAME="localhost")
    clinician.force_login(user_model.objects.get(pk=ids["clinician"]))
    profile = services.profile_of(user_model.objects.get(pk=ids["person"]))
    token = services.issue_token(user_model.objects.get(pk=ids["person"]))
    results: dict[str, tuple[float, float, int]] = {}

    def timed(name: str, call: Any, before: Any = None) -> None:
        call()
        cpu, wall, queries = [], [], 0
        for _ in range(REPEATS):
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as seen:
                c0, t0 = time.process_time(), time.perf_counter()
                response = call()
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            status = getattr(response, "status_code", 200)
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status}")
            queries = len(seen.captured_queries)
        results[name] = (statistics.median(cpu), statistics.median(wall), queries)

    extra = iter(range(10**6))

    def write_one() -> None:  # a diary change: the next insights view computes afresh
        day = dt.date(2040, 1, 1) + dt.timedelta(days=next(extra))
        repo.save_entry(profile, entry_from_values({"date": day, "pain_on_waking": 3}))

    timed("clinician list (page 1)", lambda: clinician.get("/clinician/"))
    timed("clinician list (last page)", lambda: clinician.get("/clinician/?page=999"))
    timed("clinician list (by entry)", lambda: clinician.get("/clinician/?sort=entry"))
    timed("clinician list (API page)", lambda: clinician.get("/api/v1/clinician/people"))
    timed("dashboard", lambda: person.get("/me"))
    timed("diary entry form", lambda: person.get("/diary/"))
    timed("diary history", lambda: person.get("/diary/history"))
    timed("insights (unchanged diary)", lambda: person.get("/diary/insights"))
    timed("insights (after a write)", lambda: person.get("/diary/insights"), before=write_one)
    timed(
        "API diary list (100 a page)",
        lambda: person.get("/api/v1/diary?limit=100", HTTP_AUTHORIZATION=f"Bearer {token}"),
    )
    timed(  # the default page holds up to 1,000 entries: the 1-year diary has only 365
        "API diary list (default page)",
        lambda: person.get("/api/v1/diary", HTTP_AUTHORIZATION=f"Bearer {token}"),
    )
    timed("sign-up username check", lambda: services._username_taken("someone-new"))
    return results


def child(size: str, folder: str, accounts: int) -> None:
    os.environ["NIGHTSPINE_DATA_DIR"] = folder
    os.environ["NIGHTSPINE_DATABASE_URL"] = f"sqlite:///{folder}/{size}.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "nightspine.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.disable(logging.INFO)  # the per-request log line costs the same at both sizes
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast build
    t0 = time.perf_counter()
    ids = build(size, accounts)
    built = time.perf_counter() - t0
    print(json.dumps({"built_s": built, "pages": measure(ids)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--child", choices=["small", "large"])
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.accounts)
        return
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nightspine-scale-") as tmp:
        for size in ("small", "large"):
            folder = Path(tmp) / size
            folder.mkdir()
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    size,
                    "--folder",
                    str(folder),
                    "--accounts",
                    str(args.accounts),
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=1800,
                check=False,
            )
            if done.returncode:
                raise SystemExit(done.stderr[-4000:])
            found[size] = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = found["small"]["pages"], found["large"]["pages"]
    print(
        f"small: 1 person, 1-year diary, clinician with 1 patient (built in "
        f"{found['small']['built_s']:.1f} s)\nlarge: {args.accounts:,} accounts, 10-year diary, "
        f"clinician with 200 patients (built in {found['large']['built_s']:.1f} s)\n"
        f"ms: median of {REPEATS}, CPU time (wall time in brackets); q: queries; "
        "ratio: large/small CPU time (target: at most 2)\n"
    )
    print(f"{'page':<31} {'small ms':>16} {'q':>3} {'large ms':>16} {'q':>3} {'ratio':>6}")
    for name in small:
        (s_cpu, s_wall, s_q), (l_cpu, l_wall, l_q) = small[name], large[name]
        print(
            f"{name:<31} {s_cpu:7.1f} ({s_wall:6.1f}) {s_q:3d} {l_cpu:7.1f} ({l_wall:6.1f}) "
            f"{l_q:3d} {l_cpu / max(s_cpu, 0.01):6.2f}"
        )


if __name__ == "__main__":
    main()
