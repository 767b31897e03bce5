"""How to post each form of the site with hostile text in every text field.

One FormPost per form (and per use of a form, e.g. a step with a reason): who posts it,
where, the other fields a valid post needs, and which pages show what was typed besides
the page it leads to. test_every_text_field_of_every_form_is_posted checks that every text
field of every form class is covered here, so a new form fails until it is added.
"""
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import sqlalchemy as sa

from forum.core.models import utcnow
from forum.extensions import db

NEXT_YEAR = utcnow().year + 1


@dataclass
class FormPost:
    form: str  # form_fields.form_name of the form class, or "raw:<view>" for fields read without one
    who: str  # the demo role that posts (anonymous: "anonymous")
    url: str  # template over the ids (tests/test_routes.route_ids plus what `prepare` adds)
    data: Callable[[dict, int], dict] = lambda ids, n: {}  # the other fields of a valid post, for post n
    fields: dict[str, int] | None = None  # text fields → longest text (default: the form's own, found by form_fields)
    keep_valid: tuple[str, ...] = ()  # text fields that stay valid in the valid posts (hostile only when refused)
    prefix: str = ""  # the form's prefix, as the view creates it
    pages: tuple[str, ...] = ()  # more pages that show what was typed
    posts: int = 2  # valid posts (each with the next hostile strings)
    invalid: Callable[[dict], dict] | None = None  # overrides that make a post invalid (default: first field blank)
    prepare: Callable[[object, dict, int], dict] | None = None  # makes what post n acts on; returns more ids
    search: bool = True  # the text is public and searchable: look for it in /search too
    accepts: Callable[[str], bool] = lambda text: True  # hostile strings this form takes in a valid post
    refusable: bool = True  # an invalid post shows the form again (else the view only redirects)


def _local(moment) -> str:
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).strftime("%Y-%m-%dT%H:%M")


def _fresh_need(demo, ids, n, status="published", author=None):
    from forum.lists.models import Need

    need = Need(community=demo.community, author_id=(author or demo.council).id, title=f"待处理的需求{n}号",
                body="", body_html="", category="other", status=status)
    db.session.add(need)
    db.session.commit()
    return {"need": need.id}


def _reported_case(demo, ids, n):
    """A need of the school's contact, reported once: a moderation case to act on."""
    from forum.lists.models import Need
    from forum.moderation import services

    fresh = _fresh_need(demo, ids, n, author=demo.unit_contact)
    need = db.session.get(Need, fresh["need"])
    services.report(demo.resident, need, "spam")
    db.session.commit()
    return {"case": services.case_of(need).id, **fresh}


def _fresh_project(demo, ids, n):
    from forum.lists import projects

    project = projects.create_project(demo.staff, demo.community, {
        "title": f"待取消的项目{n}号", "summary": "", "lead_unit": None, "planned_start": None, "planned_end": None,
        "budget": None, "responsible_id": demo.staff.id}, [ids["published_need"]], [1], [])
    return {"fresh_project": project.id}


def _fresh_activity(demo, ids, n):
    from forum.activities import services

    starts = utcnow() + timedelta(days=10)
    activity = services.create_activity(demo.staff, demo.community, None, {
        "title": f"待取消的活动{n}号", "body": "", "starts_at": starts, "ends_at": starts + timedelta(hours=2),
        "place": "活动室", "capacity": 10})
    return {"fresh_activity": activity.id}


def _fresh_member(demo, ids, n):
    from forum.accounts.models import Membership
    from forum.accounts.services import create_user

    user = create_user(f"1366666{n:04d}", f"新居民{n}", "demo-pass-2026 长长的", consent_version=None)
    db.session.add(Membership(user=user, community=demo.community, verified_at=utcnow() if n % 2 else None))
    db.session.commit()
    return {"member": user.id}


MINUTES_TEXT = {"summary": "同意重新划线。", "agenda": [], "dissent": "", "action_items": [], "recorder": "李国华"}


def _revised_minutes(demo, ids, n):
    """The correction open for comments (route_ids' {minuted}), revised after its comment period,
    so that staff may send it back."""
    from forum.minutes import services
    from forum.minutes.models import MinutesVersion

    version = db.session.scalar(sa.select(MinutesVersion).where(MinutesVersion.deliberation_id == ids["minuted"])
                                .order_by(MinutesVersion.number.desc()))
    version.comments_open_until = utcnow() - timedelta(minutes=1)
    services.save_text(demo.council, version, MINUTES_TEXT)
    return {"version": version.number}


def _draft_minutes(demo, ids, n):
    from forum.deliberations.models import Deliberation
    from forum.minutes import services

    if n == 0:
        services.draft_minutes(demo.council, db.session.get(Deliberation, ids["unminuted"]), MINUTES_TEXT)
    return {}


