"""Registering into a community at /auth/register."""
import sqlalchemy as sa

from forum.accounts.models import Membership, User
from forum.extensions import db


def form(demo, **changes):
    data = {
        "phone": "13812345678", "display_name": "周阿姨", "password": "青松社区 2026 好",
        "confirm": "青松社区 2026 好", "community": demo.community.id,
        "compound": demo.community.compounds[1].id, "consent": "y",
    }
    data.update(changes)
    return data


def test_a_resident_registers_into_a_community_and_is_logged_in(client, demo):
    response = client.post("/auth/register", data=form(demo))
    assert response.status_code == 303
    user = db.session.scalar(sa.select(User).where(User.phone == "13812345678"))
    membership = user.memberships[0]
    assert membership.community_id == demo.community.id
    assert membership.compound_id == demo.community.compounds[1].id
    assert not membership.is_verified
    assert user.consent_version == "2026-11" and user.consent_at is not None
    assert user.password_hash != "青松社区 2026 好"
    page = client.get("/profile").get_data(as_text=True)
    assert "周阿姨" in page and "尚未核验" in page


def test_phone_written_with_country_code_and_spaces_is_accepted(client, demo):
    client.post("/auth/register", data=form(demo, phone="+86 138-1234-5678"))
    assert db.session.scalar(sa.select(User.phone).where(User.display_name == "周阿姨")) == "13812345678"


def test_errors_are_in_chinese_and_keep_what_was_typed(client, demo):
    response = client.post("/auth/register", data=form(demo, phone="1234", consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请输入 11 位中国大陆手机号。" in page
    assert "请阅读并同意隐私政策。" in page
    assert 'value="周阿姨"' in page and 'value="1234"' in page
    assert f'<option selected value="{demo.community.id}">' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.display_name == "周阿姨")) == 0


def test_common_short_or_mismatched_passwords_are_refused(client, demo):
    cases = {
        "12345678": "这个密码太常见",
        "abc": "密码至少需要 8 个字符",
        "woaini1314": "这个密码太常见",
        "x13812345678": "密码不能包含您的手机号",
    }
    for password, message in cases.items():
        page = client.post("/auth/register", data=form(demo, password=password, confirm=password)).get_data(as_text=True)
        assert message in page, password
    page = client.post("/auth/register", data=form(demo, confirm="something-else-2026")).get_data(as_text=True)
    assert "两次输入的密码不一致。" in page


def test_a_registered_phone_cannot_register_again(client, demo):
    response = client.post("/auth/register", data=form(demo, phone=demo.resident.phone))
    assert response.status_code == 400
    assert "该手机号已注册，请直接登录。" in response.get_data(as_text=True)


def test_a_compound_of_another_community_is_refused(client, demo):
    other = demo.community2.compounds[0]
    before = db.session.scalar(sa.select(sa.func.count(Membership.id)))
    response = client.post("/auth/register", data=form(demo, compound=other.id))
    assert response.status_code == 400
    assert "该小区不属于所选社区。" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == before


def test_the_compound_is_optional(client, demo):
    assert client.post("/auth/register", data=form(demo, compound="")).status_code == 303


def test_register_link_can_preselect_a_community(client, demo):
    page = client.get(f"/auth/register?community={demo.community2.id}").get_data(as_text=True)
    assert f'<option selected value="{demo.community2.id}">' in page
