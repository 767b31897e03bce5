"""The declared-workflow helper: transitions, allowed roles, and the timeline."""
from types import SimpleNamespace

import pytest
from werkzeug.exceptions import Forbidden

from forum.core.workflow import StatusChange, TransitionNotAllowed, Workflow, declare
from forum.extensions import db

# A small workflow of the shape the lists will use; `community` scopes the roles.
REQUESTS = declare("test_request", "submitted", {
    ("submitted", "publish"): ("published", {"staff"}),
    ("submitted", "reject"): ("rejected", {"staff"}, True),
    ("submitted", "withdraw"): ("withdrawn", {"author"}),
    ("published", "claim"): ("claimed", {"unit_contact", "staff"}),
})


def item(community, author=None, status="submitted", id=1):
    return SimpleNamespace(id=id, status=status, community=community,
                           author_id=author.id if author else None)


def test_states_and_actions_are_read_from_the_table():
    assert REQUESTS.states == {"submitted", "published", "rejected", "withdrawn", "claimed"}
    assert sorted(REQUESTS.actions_from("submitted")) == ["publish", "reject", "withdraw"]
    assert REQUESTS.actions_from("claimed") == []


def test_an_undeclared_action_is_refused_whoever_asks(app, demo):
    thing = item(demo.community, status="published")
    with pytest.raises(TransitionNotAllowed):
        REQUESTS.apply(db.session, thing, "publish", demo.admin)
    assert thing.status == "published"


def test_staff_publish_and_the_change_is_on_the_timeline(app, demo):
    thing = item(demo.community)
    REQUESTS.apply(db.session, thing, "publish", demo.staff, note="内容属实")
    db.session.commit()
    assert thing.status == "published"
    [change] = REQUESTS.timeline(db.session, thing)
    assert (change.from_state, change.to_state, change.action) == ("submitted", "published", "publish")
    assert change.actor_id == demo.staff.id and change.note == "内容属实"
    assert change.created_at.tzinfo is not None


def test_a_resident_cannot_take_a_staff_action(app, demo):
    thing = item(demo.community)
    with pytest.raises(Forbidden):
        REQUESTS.apply(db.session, thing, "publish", demo.resident)
    assert thing.status == "submitted"
    assert db.session.query(StatusChange).filter_by(subject_type="test_request").count() == 0


def test_staff_of_another_community_cannot_act_here(app, demo, make_user):
    other_staff = make_user(demo.community2, roles=["staff"])
    with pytest.raises(Forbidden):
        REQUESTS.apply(db.session, item(demo.community), "publish", other_staff)


def test_only_the_author_may_withdraw(app, demo):
    thing = item(demo.community, author=demo.resident)
    with pytest.raises(Forbidden):
        REQUESTS.apply(db.session, thing, "withdraw", demo.resident2)
    REQUESTS.apply(db.session, thing, "withdraw", demo.resident)
    assert thing.status == "withdrawn"


def test_a_unit_contact_may_claim_in_a_community_the_unit_serves(app, demo):
    thing = item(demo.community, status="published")
    REQUESTS.apply(db.session, thing, "claim", demo.unit_contact)
    assert thing.status == "claimed"
    # The school serves 青松 and 翠湖, not 光明里.
    with pytest.raises(Forbidden):
        REQUESTS.apply(db.session, item(demo.community3, status="published", id=2), "claim", demo.unit_contact)


def test_a_rejection_needs_a_reason(app, demo):
    thing = item(demo.community)
    with pytest.raises(ValueError):
        REQUESTS.apply(db.session, thing, "reject", demo.staff, note="  ")
    REQUESTS.apply(db.session, thing, "reject", demo.staff, note="重复提交")
    assert thing.status == "rejected"


def test_start_records_the_initial_state(app, demo):
    thing = item(demo.community, status=None, id=7)
    REQUESTS.start(db.session, thing, demo.resident)
    db.session.commit()
    assert thing.status == "submitted"
    assert [c.action for c in REQUESTS.timeline(db.session, thing)] == ["create"]


def test_timeline_lists_every_step_in_order(app, demo):
    thing = item(demo.community, id=3)
    REQUESTS.apply(db.session, thing, "publish", demo.staff)
    REQUESTS.apply(db.session, thing, "claim", demo.unit_contact)
    db.session.commit()
    assert [(c.from_state, c.to_state) for c in REQUESTS.timeline(db.session, thing)] == [
        ("submitted", "published"), ("published", "claimed"),
    ]


def test_workflow_without_registry_entry_keeps_its_own_table():
    local = Workflow("local", "a", {("a", "go"): ("b", {"staff"})})
    assert local.transition("a", "go").to_state == "b"
    with pytest.raises(TransitionNotAllowed):
        local.transition("b", "go")
