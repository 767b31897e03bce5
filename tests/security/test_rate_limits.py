"""Rate limits: per user and per address on every action spammers use, a Chinese 429 page
(also for htmx), counts shared through Redis, and client addresses behind trusted proxies."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import redis_test_url

from forum.config import RATE_LIMITS, from_environment
from forum.core.limits import NAMES
from forum.extensions import db, limiter

LOOSE = "1000 per hour"

# action: (limit name, who, URL template). An empty POST is enough: a request counts
# before the view looks at the form, so the third of "2 per hour" is refused whatever it says.
LIMITED_ACTIONS = {
    "post a need": ("post_need", "resident", "/needs/new?community={c1}"),
    "offer a resource": ("post_resource", "unit_contact", "/resources/new"),
    "raise a proposal": ("post_proposal", "resident", "/proposals/new?community={c1}"),
    "announce an activity": ("post_activity", "unit_contact", "/activities/new"),
    "comment": ("post_comment", "resident", "/discussion/need/{need}/comments"),
    "support a need": ("support_need", "resident", "/needs/{need}/support"),
    "support a proposal": ("support_proposal", "resident", "/proposals/{proposal}/support"),
    "report": ("report_content", "resident", "/moderation/report/need/{need}"),
}


def _ids(app) -> dict:
    from forum.lists.models import Need
    from forum.proposals.models import Proposal

    with app.app_context():
        need = db.session.scalar(sa.select(Need.id).where(Need.title == "3号楼楼道灯坏了一个多星期"))
        proposal = db.session.scalar(sa.select(Proposal.id).where(Proposal.title == "社区卫生服务站增加周末门诊"))
    return {"c1": 1, "need": need, "proposal": proposal}


def _limited_app(make_app, **settings):
    limits = {key: value for key, value in settings.items() if key.islower()}
    options = {key: value for key, value in settings.items() if key.isupper()}
    return make_app(demo=True, RATELIMIT_ENABLED=True, RATE_LIMITS={**RATE_LIMITS, **limits}, **options)


def _logged_in(app, phone, address="127.0.0.1", **headers):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, **headers)
    assert client.post("/auth/login", data={"phone": phone, "password": "demo-pass-2026"}).status_code == 303
    return client


PHONES = {"resident": "13900000004", "unit_contact": "13900000003", "council": "13900000002",
          "staff": "13900000001"}


def test_every_limit_in_use_has_its_numbers_for_users_and_addresses(app):
    """`rate_limit(name)` counts name and name_ip: both must be set in RATE_LIMITS (a missing
    one would mean no limit at all)."""
    assert {name for name, _, _ in LIMITED_ACTIONS.values()} <= NAMES
    assert "register_ip" in NAMES and "login_ip" in NAMES and "login_phone" in NAMES
    missing = sorted(NAMES - set(RATE_LIMITS))
    assert not missing, f"rate limits used but not set in forum/config.py RATE_LIMITS: {missing}"


@pytest.mark.parametrize("action", LIMITED_ACTIONS)
def test_each_action_is_limited_per_user(make_app, action):
    name, who, url = LIMITED_ACTIONS[action]
    app = _limited_app(make_app, **{name: "2 per hour", name + "_ip": LOOSE})
    url = url.format(**_ids(app))
    one, other = _logged_in(app, PHONES[who]), _logged_in(app, PHONES["council"])
    codes = [one.post(url).status_code for _ in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429
    # Someone else at the same address is not held back by her count.
    assert other.post(url).status_code != 429


@pytest.mark.parametrize("action", LIMITED_ACTIONS)
def test_each_action_is_limited_per_address_across_accounts(make_app, action):
    name, who, url = LIMITED_ACTIONS[action]
    app = _limited_app(make_app, **{name: LOOSE, name + "_ip": "2 per hour"})
    url = url.format(**_ids(app))
    first, second = _logged_in(app, PHONES[who], "10.1.1.1"), _logged_in(app, PHONES["council"], "10.1.1.1")
    elsewhere = _logged_in(app, PHONES["staff"], "10.2.2.2")
    assert [first.post(url).status_code != 429 for _ in range(2)] == [True, True]
    assert second.post(url).status_code == 429  # a second account from the same address
    assert elsewhere.post(url).status_code != 429


def test_comments_count_together_wherever_they_are_posted(make_app):
    """Comments under a need and on draft minutes draw on one "post_comment" count."""
    app = _limited_app(make_app, post_comment="2 per hour")
    client = _logged_in(app, PHONES["resident"])
    url = "/discussion/need/{need}/comments".format(**_ids(app))
    assert [client.post(url).status_code != 429 for _ in range(2)] == [True, True]
    assert client.post("/deliberations/1/minutes/versions/1/comments").status_code == 429


def test_registering_and_logging_in_are_limited_per_address(make_app):
    app = _limited_app(make_app, register_ip="2 per hour", login_ip="2 per hour", login_phone=LOOSE)
    here = app.test_client()
    assert [here.post("/auth/register", data={"phone": "1"}).status_code for _ in range(3)] == [400, 400, 429]
    tries = [here.post("/auth/login", data={"phone": f"1390000000{i}", "password": "x"}).status_code
             for i in range(3)]
    assert tries == [400, 400, 429]  # different accounts, one address
    there = app.test_client()
    there.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert there.post("/auth/register", data={"phone": "1"}).status_code == 400


def test_the_429_page_is_in_chinese_and_says_how_long_to_wait(make_app):
    app = _limited_app(make_app, post_need="1 per hour")
    client = _logged_in(app, PHONES["resident"])
    client.post("/needs/new?community=1")
    response = client.post("/needs/new?community=1")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "<title>尝试次数过多" in page and "您的操作过于频繁，请在 60 分钟后再试。" in page
    assert 3500 < int(response.headers["Retry-After"]) <= 3601


def test_an_htmx_request_over_the_limit_gets_a_message_for_the_page(make_app):
    """htmx would otherwise drop a 429 silently: the answer is the message alone, sent to the
    page's alert area, and the comment the resident typed stays in its box."""
    app = _limited_app(make_app, post_comment="1 per hour")
    client = _logged_in(app, PHONES["resident"])
    url = "/discussion/need/{need}/comments".format(**_ids(app))
    htmx = {"HX-Request": "true", "HX-Target": "comments"}
    client.post(url, data={"body": "第一条"}, headers=htmx)
    response = client.post(url, data={"body": "第二条"}, headers=htmx)
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "<html" not in body and "尝试次数过多" in body and "分钟后再试" in body
    assert re.fullmatch(r'<p class="flash error" id="error-alert">.*</p>', body.strip(), re.S)
    assert response.headers["HX-Retarget"] == "#alerts" and response.headers["HX-Reselect"] == "#error-alert"
    assert response.headers["HX-Reswap"].startswith("innerHTML")
    assert "HX-Request" in response.headers["Vary"]
    # The target exists on every page, and htmx is told to swap error answers.
    page = client.get("/needs/{need}".format(**_ids(app))).get_data(as_text=True)
    assert '<div id="alerts" aria-live="assertive"></div>' in page
    assert '{"code":"[45]..","swap":true,"error":true}' in page


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_dodge_the_limit(make_app):
    app = _limited_app(make_app, register_ip="2 per hour")
    client = app.test_client()
    codes = [client.post("/auth/register", data={"phone": "1"},
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert codes == [400, 400, 429]


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(make_app):
    app = _limited_app(make_app, PROXY_COUNT=1, register_ip="2 per hour", post_need=LOOSE, post_need_ip="2 per hour")
    proxy = app.test_client()  # every request arrives from the proxy's own address, 127.0.0.1

    def register(client_address):
        return proxy.post("/auth/register", data={"phone": "1"},
                          headers={"X-Forwarded-For": client_address}).status_code

    assert [register(f"203.0.113.{i}") for i in range(4)] == [400] * 4  # four residents
    assert [register("198.51.100.7") for _ in range(3)] == [400, 400, 429]  # one resident, thrice
    # The per-address half of a paired limit follows the forwarded address too.
    resident = _logged_in(app, PHONES["resident"], HTTP_X_FORWARDED_FOR="198.51.100.8")
    council = _logged_in(app, PHONES["council"], HTTP_X_FORWARDED_FOR="198.51.100.8")
    staff = _logged_in(app, PHONES["staff"], HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert [resident.post("/needs/new?community=1").status_code != 429 for _ in range(2)] == [True, True]
    assert council.post("/needs/new?community=1").status_code == 429
    assert staff.post("/needs/new?community=1").status_code != 429


def test_redis_is_used_when_configured(monkeypatch, tmp_path):
    for name in ("FORUM_RATELIMIT_STORAGE_URI", "FORUM_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORUM_SECRET_KEY", "x")
    assert from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("FORUM_REDIS_URL", "redis://127.0.0.1:6379/3")
    assert from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.setenv("FORUM_RATELIMIT_STORAGE_URI", "redis://10.0.0.5:6379/0")
    assert from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.5:6379/0"


def test_posting_still_works_and_is_limited_when_redis_is_down(make_app):
    """A Redis outage must not take posting down: the counts fall back to memory."""
    app = _limited_app(make_app, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0", post_need="2 per hour")
    client = _logged_in(app, PHONES["resident"])
    try:
        codes = [client.post("/needs/new?community=1", data={
            "title": f"第{i}条楼道需求", "category": "other", "urgency": "1"}).status_code for i in range(3)]
        assert codes == [303, 303, 429]
    finally:
        # One Limiter serves every app a test run builds, and it remembers a dead storage
        # across init_app(): let the next app use its own storage again.
        limiter._storage_dead = False


# A second server process: the same site, its own Flask-Limiter and connection to Redis.
WORKER = """
import json, sys
from forum import create_app
client = create_app(json.loads(sys.argv[1])).test_client()
client.post("/auth/login", data={"phone": sys.argv[2], "password": "demo-pass-2026"})
print(json.dumps([client.post(sys.argv[3]).status_code for _ in range(2)]))
"""


def test_two_server_processes_share_the_counts_through_redis(make_app):
    redis_url = redis_test_url()
    if not redis_url:
        pytest.skip("set FORUM_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to test the shared Redis storage")
    app = _limited_app(make_app, RATELIMIT_STORAGE_URI=redis_url, post_comment="3 per hour", post_comment_ip=LOOSE)
    url = "/discussion/need/{need}/comments".format(**_ids(app))
    limiter.reset()  # counts left in Redis by an earlier run
    try:
        here = _logged_in(app, PHONES["resident"])
        assert here.post(url).status_code == 400  # an empty comment: refused, but counted
        shared = {key: app.config[key] for key in (
            "TESTING", "SECRET_KEY", "SECRET_KEY_CONFIGURED", "SQLALCHEMY_DATABASE_URI", "PHOTO_STORAGE",
            "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD", "SESSION_COOKIE_SECURE", "RATELIMIT_ENABLED",
            "RATELIMIT_STORAGE_URI", "RATE_LIMITS")}
        shared["INSTANCE_PATH"] = app.instance_path
        other = subprocess.run([sys.executable, "-c", WORKER, json.dumps(shared), PHONES["resident"], url],
                               capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
        assert other.returncode == 0, other.stderr
        assert json.loads(other.stdout.splitlines()[-1]) == [400, 400]
        assert here.post(url).status_code == 429  # the fourth comment, counted over both processes
    finally:
        limiter.reset()
