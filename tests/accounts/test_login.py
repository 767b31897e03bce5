"""Logging in and out, server-side revocation, and the rate limit on failures."""
import re

from forum.extensions import db


def test_log_in_with_phone_and_password(client, auth, demo):
    response = auth.login(demo.resident.phone)
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "刘桂芳" in page and "青松社区" in page


def test_wrong_password_says_so_in_chinese_and_keeps_the_phone(client, auth, demo):
    response = auth.login(demo.resident.phone, "wrong-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "手机号或密码不正确。" in page
    assert f'value="{demo.resident.phone}"' in page


def test_unknown_phone_gets_the_same_message(auth, demo):
    page = auth.login("13700009999", "whatever-123").get_data(as_text=True)
    assert "手机号或密码不正确。" in page


def test_login_starts_a_new_session(client, auth, demo):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["elder_mode"] = True
    auth.login(demo.resident.phone)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["elder_mode"] is True


def test_logout_revokes_the_session_on_the_server(app, client, auth, demo):
    auth.login(demo.resident.phone)
    stolen = client.get_cookie("session").value
    assert auth.logout().status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_remember_cookie_is_httponly_samesite_and_revoked_at_logout(make_app, demo_factory=None):
    app = make_app(demo=True, REMEMBER_COOKIE_SECURE=True, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post("https://localhost/auth/login",
                           data={"phone": "13900000004", "password": "demo-pass-2026", "remember": "y"})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    remember = re.match(r"remember_token=([^;]+)", cookie).group(1)
    client.post("https://localhost/auth/logout")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember, secure=True)
    assert fresh.get("https://localhost/profile").status_code == 302


def test_next_parameter_only_leads_within_the_site(client, auth, demo):
    response = auth.login(demo.resident.phone, next="https://evil.example/")
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = auth.login(demo.resident.phone, next="/profile")
    assert response.headers["Location"] == "/profile"


def test_failed_logins_are_rate_limited_with_a_chinese_page(make_app):
    app = make_app(demo=True, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/auth/login", data={"phone": "13900000004", "password": f"bad-{i}"}).status_code
                for i in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429
    page = client.post("/auth/login", data={"phone": "13900000004", "password": "demo-pass-2026"})
    assert page.status_code == 429
    assert "尝试次数过多" in page.get_data(as_text=True)
    # Another phone from the same address is not yet blocked: the per-phone limit bit first.
    other = client.post("/auth/login", data={"phone": "13900000006", "password": "demo-pass-2026"})
    assert other.status_code == 303


def test_successful_logins_do_not_count_toward_the_limit(make_app):
    app = make_app(demo=True, RATELIMIT_ENABLED=True)
    client = app.test_client()
    for _ in range(8):
        assert client.post("/auth/login", data={"phone": "13900000004", "password": "demo-pass-2026"}).status_code == 303
        client.post("/auth/logout")


def test_registration_is_rate_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMITS={
        "login_ip": "20 per minute", "login_phone": "5 per minute",
        "register_ip": "3 per hour", "password_change": "10 per hour"})
    client = app.test_client()
    codes = [client.post("/auth/register", data={"phone": "1"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_password_change_logs_out_other_devices(app, client, auth, demo):
    auth.login(demo.resident.phone)
    other_device = app.test_client()
    other_device.post("/auth/login", data={"phone": demo.resident.phone, "password": "demo-pass-2026"})
    response = client.post("/profile/password", data={
        "current": "demo-pass-2026", "password": "新的密码 青松 2026", "confirm": "新的密码 青松 2026"})
    assert response.status_code == 303
    assert client.get("/profile").status_code == 200
    assert other_device.get("/profile").status_code == 302
    db.session.expire_all()
    client.post("/auth/logout")
    assert auth.login(demo.resident.phone, "新的密码 青松 2026").status_code == 303


def test_wrong_current_password_keeps_the_old_one(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post("/profile/password", data={
        "current": "not-it", "password": "新的密码 青松 2026", "confirm": "新的密码 青松 2026"})
    assert response.status_code == 400
    assert "当前密码不正确。" in response.get_data(as_text=True)


def test_rate_limits_are_shared_between_server_processes_through_redis(make_app):
    """With several workers the memory store would count per worker; Redis counts once."""
    import pytest
    from conftest import redis_test_url

    url = redis_test_url()
    if not url:
        pytest.skip("set FORUM_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to test Redis storage")
    import redis

    from forum.extensions import limiter

    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": url}
    worker_a, worker_b = make_app(demo=True, **settings), make_app(demo=True, **settings)
    limiter.reset()  # counts left in Redis by an earlier run of this test
    statuses = []
    for i in range(6):
        worker = worker_a if i % 2 == 0 else worker_b
        statuses.append(worker.test_client().post(
            "/auth/login", data={"phone": "13900000004", "password": f"bad-{i}"}).status_code)
    assert statuses == [400] * 5 + [429]
    assert redis.Redis.from_url(url).keys("LIMITS*phone:13900000004*"), "the counts are not in Redis"
    limiter.reset()
