"""deploy/Caddyfile run for real in front of `nightspine serve`, as compose runs them (issue 13).

No Docker is needed: Caddy (``apt-get install caddy``) runs deploy/Caddyfile itself, adapted
only where a container and a loopback test must differ (see :func:`_loopback`), in front of the
app started with the Dockerfile's command and the compose file's environment, on PostgreSQL as
in compose. Then, over HTTPS through the proxy, as a browser would: the health check, a sign-up
with its CSRF check, Secure cookies, the security headers, the app seeing the visitor as HTTPS,
and a recording larger than a small body limit. Skipped when Caddy is missing, except under
CI=true, where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.test_deploy import DEPLOY, ROOT, _compose, _dockerfile
from tests.web.served import free_port

CADDY = shutil.which("caddy")
HOST = "localhost"  # NIGHTSPINE_HOST, as compose passes it to the app and to the proxy
UPSTREAM = "app:8000"  # the app as the proxy reaches it on compose's inner network
PASSWORD = "correct horse battery staple"


def _need_caddy() -> str:
    if CADDY is None:
        reason = "caddy is not installed (apt-get install caddy); deploy/ is only read"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the proxy check is required in CI (CI=true): {reason}", pytrace=False)
        pytest.skip(reason)
    return CADDY


def _interpolate(value: str, variables: dict[str, str]) -> str:
    """``${NAME:-default}`` and ``${NAME}`` as compose substitutes them."""

    def one(found: re.Match[str]) -> str:
        return variables.get(found[1]) or (found[2] or "")

    return re.sub(r"\$\{(\w+)(?::-([^}]*))?\}", one, value)


def _caddy_env(home: Path) -> dict[str, str]:
    """Caddy's own files (its local certificate authority) in the test's folder."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "NIGHTSPINE_HOST": HOST,  # what compose gives the proxy service
    }


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop a process started in its own session, with everything it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_caddy_validates_the_caddyfile(tmp_path: Path) -> None:
    caddy = _need_caddy()
    result = subprocess.run(
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=_caddy_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


def _loopback(config: dict[str, Any], https_port: int, http_port: int, app_port: int) -> None:
    """What differs between the container and this test, and nothing else: Caddy listens on a
    loopback port instead of the container's 443 (so its HTTP-to-HTTPS redirect, which would
    listen on every address, is off), reaches the app on loopback instead of ``app:8000``, and
    has no admin endpoint (the container's health check uses it; nothing here does)."""
    http = config["apps"]["http"]
    http["https_port"], http["http_port"] = https_port, http_port
    (server,) = http["servers"].values()
    assert server["listen"] == [":443"]
    server["listen"] = [f"127.0.0.1:{https_port}"]
    server["automatic_https"] = {"disable_redirects": True}
    dials: list[dict[str, Any]] = []

    def find_upstreams(node: Any) -> None:
        if isinstance(node, dict):
            dials.extend(node.get("upstreams", []))
            for child in node.values():
                find_upstreams(child)
        elif isinstance(node, list):
            for child in node:
                find_upstreams(child)

    find_upstreams(server["routes"])
    assert [d["dial"] for d in dials] == [UPSTREAM]
    dials[0]["dial"] = f"127.0.0.1:{app_port}"
    config["admin"] = {"disabled": True}


@dataclass
class Proxied:
    url: str  # https://localhost:<port>, through Caddy
    ca: Path  # Caddy's local authority's root certificate
    caddy_log: Path

    def client(self) -> httpx.Client:
        context = ssl.create_default_context(cafile=str(self.ca))
        return httpx.Client(base_url=self.url, verify=context, timeout=60)


@pytest.fixture(scope="module")
def database(postgres_url: str) -> Iterator[str]:
    """A database of its own on the test cluster: the served app writes to it from other
    processes, outside the rolled-back transactions the other tests rely on."""
    import psycopg

    _need_caddy()  # before making a database for nothing
    name = f"nightspine_proxy_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(postgres_url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _app_environment(database: str, data: Path, https_port: int) -> dict[str, str]:
    """The app service's environment from compose.yaml, interpolated as compose would with
    NIGHTSPINE_HOST=localhost and the HTTPS port the visitor uses; only the database (the test
    cluster), the data folder and one allowed host differ."""
    given = _compose()["services"]["app"]["environment"]
    variables = {"NIGHTSPINE_HOST": HOST, "NIGHTSPINE_HTTPS_PORT": str(https_port)}
    env = {k: _interpolate(str(v), variables) for k, v in given.items()}
    env["NIGHTSPINE_DATABASE_URL"] = database
    env["NIGHTSPINE_DATA_DIR"] = str(data)
    # In compose, 127.0.0.1 is allowed for the container's own health check, and the proxy
    # reaches the app as "app", which is not allowed. Here the proxy reaches it as 127.0.0.1,
    # so that name is taken out to keep the two alike: every request the proxy sends must name
    # the public host (an active health check asking for "app:8000" got 400s, and the proxy
    # then refused every request).
    hosts = [h for h in env["NIGHTSPINE_ALLOWED_HOSTS"].split(",") if h != "127.0.0.1"]
    env["NIGHTSPINE_ALLOWED_HOSTS"] = ",".join(hosts)
    return env


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    """Start ``cmd`` in a session of its own (so it is stopped with all it starts), its output
    in ``log`` (a pipe nobody reads would fill and stall it)."""
    with log.open("w") as out:
        return subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )


