"""Every route in the URL map, for every demo role, answers with the expected status.

A new route without an entry here fails `test_every_route_has_a_decision`, so no
page ships without someone deciding who may use it.
"""
import pytest
import sqlalchemy as sa

from forum.core.i18n import N_
from forum.extensions import db
from forum.notifications.models import Notification
from forum.notifications.services import notify

ROLES = ["anonymous", "admin", "staff", "council", "unit_contact", "resident", "unverified", "resident2"]
LOGGED_IN = ROLES[1:]
STAFF = {"admin", "staff"}


def expect(default, **by_role):
    """Status per role: `default` for logged-in users, 302 to the login page for anonymous."""
    table = {role: default for role in LOGGED_IN}
    table["anonymous"] = 302
    table.update(by_role)
    return table


def staff_only(ok):
    return expect(403, admin=ok, staff=ok)


# endpoint: (method, url template, expected status by role). Order matters only in
# that requests which change things for later ones come last.
ROUTES = {
    "home.index": ("GET", "/", expect(200, anonymous=200)),
    "home.privacy": ("GET", "/privacy", expect(200, anonymous=200)),
    "accounts.register": ("GET", "/auth/register", expect(302, anonymous=200)),
    "accounts.register_post": ("POST", "/auth/register", expect(302, anonymous=400)),
    "accounts.login": ("GET", "/auth/login", expect(302, anonymous=200)),
    "accounts.login_post": ("POST", "/auth/login", expect(400, anonymous=400)),
    "accounts.profile": ("GET", "/profile", expect(200)),
    "accounts.profile_post": ("POST", "/profile", expect(400)),
    "accounts.password_post": ("POST", "/profile/password", expect(400)),
    "accounts.user_page": ("GET", "/users/{resident}", expect(200)),
    "home.elder_mode": ("POST", "/settings/elder", expect(303, anonymous=303)),
    "home.language": ("POST", "/settings/language", expect(400, anonymous=400)),
    "staff.members": ("GET", "/communities/{c1}/members", staff_only(200)),
    "staff.member": ("GET", "/communities/{c1}/members/{resident}", staff_only(200)),
    "staff.audit_trail": ("GET", "/communities/{c1}/audit", staff_only(200)),
    "staff.verify": ("POST", "/communities/{c1}/members/{unverified}/verify", staff_only(400)),
    "staff.unverify": ("POST", "/communities/{c1}/members/{resident}/unverify", staff_only(400)),
    "staff.grant_role": ("POST", "/communities/{c1}/members/{resident}/roles", staff_only(400)),
    "staff.unit_contact": ("POST", "/communities/{c1}/members/{resident}/units", staff_only(400)),
    "staff.reveal_phone": ("POST", "/communities/{c1}/members/{resident}/phone", staff_only(200)),
    "staff.revoke_role": ("POST", "/communities/{c1}/members/{council}/roles/{moderator_grant}/revoke",
                          staff_only(303)),
    "notifications.index": ("GET", "/notifications/", expect(200)),
    "notifications.read": ("POST", "/notifications/{resident_notification}/read", expect(403, resident=303)),
    "notifications.read_all": ("POST", "/notifications/read-all", expect(303)),
    # needs
    "needs.index": ("GET", "/needs/?community={c1}&category=facilities", expect(200, anonymous=200)),
    "needs.show": ("GET", "/needs/{published_need}", expect(200, anonymous=200)),
    "photos.photo": ("GET", "/photos/{photo}", expect(200, anonymous=200)),
    "needs.mine": ("GET", "/needs/mine", expect(200)),
    "needs.new": ("GET", "/needs/new?community={c1}", expect(200, unit_contact=403, resident2=403)),
    "needs.create": ("POST", "/needs/new?community={c1}", expect(400, unit_contact=403, resident2=403)),
    "needs.new_for_resident": ("GET", "/needs/for-resident?community={c1}", staff_only(200)),
    "needs.create_for_resident": ("POST", "/needs/for-resident?community={c1}", staff_only(400)),
    "needs.support": ("POST", "/needs/{published_need}/support", expect(303)),
    "needs.settings": ("POST", "/needs/settings/{c1}", staff_only(303)),
    "needs.step": ("POST", "/needs/{published_need}/steps/claim", expect(403, admin=303, staff=303, unit_contact=303)),
    # resources (demo resource 1: 青松路小学's 周末开放操场 in 青松社区, available)
    "resources.index": ("GET", "/resources/?community={c1}&category=culture&kind=venue", expect(200, anonymous=200)),
    "resources.show": ("GET", "/resources/1", expect(200, anonymous=200)),
    "resources.mine": ("GET", "/resources/mine", expect(200)),
    "resources.new": ("GET", "/resources/new", expect(403, admin=200, staff=200, unit_contact=200)),
    "resources.create": ("POST", "/resources/new", expect(403, admin=400, staff=400, unit_contact=400)),
    "resources.edit": ("GET", "/resources/1/edit", expect(403, unit_contact=200)),
    "resources.update": ("POST", "/resources/1/edit", expect(403, unit_contact=400)),
    "resources.step": ("POST", "/resources/1/steps/pause", expect(403, admin=303, staff=303, unit_contact=303)),
    # projects
    "projects.index": ("GET", "/projects/?status=in_progress", expect(200, anonymous=200)),
    "projects.show": ("GET", "/projects/{project}", expect(200, anonymous=200)),
    "projects.mine": ("GET", "/projects/mine", expect(200)),
    "projects.new": ("GET", "/projects/new?community={c1}", staff_only(200)),
    "projects.create": ("POST", "/projects/new?community={c1}", staff_only(400)),
    "projects.post_update": ("POST", "/projects/{project}/updates", expect(403, admin=400, staff=400, unit_contact=400)),
    "projects.add_milestone": ("POST", "/projects/{project}/milestones",
                               expect(403, admin=400, staff=400, unit_contact=400)),
    "projects.finish_milestone": ("POST", "/projects/{project}/milestones/{milestone}/done",
                                  expect(403, admin=303, staff=303, unit_contact=303)),
    "projects.rate": ("POST", "/projects/{done_project}/rating", expect(403, resident=400)),
    "projects.step": ("POST", "/projects/{project}/steps/complete", expect(403, admin=303, staff=303, unit_contact=303)),
    # activities (demo: 周末课后辅导 is open, by 青松路小学; 冬季消防安全巡查 began yesterday)
    "activities.index": ("GET", "/activities/?community={c1}&status=open", expect(200, anonymous=200)),
    "activities.show": ("GET", "/activities/{open_activity}", expect(200, anonymous=200)),
    "activities.unit": ("GET", "/activities/units/{school}", expect(200, anonymous=200)),
    "activities.mine": ("GET", "/activities/mine", expect(200)),
    "activities.new": ("GET", "/activities/new", expect(403, admin=200, staff=200, unit_contact=200)),
    "activities.create": ("POST", "/activities/new", expect(403, admin=400, staff=400, unit_contact=400)),
    "activities.sign_up": ("POST", "/activities/{open_activity}/signup",
                           expect(303, admin=403, unit_contact=403, resident2=403)),
    "activities.cancel_signup": ("POST", "/activities/{open_activity}/signup/cancel", expect(303)),
    "activities.step": ("POST", "/activities/{open_activity}/steps/close",
                        expect(403, admin=303, staff=303, unit_contact=303)),
    "activities.attendance": ("POST", "/activities/{held_activity}/attendance", staff_only(303)),
    # matching
    "matches.index": ("GET", "/matches/?community={c1}", staff_only(200)),
    "matches.decline": ("POST", "/matches/decline", expect(404, anonymous=302)),
    "matches.accept": ("POST", "/matches/accept", expect(404, anonymous=302)),
    # discussion (a fresh comment by the resident on the published need; council is a moderator)
    "discussion.thread": ("GET", "/discussion/need/{published_need}", expect(200, anonymous=200)),
    "discussion.history": ("GET", "/discussion/comments/{comment}/history", expect(200, anonymous=200)),
    "discussion.post_comment": ("POST", "/discussion/need/{published_need}/comments", expect(400, resident2=403)),
    "discussion.edit": ("GET", "/discussion/comments/{comment}/edit", expect(403, resident=200)),
    "discussion.update": ("POST", "/discussion/comments/{comment}/edit", expect(403, resident=400)),
    "discussion.pin": ("POST", "/discussion/comments/{comment}/pin", expect(403, admin=303, staff=303, council=303)),
    "discussion.lock": ("POST", "/discussion/need/{published_need}/lock",
                        expect(403, admin=303, staff=303, council=303)),
    "discussion.delete": ("POST", "/discussion/comments/{comment}/delete", expect(403, resident=303)),
    # proposals (demo: a draft of the resident's, a collecting one and one past its threshold)
    "proposals.index": ("GET", "/proposals/?community={c1}&category=housing&status=threshold_met",
                        expect(200, anonymous=200)),
    "proposals.show": ("GET", "/proposals/{collecting_proposal}", expect(200, anonymous=200)),
    "proposals.mine": ("GET", "/proposals/mine", expect(200)),
    "proposals.new": ("GET", "/proposals/new?community={c1}", expect(200, admin=403, unit_contact=403, resident2=403)),
    "proposals.create": ("POST", "/proposals/new?community={c1}",
                         expect(400, admin=403, unit_contact=403, resident2=403)),
    "proposals.edit": ("GET", "/proposals/{draft_proposal}/edit", expect(403, resident=200)),
    "proposals.update": ("POST", "/proposals/{draft_proposal}/edit", expect(403, resident=400)),
    "proposals.support": ("POST", "/proposals/{collecting_proposal}/support", expect(303)),
    "proposals.step": ("POST", "/proposals/{supported_proposal}/steps/decline",
                       expect(403, admin=400, staff=400, council=400)),
    "proposals.settings": ("POST", "/proposals/settings/{c1}", staff_only(400)),
    # deliberations ({coming}: scheduled, {running}: open with a proposal; both moderated by council, with
    # the resident, the school's contact and staff as participants)
    "deliberations.index": ("GET", "/deliberations/?community={c1}&status=scheduled", expect(200, anonymous=200)),
    "deliberations.show": ("GET", "/deliberations/{running}", expect(200, anonymous=200)),
    "deliberations.calendar": ("GET", "/deliberations/{coming}/calendar.ics", expect(200, anonymous=200)),
    "deliberations.notice": ("GET", "/deliberations/{coming}/notice", expect(200, anonymous=200)),
    "deliberations.new": ("GET", "/deliberations/new?community={c1}", staff_only(200)),
    "deliberations.create": ("POST", "/deliberations/new?community={c1}", staff_only(400)),
    "deliberations.edit": ("GET", "/deliberations/{coming}/edit", expect(403, admin=200, staff=200, council=200)),
    "deliberations.update": ("POST", "/deliberations/{coming}/edit", expect(403, admin=400, staff=400, council=400)),
    "deliberations.rsvp": ("POST", "/deliberations/{coming}/rsvp",
                           expect(403, staff=400, council=400, unit_contact=400, resident=400)),
    "deliberations.decide": ("POST", "/deliberations/{running}/proposals/{running_proposal}/decision",
                             expect(403, admin=400, staff=400, council=400)),
    "deliberations.attendance": ("POST", "/deliberations/{running}/attendance",
                                 expect(403, admin=303, staff=303, council=303)),
    "deliberations.step": ("POST", "/deliberations/{running}/steps/conclude",
                           expect(403, admin=303, staff=303, council=303)),
    # minutes ({minuted}: v1 published, v2 a correction open for comments; council moderates, resident
    # attended. {unminuted}: concluded, no minutes yet, council moderates)
    "minutes.show": ("GET", "/deliberations/{minuted}/minutes", expect(200, anonymous=200)),
    "minutes.version": ("GET", "/deliberations/{minuted}/minutes/versions/1", expect(200, anonymous=200)),
    "minutes.diff": ("GET", "/deliberations/{minuted}/minutes/diff?from=1&to=2",
                     expect(403, admin=200, staff=200, council=200, resident=200)),
    "minutes.print_view": ("GET", "/deliberations/{minuted}/minutes/print", expect(200, anonymous=200)),
    "minutes.new": ("GET", "/deliberations/{unminuted}/minutes/new", expect(403, council=200)),
    "minutes.create": ("POST", "/deliberations/{unminuted}/minutes/new", expect(403, council=400)),
    "minutes.edit": ("GET", "/deliberations/{minuted}/minutes/versions/2/edit", expect(403, council=200)),
    "minutes.update": ("POST", "/deliberations/{minuted}/minutes/versions/2/edit", expect(403, council=400)),
    "minutes.comment": ("POST", "/deliberations/{minuted}/minutes/versions/2/comments",
                        expect(403, council=400, resident=400)),
    "minutes.correct": ("POST", "/deliberations/{minuted}/minutes/correction", expect(403, council=400)),
    "minutes.step": ("POST", "/deliberations/{minuted}/minutes/versions/2/steps/approve",
                     expect(403, admin=303, staff=303, council=303, resident=303)),
    # voting (demo: {council_poll} open roll call of the council, which has voted in part; {consultation} an
    # open secret poll of residents; {closed_poll} the 双过半 household poll, closed, paper counts confirmed)
    "polls.index": ("GET", "/polls/?community={c1}", expect(200, anonymous=200)),
    "polls.show": ("GET", "/polls/{council_poll}", expect(200, anonymous=200)),
    "polls.ballots": ("GET", "/polls/{closed_poll}/ballots", expect(200, anonymous=200)),
    "polls.export": ("GET", "/polls/{closed_poll}/results.csv", expect(200, anonymous=200)),
    "polls.new": ("GET", "/polls/new?community={c1}", staff_only(200)),
    "polls.create": ("POST", "/polls/new?community={c1}", staff_only(400)),
    "polls.edit": ("GET", "/polls/{council_poll}/edit", expect(403, admin=200, staff=200, council=200)),
    "polls.update": ("POST", "/polls/{council_poll}/edit", expect(403, admin=400, staff=400, council=400)),
    "polls.vote": ("POST", "/polls/{consultation}/vote", expect(303)),
    "polls.enter_paper": ("POST", "/polls/{consultation}/paper", expect(403, admin=400, staff=400, council=400)),
    "polls.paper_step": ("POST", "/polls/{closed_poll}/paper/confirm", expect(403, admin=303, staff=303)),
    "polls.close": ("POST", "/polls/{consultation}/close", staff_only(400)),
    # moderation ({case}: the demo's comment held for review in 青松社区; council moderates there)
    "moderation.report_form": ("GET", "/moderation/report/comment/{comment}", expect(200, resident=403)),
    "moderation.report": ("POST", "/moderation/report/comment/{comment}", expect(400, resident=403)),
    "moderation.request_review": ("POST", "/moderation/review/comment/{comment}", expect(403)),
    "moderation.index": ("GET", "/moderation/?community={c1}&state=held", expect(403, admin=200, staff=200, council=200)),
    "moderation.case": ("GET", "/moderation/cases/{case}", expect(403, admin=200, staff=200, council=200)),
    "moderation.bulk": ("POST", "/moderation/cases/bulk", expect(403, admin=303, staff=303, council=303)),
    "moderation.simple_action": ("POST", "/moderation/cases/{case}/restore",
                                 expect(403, admin=303, staff=303, council=303)),
    "moderation.reason_action": ("POST", "/moderation/cases/{case}/hide", expect(403, admin=400, staff=400, council=400)),
    "moderation.suspend": ("POST", "/moderation/cases/{case}/suspend", expect(403, admin=400, staff=400, council=400)),
    "moderation.settings": ("POST", "/moderation/settings/{c1}", staff_only(400)),
    "moderation.moderation_log": ("GET", "/moderation/log?community={c1}", staff_only(200)),
    # sensitive words ({c1_word}: a word of 青松社区's list; staff keep it, admins every list)
    "moderation_words.index": ("GET", "/moderation/words?community={c1}", staff_only(200)),
    "moderation_words.add": ("POST", "/moderation/words?community={c1}", staff_only(400)),
    "moderation_words.settings": ("POST", "/moderation/words/settings/{c1}", staff_only(303)),
    "moderation_words.delete": ("POST", "/moderation/words/{c1_word}/delete", staff_only(303)),
    # search
    "search.search": ("GET", "/search?q=电梯&type=need&community={c1}", expect(200, anonymous=200)),
    # stats: public figures; ledgers (台账) for the community's staff, supervisors and admins
    "stats.index": ("GET", "/stats/?community={c1}&period=year", expect(200, anonymous=200)),
    "stats.ledger": ("GET", "/stats/ledgers/needs?community={c1}&period=year&format=csv", staff_only(200)),
    # outreach: the community's poster, a need's QR sheet, 关注 the need, the list of what one follows
    "outreach.poster": ("GET", "/communities/{c1}/poster", expect(200, anonymous=200)),
    "outreach.item_qr": ("GET", "/qr/need/{published_need}", expect(200, anonymous=200)),
    "outreach.follow": ("POST", "/follow/need/{published_need}", expect(303)),
    "outreach.following": ("GET", "/following", expect(200)),
    # open data: the same JSON for everyone, logged in or not
    "api.index": ("GET", "/api/v1/", expect(200, anonymous=200)),
    "api.openapi": ("GET", "/api/v1/openapi.json", expect(200, anonymous=200)),
    "api.collection": ("GET", "/api/v1/needs?community={c1}", expect(200, anonymous=200)),
    "api.item": ("GET", "/api/v1/needs/{published_need}", expect(200, anonymous=200)),
    "api.unknown": ("GET", "/api/v1/needs/{published_need}/photos", expect(404, anonymous=404)),
    # e-mail notifications ({mail_token}: the unsubscribe link of the resident's e-mail settings)
    "mail.settings": ("GET", "/notifications/email/", expect(200)),
    "mail.settings_post": ("POST", "/notifications/email/", expect(400)),
    "mail.unsubscribe": ("GET", "/notifications/email/unsubscribe/{mail_token}", expect(200, anonymous=200)),
    "mail.unsubscribe_post": ("POST", "/notifications/email/unsubscribe/{mail_token}", expect(200, anonymous=200)),
    # privacy: the person's own consent, data and account (an empty delete form deletes nothing)
    "needs.reveal_phone": ("POST", "/needs/{published_need}/phone", expect(403, admin=400, staff=400)),
    "privacy.consent": ("GET", "/privacy/consent", expect(200)),
    "privacy.consent_post": ("POST", "/privacy/consent", expect(400)),
    "privacy.download": ("POST", "/privacy/data", expect(200)),
    "privacy.delete": ("GET", "/privacy/delete", expect(200)),
    "privacy.delete_post": ("POST", "/privacy/delete", expect(400)),
    "accounts.logout": ("POST", "/auth/logout", expect(303)),
}