def _unrated(demo, ids, n):
    """The resident's rating of the completed demo project taken back, so that she may rate it."""
    from forum.lists.models import ProjectRating

    db.session.execute(sa.delete(ProjectRating).where(ProjectRating.project_id == ids["done_project"],
                                                      ProjectRating.user_id == demo.resident.id))
    db.session.commit()
    return {}


def _deliberation(moderator: int, resident: int) -> dict:
    return {"kind": "residents_council", "starts_at": f"{NEXT_YEAR}-03-12T19:30", "ends_at": f"{NEXT_YEAR}-03-12T21:00",
            "participants-0-user": str(moderator), "participants-0-is_moderator": "y",
            "participants-1-user": str(resident), "participants-1-seat": "居民代表"}


def _poll() -> dict:
    now = utcnow()
    return {"method": "single", "electorate": "residents", "opens_at": _local(now),
            "closes_at": _local(now + timedelta(days=3)), "results": "live", "quorum_percent": "0",
            "pass_rule": "plurality", "ballot": "open"}


def _is_a_word(text: str) -> bool:
    """What the sensitive-word list takes as one line: at most 40 characters, two of them Chinese
    characters or Latin letters and digits."""
    return len(text) <= 40 and "\n" not in text and sum(
        (c.isascii() and c.isalnum()) or "\u4e00" <= c <= "\u9fff" for c in text) >= 2


NEED_PAGES = ("/needs/?community={c1}", "/needs/mine", "/")

