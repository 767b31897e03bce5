"""Posters and QR sheets for notice boards: the code opens the right page, at the site's public address."""
import re

import sqlalchemy as sa

from forum.extensions import db
from forum.outreach.qr import qr_svg


def _code(html: str) -> str:
    """The QR code's path: the same path means the same encoded text."""
    return re.search(r'<svg class="qr".*?<path d="([^"]+)"', html, re.S).group(1)


def test_the_poster_opens_registration_in_its_community(make_app):
    app = make_app(demo=True, BASE_URL="https://yishiting.example.cn")
    with app.app_context():
        from forum.places.models import Community

        community = db.session.scalar(sa.select(Community).order_by(Community.id))
        html = app.test_client().get(f"/communities/{community.id}/poster").get_data(as_text=True)
        url = f"https://yishiting.example.cn/auth/register?community={community.id}"
        assert _code(html) == _code(qr_svg(url, ""))
        assert url in html and community.name in html and "扫码加入议事厅" in html
        assert 'role="img"' in html and "css/outreach.css" in html
        form = app.test_client().get(f"/auth/register?community={community.id}").get_data(as_text=True)
        assert f'<option selected value="{community.id}">' in form


def test_without_a_configured_address_the_code_uses_the_requests_host(client, demo):
    html = client.get(f"/communities/{demo.community.id}/poster", base_url="http://hall.local").get_data(as_text=True)
    assert _code(html) == _code(qr_svg(f"http://hall.local/auth/register?community={demo.community.id}", ""))


def test_each_public_item_has_a_qr_sheet_and_a_link_to_it(client, demo):
    from forum.deliberations.models import Deliberation
    from forum.lists.models import Need
    from forum.proposals.models import Proposal

    need = db.session.scalar(sa.select(Need).where(Need.status == "published"))
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.status == "collecting"))
    deliberation = db.session.scalar(sa.select(Deliberation))
    for kind, item, page in (("need", need, f"/needs/{need.id}"), ("proposal", proposal, f"/proposals/{proposal.id}"),
                             ("deliberation", deliberation, f"/deliberations/{deliberation.id}")):
        assert f'href="/qr/{kind}/{item.id}"' in client.get(page).get_data(as_text=True)
        sheet = client.get(f"/qr/{kind}/{item.id}").get_data(as_text=True)
        assert item.title in sheet and _code(sheet) == _code(qr_svg(f"http://localhost{page}", ""))


def test_no_qr_sheet_for_what_the_visitor_may_not_see(client, demo):
    from forum.lists.models import Need
    from forum.proposals.models import Proposal

    need = db.session.scalar(sa.select(Need).where(Need.status == "published"))
    need.moderation_state = "held"
    draft = db.session.scalar(sa.select(Proposal).where(Proposal.status == "draft"))
    db.session.commit()
    assert client.get(f"/qr/need/{need.id}").status_code == 404
    assert client.get(f"/qr/proposal/{draft.id}").status_code in (302, 403)  # a draft: log in, then refused
    assert client.get("/qr/resource/1").status_code == 404
    assert client.get("/communities/999/poster").status_code == 404