def _start_app(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[str]:
    """The Dockerfile's command, on a loopback port instead of 0.0.0.0:8000."""
    cmd = json.loads(next(args for op, args in _dockerfile() if op == "CMD"))
    cmd[cmd.index("--host") + 1] = "127.0.0.1"
    cmd[cmd.index("--port") + 1] = str(port)
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NIGHTSPINE_")},
        **env,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return _start([sys.executable, "-m", *cmd], full, log)


def _wait(
    ready: Any, proc: subprocess.Popen[str], what: str, log: Path, timeout_s: float = 90
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if ready():
                return
        except (OSError, httpx.HTTPError, ssl.SSLError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            pytest.fail(f"{what} did not start:\n{log.read_text(encoding='utf-8')[-4000:]}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[Proxied]:
    caddy = _need_caddy()
    folder = tmp_path_factory.mktemp("proxy")
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    app_log = folder / "app.log"
    app = _start_app(_app_environment(database, folder / "data", https_port), app_port, app_log)
    try:
        _wait(lambda: _app_ready(app_port), app, "nightspine serve", app_log)
        yield from _start_proxy(caddy, folder, app_port, https_port, http_port)
    finally:
        _stop(app)


def _app_ready(port: int) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=3) as answer:
        return bool(answer.status == 200)


def _start_proxy(
    caddy: str, folder: Path, app_port: int, https_port: int, http_port: int
) -> Iterator[Proxied]:
    home = folder / "caddy"
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=_caddy_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    config = json.loads(adapted.stdout)
    _loopback(config, https_port, http_port, app_port)
    (folder / "caddy.json").write_text(json.dumps(config), encoding="utf-8")
    log = folder / "caddy.log"
    proxy = _start([caddy, "run", "--config", str(folder / "caddy.json")], _caddy_env(home), log)
    found = Proxied(
        f"https://{HOST}:{https_port}",
        home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt",
        log,
    )

    def proxy_ready() -> bool:
        if not found.ca.exists():
            return False
        with found.client() as client:
            client.get("/healthz")  # any answer over TLS: the tests judge it
        return True

    try:
        _wait(proxy_ready, proxy, "caddy", log)
        yield found
    finally:
        _stop(proxy)


def test_healthz_answers_through_the_proxy(proxied: Proxied) -> None:
    with proxied.client() as client:
        answer = client.get("/healthz")
    log = proxied.caddy_log.read_text(encoding="utf-8")
    assert answer.status_code == 200, log[-3000:]
    assert answer.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert '"level":"error"' not in log, log[-3000:]


def test_the_promised_security_headers_are_there(proxied: Proxied) -> None:
    with proxied.client() as client:
        page = client.get("/", headers={"Accept-Encoding": "gzip, zstd"})
        style = client.get(
            re.findall(r'href="(/static/[^"]+\.css)"', page.text)[0],
            headers={"Accept-Encoding": "gzip"},
        )
    assert page.status_code == 200 and style.status_code == 200
    assert page.headers.get_list("strict-transport-security") == ["max-age=31536000"]
    assert "server" not in page.headers  # neither Caddy nor the app names itself
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "no-store" in page.headers["cache-control"]
    # pages are not compressed (BREACH); static files are
    assert "content-encoding" not in page.headers
    assert style.headers["content-encoding"] == "gzip"


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found[1]


def _cookies(answer: httpx.Response) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in answer.headers.get_list("set-cookie")}


def test_sign_up_passes_the_csrf_check_with_secure_cookies_and_the_app_sees_https(
    proxied: Proxied,
) -> None:
    with proxied.client() as client:
        form = client.get("/signup")
        csrf = _cookies(form)["csrftoken"]
        assert "; Secure" in csrf and "HttpOnly" in csrf
        # A browser sends the page's own origin with a form post (Django checks it against
        # NIGHTSPINE_CSRF_TRUSTED_ORIGINS and the host the app sees).
        created = client.post(
            "/signup",
            data={
                "csrfmiddlewaretoken": _token(form.text),
                "username": "proxied-person",
                "password": PASSWORD,
                "role": "person",
            },
            headers={"Origin": proxied.url, "Referer": f"{proxied.url}/signup"},
        )
        assert created.status_code == 302, created.text[-2000:]
        assert created.headers["location"] == "/me"
        session = _cookies(created)["sessionid"]
        assert "; Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session

        # The app builds absolute addresses with the scheme it sees: https, not http.
        page = client.get("/me/reminders")
        shown = client.post(
            "/me/reminders",
            data={"csrfmiddlewaretoken": _token(page.text), "action": "new_feed"},
            headers={
                "Origin": proxied.url,
                "Referer": f"{proxied.url}/me/reminders",
                "X-Forwarded-Proto": "http",  # a visitor's own claim: the proxy replaces it
            },
        )
        assert shown.status_code == 200, shown.text[-2000:]
        assert f"{proxied.url}/reminders/feed/" in shown.text

        # Over HTTPS Django also demands a Referer when there is no Origin: refused here,
        # which it would not be if the app believed the request came over plain HTTP.
        bare = client.post(
            "/me/reminders",
            data={"csrfmiddlewaretoken": _token(page.text), "action": "new_feed"},
        )
        assert bare.status_code == 403

        # A form posted from another site is refused.
        foreign = client.post(
            "/me/reminders",
            data={"csrfmiddlewaretoken": _token(page.text), "action": "new_feed"},
            headers={
                "Origin": "https://elsewhere.example",
                "Referer": "https://elsewhere.example/",
            },
        )
        assert foreign.status_code == 403


def test_a_week_long_recording_is_not_cut_off_by_the_proxy(proxied: Proxied) -> None:
    """Recordings run to hundreds of MB; 40 MB here is above any small default body limit."""
    with proxied.client() as client:
        form = client.get("/login")
        signed_in = client.post(
            "/login",
            data={
                "csrfmiddlewaretoken": _token(form.text),
                "username": "proxied-person",
                "password": PASSWORD,
            },
            headers={"Origin": proxied.url, "Referer": f"{proxied.url}/login"},
        )
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        page = client.get("/me/recordings")
        sent = client.post(
            "/me/recordings",
            data={"csrfmiddlewaretoken": _token(page.text), "placement": "chest"},
            files={"recording": ("week.csv", b"time,x,y,z\n" + b"0" * (40 * 1024 * 1024))},
            headers={"Origin": proxied.url, "Referer": f"{proxied.url}/me/recordings"},
        )
    assert sent.status_code == 302, sent.text[-2000:]
    assert re.fullmatch(r"/me/recordings/\d+", sent.headers["location"])