# Every post of a form with text fields, by name. The ids are tests/test_routes.route_ids plus
# staff_id, compound and school, and what `prepare` adds.
FORM_POSTS = {
    # accounts
    "register": FormPost("accounts.forms.RegisterForm", "anonymous", "/auth/register", lambda ids, n: {
        "phone": f"1355555{n:04d}", "password": "青松 安全 测试 很长的密码 2026", "confirm": "青松 安全 测试 很长的密码 2026",
        "community": ids["c1"], "compound": "", "consent": "y"}, keep_valid=("phone",),
        pages=("/profile", "/notifications/"), search=False, posts=1),
    "e-mail settings": FormPost("notifications.forms.EmailSettingsForm", "resident", "/notifications/email/",
                                lambda ids, n: {"address": "x'\"><svg/onload=alert()>@example.cn",
                                                "frequency": "daily"},
                                keep_valid=("address",), search=False, posts=1),
    "log in (refused)": FormPost("accounts.forms.LoginForm", "anonymous", "/auth/login",
                                 lambda ids, n: {"password": "wrong-password"}, posts=0, search=False),
    "profile": FormPost("accounts.forms.ProfileForm", "resident", "/profile", pages=(
        "/users/{resident}", "/needs/{published_need}", "/discussion/need/{published_need}", "/"), search=False),
    "verify a household": FormPost("accounts.forms.VerifyForm", "staff", "/communities/{c1}/members/{member}/verify",
                                   lambda ids, n: {"compound": ids["compound"], "floor_area": "80"},
                                   prepare=lambda demo, ids, n: _fresh_member(demo, ids, 2 * n),
                                   pages=("/communities/{c1}/members/{member}", "/communities/{c1}/members",
                                          "/communities/{c1}/audit"), search=False),
    "unverify a household": FormPost("accounts.forms.UnverifyForm", "staff",
                                     "/communities/{c1}/members/{member}/unverify",
                                     prepare=lambda demo, ids, n: _fresh_member(demo, ids, 2 * n + 1),
                                     pages=("/communities/{c1}/members/{member}", "/communities/{c1}/audit"),
                                     search=False),
    # needs
    "post a need": FormPost("lists.need_forms.NeedForm", "resident", "/needs/new?community={c1}", lambda ids, n: {
        "category": "facilities", "urgency": "2", "compound": ""}, pages=NEED_PAGES, posts=3),
    "enter a need for a resident": FormPost(
        "lists.need_forms.ResidentNeedForm", "staff", "/needs/for-resident?community={c1}",
        lambda ids, n: {"category": "elderly", "urgency": "1", "compound": "", "proxy_phone": f"1344444{n:04d}"},
        keep_valid=("proxy_phone",), pages=NEED_PAGES),
    "reject a need (reason)": FormPost("lists.need_forms.StepForm", "staff", "/needs/{need}/steps/reject",
                                       fields={"note": 2000}, prepare=lambda demo, ids, n: _fresh_need(
                                           demo, ids, n, status="submitted"), pages=("/needs/mine",),
                                       search=False),
    "rate a resolved need": FormPost("lists.need_forms.StepForm", "council", "/needs/{need}/steps/close",
                                     lambda ids, n: {"score": "2"}, fields={"comment": 1000},
                                     prepare=lambda demo, ids, n: _fresh_need(demo, ids, n, status="resolved"),
                                     search=False, invalid=lambda data: {"score": "9"}),
    # resources
    "offer a resource": FormPost("lists.resource_forms.ResourceForm", "unit_contact", "/resources/new",
                                 lambda ids, n: {"unit": ids["school"], "community": ids["c1"], "category": "legal",
                                                 "kind": "service", "scope": "communities"},
                                 pages=("/resources/?community={c1}", "/resources/mine")),
    "edit a resource": FormPost("lists.resource_forms.ResourceEditForm", "unit_contact", "/resources/1/edit",
                                pages=("/resources/?community={c1}",)),
    "withdraw a resource (reason)": FormPost("lists.resource_forms.StepForm", "unit_contact",
                                             "/resources/{resource}/steps/withdraw", prepare=lambda demo, ids, n: {
                                                 "resource": 1 if n == 0 else 2}, search=False,
                                             invalid=lambda data: {"note": "长" * 501}),
    # projects
    "set up a project": FormPost("lists.project_forms.ProjectForm", "staff", "/projects/new?community={c1}",
                                 lambda ids, n: {"community": ids["c1"], "lead_unit": "",
                                                 "responsible_id": ids["staff_id"], "needs": ids["published_need"],
                                                 "resources": 1},
                                 pages=("/projects/", "/projects/mine")),
    "report progress": FormPost("lists.project_forms.UpdateForm", "staff", "/projects/{project}/updates",
                                lambda ids, n: {"percent_done": "40"}, pages=("/projects/",)),
    "rate a project": FormPost("lists.project_forms.RatingForm", "resident", "/projects/{done_project}/rating",
                               lambda ids, n: {"score": "4"}, posts=1, search=False, prepare=_unrated,
                               invalid=lambda data: {"score": "0"}),
    "add a milestone": FormPost("lists.project_forms.MilestoneForm", "staff", "/projects/{project}/milestones",
                                search=False),
    "cancel a project (reason)": FormPost("lists.project_forms.ProjectStepForm", "staff",
                                          "/projects/{fresh_project}/steps/cancel", prepare=_fresh_project,
                                          pages=("/projects/?status=cancelled",), search=False),
    # activities
    "announce an activity": FormPost("activities.forms.ActivityForm", "unit_contact", "/activities/new",
                                     lambda ids, n: {"starts_at": f"{NEXT_YEAR}-01-05T09:30",
                                                     "ends_at": f"{NEXT_YEAR}-01-05T11:30", "capacity": "12",
                                                     "community": ids["c1"], "unit": ids["school"]},
                                     pages=("/activities/?community={c1}", "/activities/units/{school}",
                                            "/activities/mine")),
    "cancel an activity (reason)": FormPost("activities.forms.StepForm", "staff",
                                            "/activities/{fresh_activity}/steps/cancel",
                                            prepare=_fresh_activity, search=False),
    # discussion
    "comment": FormPost("discussion.forms.CommentForm", "resident", "/discussion/need/{published_need}/comments",
                        pages=("/discussion/need/{published_need}", "/notifications/"), posts=3),
    "edit a comment": FormPost("discussion.forms.CommentForm", "resident", "/discussion/comments/{comment}/edit",
                               pages=("/discussion/comments/{comment}/history",
                                      "/discussion/need/{published_need}")),
    # proposals
    "raise a proposal": FormPost("proposals.forms.ProposalForm", "resident", "/proposals/new", lambda ids, n: {
        "category": "housing", "community": ids["c1"], "intent": "submit"},
        pages=("/proposals/?community={c1}", "/proposals/mine")),
    "edit a draft proposal": FormPost("proposals.forms.ProposalForm", "resident", "/proposals/{draft_proposal}/edit",
                                      lambda ids, n: {"category": "housing", "intent": "draft"},
                                      pages=("/proposals/mine",), search=False),
    "decline a proposal (reason)": FormPost("proposals.forms.StepForm", "council",
                                            "/proposals/{supported_proposal}/steps/decline", posts=1,
                                            fields={"note": 2000}, pages=("/proposals/?community={c1}",),
                                            search=False),
    # deliberations
    "schedule a deliberation": FormPost("deliberations.forms.DeliberationForm", "staff",
                                        "/deliberations/new?community={c1}",
                                        lambda ids, n: _deliberation(ids["staff_id"], ids["resident"]),
                                        keep_valid=("online_url",), pages=(
                                            "/deliberations/?community={c1}", "{location}/notice",
                                            "{location}/calendar.ics", "/notifications/"), search=False),
    "edit a deliberation": FormPost("deliberations.forms.DeliberationForm", "council", "/deliberations/{coming}/edit",
                                    lambda ids, n: _deliberation(ids["council"], ids["resident"]),
                                    keep_valid=("online_url",), pages=(
                                        "/deliberations/{coming}/notice", "/deliberations/{coming}/calendar.ics"),
                                    search=False),
    "cancel a deliberation (reason)": FormPost("deliberations.forms.StepForm", "staff",
                                               "/deliberations/{coming}/steps/cancel", posts=1, search=False),
    "decide a proposal": FormPost("deliberations.forms.DecisionForm", "council",
                                  "/deliberations/{running}/proposals/{running_proposal}/decision",
                                  lambda ids, n: {f"proposal-{ids['running_proposal']}-passed": "no"},
                                  prefix="proposal-{running_proposal}", posts=1, search=False),
    # minutes
    "draft minutes": FormPost("minutes.forms.MinutesForm", "council", "/deliberations/{unminuted}/minutes/new",
                              posts=1, search=False,
                              data=lambda ids, n: {"action_items-0-due": f"{NEXT_YEAR}-05-01"}),
    "revise minutes": FormPost("minutes.forms.MinutesForm", "council",
                               "/deliberations/{unminuted}/minutes/versions/1/edit",
                               lambda ids, n: {"action_items-0-due": f"{NEXT_YEAR}-05-01"}, prepare=_draft_minutes,
                               search=False),
    "comment on draft minutes": FormPost("minutes.forms.CommentForm", "resident",
                                         "/deliberations/{minuted}/minutes/versions/2/comments", search=False),
    "send minutes back (reason)": FormPost("minutes.forms.StepForm", "staff",
                                           "/deliberations/{minuted}/minutes/versions/{version}/steps/send_back",
                                           prepare=_revised_minutes, posts=1, search=False),
    "correct published minutes": FormPost("minutes.forms.CorrectionForm", "council",
                                          "/deliberations/{minuted_published}/minutes/correction", posts=1,
                                          prepare=lambda demo, ids, n: {"minuted_published": _published_minutes()},
                                          search=False),
    # voting
    "set up a poll": FormPost("voting.forms.PollForm", "staff", "/polls/new?community={c1}", lambda ids, n: _poll(),
                              fields={"title": 120, "body": 5000, "options": 250},  # at most 20 options
                              pages=("/polls/?community={c1}",), search=False),
    "close a poll early (reason)": FormPost("voting.forms.CloseForm", "staff", "/polls/{consultation}/close",
                                            posts=1, search=False),
    "enter paper ballots": FormPost("voting.forms.PaperForm", "staff", "/polls/{consultation}/paper",
                                    lambda ids, n: _paper_lines(ids["consultation"]), posts=1, search=False,
                                    invalid=lambda data: {"lines-0-votes": "-5"}),
    # moderation
    "report": FormPost("moderation.forms.ReportForm", "council", "/moderation/report/need/{published_need}",
                       lambda ids, n: {"reason": "other"}, posts=1, search=False,
                       pages=("/moderation/?community={c1}",), invalid=lambda data: {"reason": ""}),
    "hide (reason)": FormPost("moderation.forms.ReasonForm", "staff", "/moderation/cases/{case}/hide", prefix="hide",
                              prepare=_reported_case, pages=("/moderation/log?community={c1}",
                                                             "/needs/{need}"), search=False),
    "warn (reason)": FormPost("moderation.forms.ReasonForm", "staff", "/moderation/cases/{case}/warn", prefix="warn",
                              prepare=_reported_case, posts=1, search=False),
    "ban (reason)": FormPost("moderation.forms.ReasonForm", "staff", "/moderation/cases/{case}/ban", prefix="ban",
                             prepare=_reported_case, posts=1, search=False),
    "suspend (reason)": FormPost("moderation.forms.SuspendForm", "staff", "/moderation/cases/{case}/suspend",
                                 lambda ids, n: {"suspend-days": "3"}, prefix="suspend", prepare=_reported_case,
                                 posts=1, search=False, pages=("/moderation/log?community={c1}",)),
    "add sensitive words": FormPost("moderation.words.forms.WordsForm", "admin", "/moderation/words?community={c1}",
                                    lambda ids, n: {"action": "mask"}, search=False, accepts=_is_a_word,
                                    pages=("/moderation/words?community={c1}",)),
    # matching: the reason for declining a suggestion is read without a form class
    "decline a match (reason)": FormPost("raw:matches.decline", "staff", "/matches/decline", lambda ids, n: {
        "need": ids["published_need"], "resource": 1}, fields={"reason": 200}, posts=1, search=False, refusable=False,
        pages=("/matches/?community={c1}",)),
}


def _published_minutes() -> int:
    from forum.deliberations.models import Deliberation

    return db.session.scalar(sa.select(Deliberation.id).where(Deliberation.status == "published")
                             .order_by(Deliberation.id))


def _paper_lines(poll_id) -> dict:
    from forum.voting.models import Poll

    poll = db.session.get(Poll, poll_id)
    return {f"lines-{i}-{key}": value for i, option in enumerate(poll.options)
            for key, value in (("option_id", option.id), ("votes", "1"))}