def _need_ids(demo) -> dict:
    """A published need of 青松社区 (with a photo) from the demo data."""
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.lists.models import Need, Photo

    need = db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    photo = Photo(key="ab" * 16, need=need, width=10, height=10)
    db.session.add(photo)
    db.session.commit()
    from forum.lists.photos import store

    store().save(f"{photo.key}.webp", b"RIFF")
    db.session.commit()
    from forum.lists.models import Project

    running, done = db.session.scalars(sa.select(Project).order_by(Project.id)).all()[:2]
    return {"published_need": need.id, "photo": f"{photo.key}.webp", "project": running.id,
            "done_project": done.id, "milestone": running.milestones[0].id}


def _activity_ids(demo) -> dict:
    from forum.activities.models import Activity

    def by_title(title):
        return db.session.scalar(sa.select(Activity.id).where(Activity.title == title))

    return {"open_activity": by_title("周末课后辅导"), "held_activity": by_title("冬季消防安全巡查"),
            "school": demo.school.id}


def _comment_ids(demo, need_id) -> dict:
    """A comment the resident has just posted (so she may still edit it)."""
    from forum.discussion.services import post_comment
    from forum.lists.models import Need

    return {"comment": post_comment(demo.resident, db.session.get(Need, need_id), "楼道灯今晚还是不亮").id}


