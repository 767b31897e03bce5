"""Page-wide behaviour: security headers, error pages, elder mode, language, CSRF."""
import re

import pytest

from conftest import csrf_token_from
from forum.extensions import db

PUBLIC_PAGES = ["/", "/auth/login", "/auth/register", "/privacy"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_every_page(client, demo, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_no_inline_script_or_style_the_csp_would_block(client, demo, path):
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"\sstyle=", html)


def test_base_page_is_chinese_mobile_first_and_loads_no_outside_resources(client, demo):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    for landmark in ("<header", "<main", "<footer", "<nav"):
        assert landmark in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no CDN or web font"
    assert '"selfRequestsOnly":true' in html and '"allowEval":false' in html and '"allowScriptTags":false' in html
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def test_vendored_htmx_is_served_with_its_licence(client):
    assert client.get("/static/js/htmx-2.0.8.min.js").status_code == 200
    assert "Zero-Clause BSD" in client.get("/static/js/htmx-LICENSE.txt").get_data(as_text=True)


@pytest.mark.parametrize("path,code,title", [
    ("/no-such-page", 404, "页面不存在"),
    ("/communities/1/members", 403, "无权访问"),
])
def test_error_pages_are_in_chinese(client, auth, demo, path, code, title):
    auth.login(demo.resident.phone)
    response = client.get(path)
    assert response.status_code == code
    assert title in response.get_data(as_text=True)


def test_server_error_page_is_in_chinese(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert "系统出现错误，请稍后再试。" in response.get_data(as_text=True)


def test_csrf_is_required_and_its_error_is_explained_in_chinese(make_app):
    app = make_app(demo=True, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/login", data={"phone": "13900000004", "password": "demo-pass-2026"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"phone": "13900000004", "password": "demo-pass-2026",
                                                "csrf_token": token})
    assert response.status_code == 303


def test_htmx_requests_carry_the_csrf_token_in_a_header(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    assert client.post("/settings/elder", data={"elder_mode": "on"}).status_code == 400
    response = client.post("/settings/elder", data={"elder_mode": "on"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 303


def test_elder_mode_is_remembered_per_browser_when_logged_out(client, demo):
    assert 'class="elder"' not in client.get("/").get_data(as_text=True)
    client.post("/settings/elder", data={"elder_mode": "on"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN" class="elder">' in html and "长辈模式：已开启" in html


def test_elder_mode_is_remembered_per_user_across_devices(app, client, auth, demo):
    auth.login(demo.resident.phone)
    client.post("/settings/elder", data={"elder_mode": "on"})
    client.post("/auth/logout")
    db.session.expire_all()
    assert demo.resident.elder_mode is True
    other_device = app.test_client()
    other_device.post("/auth/login", data={"phone": demo.resident.phone, "password": "demo-pass-2026"})
    assert 'class="elder"' in other_device.get("/").get_data(as_text=True)
    other_device.post("/settings/elder", data={"elder_mode": "off"})
    assert 'class="elder"' not in other_device.get("/").get_data(as_text=True)


def test_language_switch_to_english_and_back(client, auth, demo):
    client.post("/settings/language", data={"lang": "en"})
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en"' in html and "Log in" in html and "登录" not in html
    client.post("/settings/language", data={"lang": "zh_CN"})
    assert "登录" in client.get("/auth/login").get_data(as_text=True)


def test_language_choice_follows_the_user(app, client, auth, demo):
    auth.login(demo.resident.phone)
    client.post("/settings/language", data={"lang": "en"})
    other_device = app.test_client()
    other_device.post("/auth/login", data={"phone": demo.resident.phone, "password": "demo-pass-2026"})
    assert "Log out" in other_device.get("/").get_data(as_text=True)


def test_home_shows_the_users_community_without_fake_content(client, auth, demo):
    auth.login(demo.resident2.phone)
    html = client.get("/").get_data(as_text=True)
    assert "<h1>翠湖社区</h1>" in html
    assert "小区南门路灯不亮" in html and "3号楼楼道灯坏了" not in html
    html = client.get(f"/?community={demo.community3.id}").get_data(as_text=True)
    assert "本社区还没有人提出需求。" in html


def test_home_shows_staff_their_tasks(client, auth, demo):
    auth.login(demo.staff.phone)
    html = client.get("/").get_data(as_text=True)
    assert "核验居民" in html and f"/communities/{demo.community.id}/members?verified=no" in html
    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    html = client.get("/").get_data(as_text=True)
    assert "工作台" not in html and "members?verified=no" not in html
