"""The `forum` command and configuration from FORUM_* variables."""
import logging
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from forum import create_app
from forum.accounts.models import User
from forum.cli import build_cli
from forum.extensions import db


def test_seed_demo_creates_the_demo_street_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "13900000004" in result.output and "demo-pass-2026" in result.output
    demo_accounts = sa.select(sa.func.count(User.id)).where(User.phone.like("1390000000_"))
    assert db.session.scalar(demo_accounts) == 7
    everyone = db.session.scalar(sa.select(sa.func.count(User.id)))
    again = runner.invoke(args=["forum", "seed-demo"])
    assert "nothing was added" in again.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == everyone


def test_create_admin_with_options(app, client):
    result = app.test_cli_runner().invoke(args=[
        "forum", "create-admin", "--phone", "13811112222", "--name", "周主任", "--password", "街道管理 2026 年"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.phone == "13811112222"))
    assert admin.is_admin
    assert client.post("/auth/login", data={"phone": "13811112222", "password": "街道管理 2026 年"}).status_code == 303


def test_create_admin_asks_when_options_are_missing(app):
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin"], input="13811113333\n周主任\n街道管理 2026 年\n街道管理 2026 年\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User.is_admin).where(User.phone == "13811113333")) is True


def test_create_admin_refuses_a_weak_password_or_bad_phone(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["forum", "create-admin", "--phone", "13811114444", "--name", "x", "--password", "12345678"])
    assert weak.exit_code != 0
    bad = runner.invoke(args=["forum", "create-admin", "--phone", "123", "--name", "x", "--password", "街道管理 2026 年"])
    assert bad.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_demo_prepares_a_fresh_instance_folder(tmp_path, monkeypatch):
    instance = tmp_path / "fresh-instance"
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("FORUM_DATABASE_URL", raising=False)
    result = CliRunner().invoke(build_cli(), ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert (instance / "forum.sqlite3").exists() and (instance / "secret_key").exists()
    assert "13900000000" in result.output


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("FORUM_SECRET_KEY", raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "inst"))
    with caplog.at_level(logging.WARNING):
        first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert "FORUM_SECRET_KEY is not set" in caplog.text


def test_configured_settings_come_from_forum_variables(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FORUM_SECRET_KEY", "configured-key")
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("FORUM_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    monkeypatch.setenv("FORUM_RATELIMIT_STORAGE_URI", "memory://")
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert app.config["SECRET_KEY"] == "configured-key"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.db")
    assert app.instance_path == str(tmp_path / "inst")
    assert "FORUM_SECRET_KEY is not set" not in caplog.text
    assert not (tmp_path / "inst" / "secret_key").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_demo(instance, port):
    env = {"FORUM_INSTANCE_PATH": str(instance), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-m", "forum", "demo", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_for(url, process):
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("forum demo did not start")
            time.sleep(0.3)


def _log_in(base):
    import http.cookiejar
    import re

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/auth/login", timeout=5).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "phone": "13900000004",
                                   "password": "demo-pass-2026"}).encode()
    return opener.open(f"{base}/auth/login", data=data, timeout=15).read().decode()


def test_forum_demo_serves_the_site_and_can_be_started_again(tmp_path):
    """The second start finds the demo data there already, and writes still work."""
    import urllib.parse  # noqa: F401

    for attempt in range(2):
        port = _free_port()
        process = _serve_demo(tmp_path / "inst", port)
        try:
            page = _wait_for(f"http://127.0.0.1:{port}/", process)
            assert "欢迎来到议事厅" in page and "青松社区" in page
            assert "刘桂芳" in _log_in(f"http://127.0.0.1:{port}")
        finally:
            process.terminate()
            process.wait(10)