def _proposal_ids(demo) -> dict:
    from forum.proposals.models import Proposal

    def by_title(title):
        return db.session.scalar(sa.select(Proposal.id).where(Proposal.title == title))

    return {"draft_proposal": by_title("楼道加装声控灯和扶手"), "collecting_proposal": by_title("社区卫生服务站增加周末门诊"),
            "supported_proposal": by_title("社区老年食堂开设助餐点")}


def _deliberation_ids(demo) -> dict:
    """Two fresh deliberations of 青松社区 (so the steps taken here change no demo data others use)."""
    from datetime import timedelta

    from forum.core.models import utcnow
    from forum.deliberations.models import DELIBERATION
    from forum.deliberations.services import Seat, schedule
    from forum.proposals.models import PROPOSAL, Proposal

    seats = [Seat(demo.council.id, "居民代表", True), Seat(demo.resident.id, "居民代表"),
             Seat(demo.unit_contact.id, "驻区单位"), Seat(demo.staff.id, "居委会")]
    proposal = Proposal(community=demo.community, author_id=demo.resident.id, title="单元门口增设无障碍坡道",
                        category="facilities", support_count=10, support_threshold=10)
    db.session.add(proposal)
    PROPOSAL.start(db.session, proposal, demo.resident)
    proposal.status = "threshold_met"

    def scheduled(title, proposals=()):
        starts_at = utcnow() + timedelta(days=3)
        return schedule(demo.staff, demo.community, {"kind": "residents_council", "title": title, "starts_at": starts_at,
                                                     "place": "青松社区党群服务中心"}, seats, ["说明议事规则"], list(proposals))

    coming, running = scheduled("无障碍设施议事会"), scheduled("坡道建设议事会", [proposal])
    DELIBERATION.apply_as_system(db.session, running, "open")
    db.session.commit()
    return {"coming": coming.id, "running": running.id, "running_proposal": proposal.id}


