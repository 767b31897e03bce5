"""Published minutes never change: not through any route of the site, not through the ORM, not in SQL."""
import pytest
import sqlalchemy as sa
from minutes_factory import concluded_deliberation, form_data, published, to_revised

from forum.core.workflow import REGISTRY
from forum.extensions import db
from forum.minutes.models import MinutesArePublished, MinutesComment, MinutesVersion


@pytest.fixture
def people(make_user):
    people = concluded_deliberation(make_user)
    people.version = published(people, people.staff)
    return people


def stored(version_id: int):
    """The version's row and its comments' rows exactly as the database holds them."""
    db.session.rollback()
    row = db.session.execute(sa.text("SELECT * FROM minutes_version WHERE id = :id"), {"id": version_id}).one()
    comments = db.session.execute(sa.text("SELECT * FROM minutes_comment WHERE version_id = :id ORDER BY id"),
                                  {"id": version_id}).all()
    db.session.rollback()
    return tuple(row), [tuple(c) for c in comments]


ACTIONS = sorted({action for workflow in REGISTRY.values() for (_, action) in workflow.transitions} | {"x"})
POSTED = {**form_data(summary="改掉已发布的纪要", recorder="冒名"), "note": "改", "reason": "改", "body": "改"}


def _urls(app, people):
    """Every POST route of the site, aimed at the published minutes' deliberation and version."""
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {"deliberation_id": people.deliberation.id, "number": people.version.number}
        variants = [{}]
        for argument in rule.arguments - values.keys():
            converter = rule._converters[argument]
            if type(converter).__name__ == "IntegerConverter":
                values[argument] = people.version.id
            else:  # a workflow step, or one of the words an `any(...)` rule allows
                choices = sorted(converter.items) if hasattr(converter, "items") else ACTIONS
                variants = [{**v, argument: action} for v in variants for action in choices]
        for variant in variants:
            yield rule.endpoint, app.url_map.bind("localhost").build(
                rule.endpoint, {**values, **variant}, append_unknown=False)


@pytest.mark.parametrize("who", ["moderator", "second_moderator", "staff", "admin", "attendee"])
def test_no_post_route_changes_published_minutes(app, client, auth, people, who):
    before = stored(people.version.id)
    tried = set()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # another feature's 500 on odd input is not our question here
    for endpoint, url in _urls(app, people):
        auth.login(getattr(people, who).phone)
        client.post(url, data=POSTED)
        db.session.rollback()
        assert stored(people.version.id) == before, f"{endpoint} ({url}) changed the published minutes"
        tried.add(endpoint)
    assert {e for e in tried if e.startswith("minutes.")} >= {"minutes.update", "minutes.step", "minutes.comment",
                                                             "minutes.create", "minutes.correct"}
    assert len(tried) > 40
    if who == "moderator":  # the walk really acts: the correction route started version 2 from version 1
        corrections = db.session.scalars(sa.select(MinutesVersion).where(MinutesVersion.corrects_id == people.version.id))
        assert [v.number for v in corrections] == [2]


def test_the_orm_refuses_to_change_or_delete_published_minutes(people):
    version = people.version
    version.summary = "悄悄改掉"
    with pytest.raises(MinutesArePublished):
        db.session.commit()
    db.session.rollback()
    version.status = "draft"
    with pytest.raises(MinutesArePublished):
        db.session.commit()
    db.session.rollback()
    db.session.delete(version)
    with pytest.raises(MinutesArePublished):
        db.session.commit()
    db.session.rollback()
    db.session.add(MinutesComment(version_id=version.id, author_id=people.attendee.id, body="晚了", body_html="晚了"))
    with pytest.raises(MinutesArePublished):
        db.session.commit()
    db.session.rollback()
    db.session.expire_all()
    assert version.summary != "悄悄改掉" and version.status == "published" and version.comments != []


@pytest.mark.parametrize("statement", [
    "UPDATE minutes_version SET summary = 'rewritten'",
    "DELETE FROM minutes_version",
    "UPDATE minutes_comment SET body = 'rewritten'",
    "DELETE FROM minutes_comment",
])
def test_the_database_refuses_to_rewrite_published_minutes(people, statement):
    before = stored(people.version.id)
    assert before[1], "the published minutes have a comment to protect"
    with pytest.raises(sa.exc.DatabaseError, match="published minutes cannot be changed"), \
            db.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert stored(people.version.id) == before


def test_minutes_not_yet_published_can_still_be_changed(make_user):
    people = concluded_deliberation(make_user)
    version = to_revised(people)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE minutes_version SET recorder = '周明'")
    db.session.expire_all()
    assert version.recorder == "周明"
