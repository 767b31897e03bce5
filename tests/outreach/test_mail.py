"""E-mail notifications, against a real SMTP server (aiosmtpd) on 127.0.0.1."""
import email
import email.policy
import logging
import socket

import pytest
import sqlalchemy as sa

from forum.extensions import db

BASE = "https://yishiting.example.cn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps each message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp_server):
    app = make_app(demo=True, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_TLS="none",
                   SMTP_FROM="议事厅 <noreply@yishiting.example.cn>", BASE_URL=BASE)
    with app.app_context():
        yield app


def _user(phone):
    from forum.accounts.models import User

    return db.session.scalar(sa.select(User).where(User.phone == phone))


def _login(client, phone):
    assert client.post("/auth/login", data={"phone": phone, "password": "demo-pass-2026"}).status_code == 303


def _need():
    from forum.lists.models import Need

    return db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))


def _post_as_a_server_would(client, url):
    """POST, then end the request's transaction and close the response, as a WSGI server does
    (the tests' shared app context would otherwise keep the request's session open)."""
    response = client.post(url, data={})
    db.session.commit()
    response.close()  # immediate mails go out now, after the response
    return response


def _parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_an_immediate_mail_goes_out_after_the_step_with_an_unsubscribe_link(mail_app, smtp_server):
    client = mail_app.test_client()
    _login(client, "13900000004")  # 刘桂芳, the need's author
    response = client.post("/notifications/email/", data={"address": "liu@example.cn", "frequency": "immediate"})
    assert response.status_code == 303
    client.post("/auth/logout")
    _login(client, "13900000001")  # staff claim her need
    need = _need()
    response = _post_as_a_server_would(client, f"/needs/{need.id}/steps/claim")
    assert response.status_code == 303
    [message] = smtp_server.messages
    assert message["To"] == "liu@example.cn"
    assert message["Subject"] == f"议事厅：需求“{need.title}”的状态：已认领"
    text, html = _parts(message)
    assert f"{BASE}/needs/{need.id}" in text and f'href="{BASE}/needs/{need.id}"' in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{BASE}/notifications/email/unsubscribe/") and unsubscribe in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe.removeprefix(BASE)
    anonymous = mail_app.test_client()
    assert "停止发送" in anonymous.get(path).get_data(as_text=True)
    assert "不会再" in anonymous.post(path).get_data(as_text=True)
    settings = _settings_of("13900000004")
    assert settings.frequency == "none"


def _settings_of(phone):
    from forum.notifications.models import EmailSettings

    db.session.expire_all()
    return db.session.get(EmailSettings, _user(phone).id)


def test_a_failing_mail_server_breaks_nothing(make_app, demo_free_port, caplog):
    app = make_app(demo=True, SMTP_HOST="127.0.0.1", SMTP_PORT=demo_free_port, SMTP_TLS="none", BASE_URL=BASE)
    with app.app_context():
        from forum.notifications.mail import save_settings

        save_settings(_user("13900000004"), "liu@example.cn", "immediate")
        client = app.test_client()
        _login(client, "13900000001")
        with caplog.at_level(logging.ERROR):
            response = _post_as_a_server_would(client, f"/needs/{_need().id}/steps/claim")
        assert response.status_code == 303
        assert _need().status == "claimed"
        assert "mail: sending 3 notification(s) failed" in caplog.text  # to the author and two supporters


@pytest.fixture
def demo_free_port():
    return _free_port()  # nothing listens there


def test_the_daily_digest_sends_each_reader_what_is_new_once(mail_app, smtp_server):
    from forum.core.i18n import N_
    from forum.notifications.mail import save_settings
    from forum.notifications.services import notify

    resident, neighbour = _user("13900000004"), _user("13900000006")
    save_settings(resident, "liu@example.cn", "daily")
    save_settings(neighbour, "huang@example.cn", "daily")  # nothing new for her: no mail
    notify([resident], N_("“%(title)s”, which you follow, is now: %(status_label)s"), "/needs/1",
           title="楼道灯", status_label=N_("Claimed"))
    notify([resident], N_("%(name)s commented on “%(title)s”, which you follow"), "/proposals/2",
           name="王秀兰", title="加装电梯")
    db.session.commit()
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["forum", "notifications", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) sent, 0 failed." in result.output
    [message] = smtp_server.messages
    assert message["To"] == "liu@example.cn" and message["Subject"] == "议事厅：今天有 2 条新通知"
    text, html = _parts(message)
    assert "您关注的“楼道灯”现在：已认领" in text and "王秀兰 评论了您关注的“加装电梯”" in html
    assert f"{BASE}/proposals/2" in text
    assert "0 digest(s) sent" in runner.invoke(args=["forum", "notifications", "digest"]).output
    assert len(smtp_server.messages) == 1


def test_the_digest_command_needs_the_site_address(make_app, demo_free_port):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=demo_free_port, SMTP_TLS="none")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["forum", "notifications", "digest"])
    assert result.exit_code != 0 and "FORUM_BASE_URL" in result.output


def test_one_click_unsubscribe_from_a_mail_program(mail_app, smtp_server):
    from forum.notifications.mail import save_settings

    settings = save_settings(_user("13900000004"), "liu@example.cn", "daily")
    response = mail_app.test_client().post(f"/notifications/email/unsubscribe/{settings.token}",
                                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert _settings_of("13900000004").frequency == "none"
    assert mail_app.test_client().get("/notifications/email/unsubscribe/not-a-token").status_code == 404


def test_a_wrong_address_is_refused_in_chinese_and_kept_in_the_form(mail_app):
    client = mail_app.test_client()
    _login(client, "13900000004")
    response = client.post("/notifications/email/", data={"address": "liu@example", "frequency": "daily"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写正确的电子邮箱地址" in html and 'value="liu@example"' in html
    response = client.post("/notifications/email/", data={"address": "", "frequency": "immediate"})
    assert response.status_code == 400 and "请填写您的电子邮箱" in response.get_data(as_text=True)