def _minutes_ids(demo) -> dict:
    """Two concluded deliberations of 青松社区 moderated by council, attended by the resident: one
    with published minutes and a correction open for comments, one without minutes yet."""
    from datetime import timedelta

    from forum.core.models import utcnow
    from forum.deliberations.models import Deliberation, Participant
    from forum.minutes import services

    def concluded(title):
        deliberation = Deliberation(
            community=demo.community, created_by_id=demo.staff.id, kind="residents_council", title=title,
            starts_at=utcnow() - timedelta(days=2), status="concluded", description="", description_html="",
            participants=[Participant(user_id=demo.council.id, seat="居委会", is_moderator=True, attended=True),
                          Participant(user_id=demo.resident.id, seat="居民代表", attended=True)])
        db.session.add(deliberation)
        db.session.commit()
        return deliberation

    minuted, unminuted = concluded("停车位划线议事会"), concluded("垃圾分类督导议事会")
    text = {"summary": "同意重新划线。", "agenda": [], "dissent": "", "action_items": [], "recorder": "李国华"}
    first = services.draft_minutes(demo.council, minuted, text)
    services.take_step(demo.council, first, "open_comments")
    first.comments_open_until = utcnow()
    services.save_text(demo.council, first, text)
    services.take_step(demo.staff, first, "approve")
    services.take_step(demo.council, first, "publish")
    correction = services.start_correction(demo.council, first, "摘要漏了时间")
    services.take_step(demo.council, correction, "open_comments")
    return {"minuted": minuted.id, "unminuted": unminuted.id}


