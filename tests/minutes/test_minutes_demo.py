"""The demo's concluded deliberation has published minutes and a published correction, dated in order."""
import sqlalchemy as sa

from forum.deliberations.models import Deliberation
from forum.extensions import db
from forum.minutes import services


def test_the_demo_minutes_were_commented_approved_published_and_corrected(client, demo):
    deliberation = db.session.scalar(sa.select(Deliberation).where(Deliberation.title == "环境和公共秩序专题居民议事会"))
    first, second = services.versions_of(deliberation)
    assert deliberation.status == "published"
    assert (first.status, second.status) == ("published", "published")
    assert second.corrects_id == first.id and "马志强" in second.correction_reason
    assert len(first.comments) == 2 and first.approved_by_id == demo.staff.id
    assert any(p["passed"] for p in first.poll_results)  # the 双过半 household vote, closed before revision
    steps = services.timeline(first) + services.timeline(second)
    assert [c.created_at for c in steps] == sorted(c.created_at for c in steps)
    assert first.published_at < second.created_at < second.published_at
    page = client.get(f"/deliberations/{deliberation.id}/minutes").get_data(as_text=True)
    actions = page[page.index('class="minutes-actions"'):]
    actions = actions[:actions.index("</ol>")]
    assert "马志强（青松物业）" in actions and "马志刚" not in actions
