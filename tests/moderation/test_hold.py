"""hold(): the content services keep a post from everyone but its author until a moderator publishes it."""
import sqlalchemy as sa

from forum.discussion import services as discussion
from forum.extensions import db
from forum.lists.models import Need
from forum.moderation import services
from forum.moderation.models import ModerationAction, ModerationCase


def _need(demo, title="楼道灯坏了"):
    need = Need(community=demo.community, author_id=demo.resident.id, title=title, body="3号楼楼道灯坏了，晚上看不见",
                category="facilities", status="published")
    return need


def test_hold_marks_a_new_post_held_and_opens_a_case_with_the_words(app, demo):
    need = _need(demo)
    services.hold(need, reason="sensitive_words", words=["看不见", "看不见"], actor=demo.resident)
    db.session.commit()
    case = db.session.scalar(sa.select(ModerationCase).where(ModerationCase.kind == "need",
                                                             ModerationCase.item_id == need.id))
    assert need.moderation_state == "held"
    assert case.is_open and case.cause == "sensitive_words" and case.matched_words == ["看不见"]
    assert case.community_id == demo.community.id and case.author_id == demo.resident.id
    assert db.session.scalar(sa.select(ModerationAction.action).where(ModerationAction.item_id == need.id)) == "hold"


def test_holding_an_edit_again_adds_words_to_the_open_case(app, demo):
    need = _need(demo)
    services.hold(need, reason="new_user", actor=demo.resident)
    services.hold(need, reason="sensitive_words", words=["灯"])
    db.session.commit()
    case = services.case_of(need)
    assert case.cause == "sensitive_words" and case.matched_words == ["灯"]
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id)).where(ModerationCase.kind == "need",
                                                                                ModerationCase.item_id == need.id)) == 1


def test_a_held_comment_is_seen_by_its_author_and_moderators_only(app, demo):
    need = db.session.scalar(sa.select(Need).where(Need.status == "published", Need.community_id == demo.community.id))
    comment = discussion.post_comment(demo.resident, need, "一个评论")
    services.hold(comment, reason="sensitive_words", words=["评论"])
    db.session.commit()
    from forum.core.permissions import can

    assert can(demo.resident, "view_comment", comment)
    assert can(demo.council, "view_comment", comment) and can(demo.staff, "view_comment", comment)
    assert not can(demo.resident2, "view_comment", comment)
    assert not can(demo.unit_contact, "view_comment", comment)