def _poll_ids(demo) -> dict:
    from forum.voting.models import Poll

    def poll(*conditions):
        return db.session.scalar(sa.select(Poll.id).where(*conditions).order_by(Poll.id))

    return {"council_poll": poll(Poll.electorate == "council", Poll.status == "open"),
            "consultation": poll(Poll.electorate == "residents", Poll.status == "open"),
            "closed_poll": poll(Poll.status == "closed")}


def _moderation_ids(demo) -> dict:
    from forum.moderation.models import ModerationCase

    return {"case": db.session.scalar(sa.select(ModerationCase.id).where(ModerationCase.cause == "sensitive_words")
                                      .order_by(ModerationCase.id))}


def _word_ids(demo) -> dict:
    from forum.moderation.words.services import add_words, word_list

    add_words(demo.staff, demo.community, "电梯小广告", "hold")
    return {"c1_word": word_list(demo.community).words[0].id}


def _notification_for(user) -> int:
    """The id of a notification of `user`, for the routes that act on one."""
    notify([user], N_("Notifications"), "/")
    db.session.commit()
    return db.session.scalar(sa.select(Notification.id).where(Notification.user_id == user.id))


def _mail_ids(demo) -> dict:
    from forum.notifications.mail import save_settings

    return {"mail_token": save_settings(demo.resident, "liu.guifang@example.cn", "daily").token}


