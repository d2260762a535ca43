"""deploy/: the compose file, Dockerfile and Caddyfile fit together (Docker is not needed: the
files are read and checked; README "Deploying" describes the manual check with Docker)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from nightspine.cli.main import app

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
ROOT = DEPLOY.parent


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return data


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1]) for ln in lines]


def test_compose_has_the_app_its_database_and_a_tls_proxy() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "app", "proxy"}
    for name, service in services.items():
        assert "healthcheck" in service and service["healthcheck"]["test"], name
        assert service.get("restart") == "unless-stopped", name
    # only the proxy is reachable from outside; the app and database stay on the inner network
    assert "ports" not in services["app"] and "ports" not in services["db"]
    assert any(str(p).endswith(":443") for p in services["proxy"]["ports"])
    # start order follows health, not just start
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert services["app"]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}


def test_the_app_is_configured_for_postgresql_behind_https() -> None:
    services = _compose()["services"]
    env = services["app"]["environment"]
    db_env = services["db"]["environment"]
    url = env["NIGHTSPINE_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@db:5432/" in url
    assert url.endswith("/" + db_env["POSTGRES_DB"])
    assert db_env["POSTGRES_PASSWORD"] in url and db_env["POSTGRES_USER"] in url
    assert env["NIGHTSPINE_SECURE_COOKIES"] == "true"
    assert env["NIGHTSPINE_CSRF_TRUSTED_ORIGINS"].startswith("https://")
    assert "127.0.0.1" in env["NIGHTSPINE_ALLOWED_HOSTS"]  # the container's own health check
    # links in e-mails lead to the public HTTPS address, which is also trusted for forms
    assert env["NIGHTSPINE_PUBLIC_URL"] in env["NIGHTSPINE_CSRF_TRUSTED_ORIGINS"].split(",")
    assert any(v.endswith(":/data") for v in services["app"]["volumes"])
    assert env["NIGHTSPINE_DATA_DIR"] == "/data"
    # every NIGHTSPINE_ variable the app is given is a field of the one Settings class
    from nightspine.config import Settings

    fields = {f"NIGHTSPINE_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields


def test_the_proxy_terminates_tls_and_forwards_to_the_app() -> None:
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert re.search(r"^\s*tls internal\s*$", caddy, re.MULTILINE)
    assert re.search(r"reverse_proxy app:8000\b", caddy)
    assert "read_header" in caddy  # slow clients are cut off at the edge as well
    proxy = _compose()["services"]["proxy"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


def test_the_dockerfile_installs_the_locked_package_and_runs_nightspine_serve() -> None:
    steps = _dockerfile()
    runs = " && ".join(args for op, args in steps if op == "RUN")
    assert "pip install --require-hashes -r requirements.lock" in runs
    assert "pip install --no-deps ." in runs
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(op == "HEALTHCHECK" and "/healthz" in args for op, args in steps)
    cmd = json.loads(next(args for op, args in steps if op == "CMD"))
    assert cmd[:2] == ["nightspine", "serve"]
    assert cmd[cmd.index("--port") + 1] == "8000" and cmd[cmd.index("--host") + 1] == "0.0.0.0"
    shown = CliRunner().invoke(app, ["serve", "--help"]).output
    for flag in (a for a in cmd[2:] if a.startswith("--")):
        assert flag in shown, flag


def test_everything_the_dockerfile_copies_is_in_the_build_context() -> None:
    allowed = [
        ln[1:].rstrip("/")
        for ln in (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if ln.startswith("!")
    ]
    for op, args in _dockerfile():
        if op == "COPY":
            *sources, _ = shlex.split(args)
            for source in sources:
                assert source.rstrip("/") in allowed, source
                assert (ROOT / source).exists(), source


def _caddy_setting(name: str, pattern: str) -> tuple[str, ...]:
    """The groups of ``pattern`` matched by the value of the Caddyfile's setting ``name``."""
    found = re.search(rf"^\s*{name}\s+(\S+)\s*$", (DEPLOY / "Caddyfile").read_text(), re.MULTILINE)
    value = re.fullmatch(pattern, found[1]) if found else None
    assert value, f"{name} is missing or is not {pattern}"
    return value.groups()


def test_the_proxy_lets_a_recording_as_large_as_the_app_takes_through_in_time() -> None:
    """Week-long recordings run to hundreds of MB: the proxy's body limit is above the app's
    (which refuses larger files itself, saying what to do), and its timeouts leave time to send
    one over a 5 Mbit/s uplink."""
    from nightspine.config import Settings

    size, unit = _caddy_setting("max_size", r"(\d+)(MB|GB)")
    limit_bytes = int(size) * {"MB": 10**6, "GB": 10**9}[unit]
    upload_bytes = Settings.model_fields["upload_max_mb"].default * 1024 * 1024
    assert limit_bytes >= upload_bytes + 64 * 1024  # the form's other fields (views/uploads.py)
    send_s = upload_bytes * 8 / 5e6
    for name in ("read_body", "write"):
        amount, unit = _caddy_setting(name, r"(\d+)([smh])")
        assert int(amount) * {"s": 1, "m": 60, "h": 3600}[unit] >= send_s, name
    assert _caddy_setting("read_header", r"(\d+)s")  # slow headers are cut off in seconds


def test_pages_holding_health_data_are_not_compressed_by_the_proxy() -> None:
    """BREACH: compressing a page with a secret beside text the visitor chose leaks it."""
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert re.search(r"^\s*@static path /static/\*\s*$", caddy, re.MULTILINE)
    encodes = re.findall(r"^\s*encode\b.*$", caddy, re.MULTILINE)
    assert encodes and all(e.split()[1] == "@static" for e in encodes)
