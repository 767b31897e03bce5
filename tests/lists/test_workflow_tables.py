"""Every transition of the needs and projects workflows, for every demo role.

The expectations are written out by hand, as the community would state them, so a
change to a workflow table or to the roles shows up here as a decision to make.
"""
import pytest

from forum.core.permissions import can
from forum.lists.models import Need, Project
from forum.lists.needs import NEED
from forum.lists.projects import PROJECT

PEOPLE = ["author", "neighbour", "unit_contact", "staff", "admin", "other_community"]

# (state, action) → who may take it. "author" is 刘桂芳 who raised the need; the
# school's contact claimed it when it is claimed or in progress.
NEED_EXPECTED = {
    ("submitted", "publish"): {"staff", "admin"},
    ("submitted", "reject"): {"staff", "admin"},
    ("submitted", "withdraw"): {"author", "admin"},
    ("submitted", "merge"): {"staff", "admin"},
    ("published", "withdraw"): {"author", "admin"},
    ("published", "claim"): {"unit_contact", "staff", "admin"},
    ("published", "merge"): {"staff", "admin"},
    ("claimed", "release"): {"unit_contact", "staff", "admin"},
    ("claimed", "start"): {"unit_contact", "staff", "admin"},
    ("claimed", "resolve"): {"unit_contact", "staff", "admin"},
    ("claimed", "merge"): {"staff", "admin"},
    ("in_progress", "resolve"): {"unit_contact", "staff", "admin"},
    ("in_progress", "merge"): {"staff", "admin"},
    ("resolved", "close"): {"author", "admin"},
    ("resolved", "reopen"): {"author", "admin"},
}

# The project is led by the school; 王秀兰 (staff) is responsible.
PROJECT_EXPECTED = {
    ("planned", "start"): {"unit_contact", "staff", "admin"},
    ("planned", "cancel"): {"staff", "admin"},
    ("in_progress", "complete"): {"unit_contact", "staff", "admin"},
    ("in_progress", "cancel"): {"staff", "admin"},
    ("completed", "evaluate"): {"staff", "admin"},
}


@pytest.fixture
def people(demo):
    return {"author": demo.resident, "neighbour": demo.council, "unit_contact": demo.unit_contact,
            "staff": demo.staff, "admin": demo.admin, "other_community": demo.resident2}


def test_the_tables_cover_every_declared_transition():
    assert set(NEED_EXPECTED) == set(NEED.transitions)
    assert set(PROJECT_EXPECTED) == set(PROJECT.transitions)


@pytest.mark.parametrize("state,action", sorted(NEED_EXPECTED))
def test_need_transition_permissions(demo, people, state, action):
    claimed = state in ("claimed", "in_progress")
    need = Need(community=demo.community, author_id=demo.resident.id, status=state, title="x",
                category="other", claimed_unit=demo.school if claimed else None,
                claimed_by_id=demo.unit_contact.id if claimed else None)
    allowed = {who for who in PEOPLE if can(people[who], f"need:{action}", need)}
    assert allowed == NEED_EXPECTED[(state, action)]


@pytest.mark.parametrize("state,action", sorted(PROJECT_EXPECTED))
def test_project_transition_permissions(demo, people, state, action):
    project = Project(community=demo.community, lead_unit=demo.school, responsible_id=demo.staff.id,
                      created_by_id=demo.staff.id, status=state, title="x")
    allowed = {who for who in PEOPLE if can(people[who], f"project:{action}", project)}
    assert allowed == PROJECT_EXPECTED[(state, action)]