def test_every_route_has_a_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(ROUTES)


def route_ids(demo) -> dict:
    """The values for the URL templates of ROUTES (tests/security reuses them)."""
    moderator_grant = next(g for g in demo.council.role_grants if g.role == "moderator")
    ids = {"c1": demo.community.id, "resident": demo.resident.id, "unverified": demo.unverified.id,
           "council": demo.council.id, "moderator_grant": moderator_grant.id}
    ids["resident_notification"] = _notification_for(demo.resident)
    ids.update(_need_ids(demo))
    ids.update(_activity_ids(demo))
    ids.update(_comment_ids(demo, ids["published_need"]))
    for finder in (_proposal_ids, _deliberation_ids, _minutes_ids, _poll_ids, _moderation_ids, _word_ids, _mail_ids):
        ids.update(finder(demo))
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_expected(client, auth, demo, role):
    ids = route_ids(demo)
    if role != "anonymous":
        assert auth.login(getattr(demo, role).phone).status_code == 303
    got = {}
    for endpoint, (method, template, expected) in ROUTES.items():
        response = client.open(template.format(**ids), method=method)
        got[endpoint] = response.status_code
        if response.status_code == 302 and expected[role] == 302 and role == "anonymous":
            assert "/auth/login" in response.headers["Location"] or endpoint.startswith("accounts.")
    assert got == {endpoint: expected[role] for endpoint, (_, _, expected) in ROUTES.items()}


def test_unknown_things_are_404_not_500(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.get("/communities/999/members").status_code == 404
    assert client.get(f"/communities/{demo.community.id}/members/999").status_code == 404
    # A user who lives in another community is not a member here.
    assert client.get(f"/communities/{demo.community.id}/members/{demo.resident2.id}").status_code == 404
    assert client.get("/users/999").status_code == 404
    assert client.get("/?community=999").status_code == 404
