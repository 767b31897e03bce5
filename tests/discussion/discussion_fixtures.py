"""Fixtures of the discussion tests: from discussion_fixtures import fresh_need."""
import pytest


@pytest.fixture
def fresh_need(demo):
    """A published need with no discussion yet."""
    from forum.lists import needs

    made = needs.create_need(demo.resident, demo.community, {
        "title": "小区门口井盖松动", "body": "", "category": "facilities", "urgency": 1, "compound": None,
        "location": None, "anonymous": False}, [])
    needs.take_step(demo.staff, made, "publish")
    return made
