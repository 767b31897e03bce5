"""The word-list pages (/moderation/words): who keeps which list, adding, filtering, removing,
the audit trail, and the matcher cache that follows the lists' versions."""
import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.core.permissions import can
from forum.extensions import db
from forum.moderation.words import services
from forum.moderation.words.models import SensitiveWord, WordList


def listed(community=None) -> dict[str, str]:
    found = services.word_list(community)
    return {w.word: w.action for w in found.words} if found else {}


@pytest.mark.parametrize("role, status", [
    ("admin", 200), ("staff", 200), ("council", 403), ("unit_contact", 403), ("resident", 403), ("unverified", 403),
])
def test_only_admins_and_staff_open_the_word_lists(client, auth, demo, role, status):
    auth.login(getattr(demo, role).phone)
    assert client.get("/moderation/words").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    response = client.get("/moderation/words")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admins_see_the_site_wide_list_first_and_every_community_list(client, auth, demo):
    auth.login(demo.admin.phone)
    page = client.get("/moderation/words").get_data(as_text=True)
    assert "敏感词" in page and "全站词库" in page and "代开发票" in page and "先审后发" in page
    assert client.get(f"/moderation/words?community={demo.community2.id}").status_code == 200


def test_staff_keep_their_own_community_list_only(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get("/moderation/words").get_data(as_text=True)
    assert "青松社区" in page and "加微信赚钱" not in page  # their community's list, not the site-wide one
    assert client.get(f"/moderation/words?community={demo.community2.id}").status_code == 403
    assert not can(demo.staff, "manage_sensitive_words", None)
    assert can(demo.staff, "manage_sensitive_words", demo.community)
    assert not can(demo.council, "manage_sensitive_words", demo.community)


def test_staff_add_several_words_at_once_one_per_line(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post(f"/moderation/words?community={demo.community.id}",
                           data={"words": "电梯广告\n\n  上门开锁  \n電梯廣告\n", "action": "hold"})
    assert response.status_code == 303
    assert listed(demo.community) == {"电梯广告": "hold", "上门开锁": "hold"}  # 電梯廣告 is the same word
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "添加了 2 个词" in page and "上门开锁" in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "words.add"))
    assert entry.actor_id == demo.staff.id and entry.community_id == demo.community.id
    assert "电梯广告" in entry.detail and "上门开锁" in entry.detail


def test_adding_a_listed_word_again_changes_its_action(client, auth, demo):
    auth.login(demo.admin.phone)
    client.post("/moderation/words", data={"words": "赌博\n六合彩", "action": "mask"})
    assert listed()["赌博"] == "mask" and listed()["六合彩"] == "mask"
    assert db.session.scalar(sa.select(AuditEntry.detail).where(AuditEntry.action == "words.change")) == "mask: 赌博"


@pytest.mark.parametrize("typed, error", [
    ("赌", "至少要有 2 个"),  # one character would catch ordinary text
    ("* * *", "至少要有 2 个"),  # fillers only
    ("长" * 41, "太长"),
    ("㍿" * 40, "太长"),  # 40 characters, but 160 once normalised (株式会社 each)
    ("", "请至少写一个词"),
])
def test_bad_words_get_a_chinese_error_and_keep_what_was_typed(client, auth, demo, typed, error):
    auth.login(demo.staff.phone)
    response = client.post(f"/moderation/words?community={demo.community.id}",
                           data={"words": f"电梯广告\n{typed}", "action": "hold"} if typed else {"action": "hold"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and error in page
    if typed:
        assert "电梯广告" in page
    assert listed(demo.community) == {}


def test_the_list_filters_by_words_and_action(client, auth, demo):
    auth.login(demo.admin.phone)
    page = client.get("/moderation/words?q=發票&action=hold").get_data(as_text=True)
    assert "代开发票" in page and "加微信赚钱" not in page and "1 个词" in page
    page = client.get("/moderation/words?action=mask", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "傻逼" in page and "代开发票" not in page and "<html" not in page


def test_staff_remove_a_word_of_their_list_but_not_of_the_site_wide_one(client, auth, demo):
    services.add_words(demo.staff, demo.community, "电梯广告", "hold")
    word = db.session.scalar(sa.select(SensitiveWord).where(SensitiveWord.word == "电梯广告"))
    global_word = db.session.scalar(sa.select(SensitiveWord).where(SensitiveWord.word == "赌博"))
    auth.login(demo.staff.phone)
    assert client.post(f"/moderation/words/{global_word.id}/delete").status_code == 403
    response = client.post(f"/moderation/words/{word.id}/delete")
    assert response.status_code == 303 and f"community={demo.community.id}" in response.headers["Location"]
    assert "已从词库中删除" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert listed(demo.community) == {} and "赌博" in listed()
    assert db.session.scalar(sa.select(AuditEntry.detail).where(AuditEntry.action == "words.remove")) == "hold: 电梯广告"


def test_the_matcher_is_built_once_per_version_of_the_lists(app, demo):
    first = services.matcher_for(demo.community.id)
    assert services.matcher_for(demo.community.id) is first  # cached: no rebuild per post
    assert services.screen(demo.community.id, "电梯广告").action == "pass"
    services.add_words(demo.staff, demo.community, "电梯广告", "hold")
    assert services.screen(demo.community.id, "电梯 廣告").action == "hold"  # the change counts at once
    assert services.matcher_for(demo.community.id) is not first
    version = services.word_list(demo.community).version
    services.remove_word(demo.staff, services.word_list(demo.community).words[0])
    assert services.word_list(demo.community).version == version + 1
    assert services.screen(demo.community.id, "电梯广告").action == "pass"


def test_a_word_list_change_in_another_process_is_seen(app, demo):
    """Another server process changes a list: its version in the database is all this one needs."""
    services.screen(demo.community.id, "x")
    target = services.word_list(None)
    list_id, created_at = target.id, target.created_at
    db.session.rollback()
    with db.engine.begin() as conn:
        conn.execute(sa.insert(SensitiveWord).values(list_id=list_id, word="刷单返利", normalised="刷单返利",
                                                     action="hold", created_at=created_at))
        conn.execute(sa.update(WordList).where(WordList.id == list_id).values(version=WordList.version + 1))
    assert services.screen(demo.community.id, "刷单 返利").action == "hold"


def test_staff_switch_the_premoderation_of_new_users(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get("/moderation/words").get_data(as_text=True)
    assert "新用户发布的内容先审后发" in page
    response = client.post(f"/moderation/words/settings/{demo.community.id}", data={"premoderate_new_users": "y"})
    assert response.status_code == 303 and demo.community.premoderate_new_users
    assert db.session.scalar(sa.select(AuditEntry.detail).where(
        AuditEntry.action == "community.premoderate_new_users")) == "on"
    assert client.post(f"/moderation/words/settings/{demo.community2.id}",
                       data={"premoderate_new_users": "y"}).status_code == 403
    client.post(f"/moderation/words/settings/{demo.community.id}", data={})
    assert not demo.community.premoderate_new_users
