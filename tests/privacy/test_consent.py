"""Consent to the privacy notice: shown on the profile, asked again when the notice changes."""
import pytest

from forum.extensions import db

NEW_VERSION = "2027-03"


@pytest.fixture
def bumped(make_app):
    """The demo site after the notice moved to a new version: every demo account accepted the old one."""
    app = make_app(demo=True, PRIVACY_NOTICE_VERSION=NEW_VERSION)
    with app.app_context():
        yield app


def _login(client, phone="13900000004"):
    return client.post("/auth/login", data={"phone": phone, "password": "demo-pass-2026"})


def test_the_profile_shows_the_consent_given_at_registration(client, demo):
    client.post("/auth/register", data={
        "phone": "13712345678", "display_name": "新邻居", "password": "青松苑新邻居 2026",
        "confirm": "青松苑新邻居 2026", "community": demo.community.id, "consent": "y"})
    page = client.get("/profile").get_data(as_text=True)
    assert "已同意隐私政策" in page and "2026-11 · " in page


def test_the_notice_says_what_is_kept_why_who_sees_it_how_long_and_the_rights(client):
    page = client.get("/privacy").get_data(as_text=True)
    for words in ("手机号", "住户核验信息", "投票", "为什么收集", "谁能看到什么", "保存多久", "个人信息保护法",
                  "查阅、复制", "更正", "删除", "社区居委会"):
        assert words in page, words


def test_a_new_notice_version_is_asked_for_on_every_page(bumped):
    client = bumped.test_client()
    _login(client)
    response = client.get("/needs/?community=1")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/privacy/consent?next=/needs/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "隐私政策已更新（版本 2027-03）" in page and 'name="accept"' in page
    # The notice itself, logging out and the site's files stay reachable.
    assert client.get("/privacy").status_code == 200
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/privacy/delete").status_code == 200


def test_an_htmx_request_is_sent_to_the_consent_page_by_header(bumped):
    client = bumped.test_client()
    _login(client)
    response = client.get("/needs/?community=1", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/privacy/consent")


def test_accepting_records_the_version_and_time_and_goes_back(bumped):
    from forum.accounts.models import User

    client = bumped.test_client()
    _login(client)
    refused = client.post("/privacy/consent", data={"next": "/needs/"})
    assert refused.status_code == 400 and "请勾选以同意隐私政策" in refused.get_data(as_text=True)
    response = client.post("/privacy/consent", data={"accept": "y", "next": "/needs/?community=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/needs/?community=1"
    user = db.session.scalar(db.select(User).where(User.phone == "13900000004"))
    assert user.consent_version == NEW_VERSION and user.consent_at is not None
    assert client.get("/needs/?community=1").status_code == 200
    assert f"{NEW_VERSION} · " in client.get("/profile").get_data(as_text=True)


def test_consent_never_sends_anyone_off_the_site(bumped):
    client = bumped.test_client()
    _login(client)
    response = client.post("/privacy/consent", data={"accept": "y", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_visitors_and_up_to_date_users_are_not_asked(client, auth, demo):
    assert client.get("/needs/").status_code == 200
    auth.login(demo.resident.phone)
    assert client.get("/needs/").status_code == 200
    assert client.get("/privacy/consent").status_code == 200  # still shown when asked for
