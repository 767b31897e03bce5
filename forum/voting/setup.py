"""Setting up a poll and changing its rules, which is allowed only until the first ballot."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db
from forum.voting.models import POLL, YES_NO_KEYS, Poll, PollOption
from forum.voting.services import PollError, has_ballots, lock

# What a yes/no poll's options say in the database (pages show them in the reader's language).
YES_NO_STORED = ("赞成", "反对", "弃权")


@dataclass
class Target:
    """What a new poll is attached to: a deliberation, a proposal, or a whole community."""

    community: object
    deliberation: object = None
    proposal: object = None

    @property
    def subject(self):
        return self.deliberation or self.proposal or self.community

    def proposals(self) -> list:
        """The proposals the poll may decide."""
        if self.deliberation is not None:
            return list(self.deliberation.proposals)
        return [self.proposal] if self.proposal is not None else []


def target_of(poll: Poll) -> Target:
    return Target(poll.community, poll.deliberation, None if poll.deliberation else poll.proposal)


def create_poll(user, target: Target, fields: dict) -> Poll:
    ensure(user, "create_poll", target.subject)
    _check(target, fields, is_new=True)
    poll = Poll(community_id=target.community.id, deliberation=target.deliberation, created_by_id=user.id,
                status="open")
    _apply_fields(poll, target, fields)
    db.session.add(poll)
    POLL.start(db.session, poll, user)
    db.session.commit()
    return poll


def update_poll(user, poll: Poll, fields: dict) -> Poll:
    """Change the rules: only while nobody has voted (online or on paper)."""
    ensure(user, "manage_poll", poll)
    poll = lock(poll)
    if poll.is_closed:
        raise PollError("title", _l("This poll has closed; its rules can no longer change."))
    if has_ballots(poll):
        raise PollError("title", _l("Votes have been cast: the rules of this poll can no longer change."))
    target = target_of(poll)
    _check(target, fields, is_new=False)
    _apply_fields(poll, target, fields)
    POLL.apply(db.session, poll, "edit", user)
    db.session.commit()
    return poll


def _apply_fields(poll: Poll, target: Target, fields: dict) -> None:
    from forum.places.models import Compound

    for name in ("title", "method", "electorate", "opens_at", "closes_at", "results_live", "quorum_percent",
                 "pass_rule", "secret"):
        setattr(poll, name, fields[name])
    poll.title = poll.title.strip()
    poll.body = fields.get("body") or ""
    poll.body_html = render_markdown(poll.body)
    poll.max_choices = fields.get("max_choices") if poll.method == "multiple" else 1
    poll.proposal_id = fields.get("proposal_id") or (target.proposal.id if target.proposal else None)
    ids = fields.get("compound_ids") or [] if poll.electorate != "council" else []
    poll.compounds = list(db.session.scalars(select(Compound).where(Compound.id.in_(ids)))) if ids else []
    labels = list(YES_NO_STORED) if poll.method == "yes_no" else fields["options"]
    keys = list(YES_NO_KEYS) if poll.method == "yes_no" else [None] * len(labels)
    poll.options.clear()
    db.session.flush()
    poll.options.extend(PollOption(position=i, label=label, key=key) for i, (label, key) in
                        enumerate(zip(labels, keys)))


def _check(target: Target, fields: dict, is_new: bool) -> None:
    method = fields["method"]
    if method != "yes_no":
        _check_options(method, fields)
    _check_electorate(target, fields)
    _check_rule(method, fields)
    if fields["closes_at"] <= fields["opens_at"]:
        raise PollError("closes_at", _l("Voting must close after it opens."))
    if fields["closes_at"] <= utcnow():
        raise PollError("closes_at", _l("The closing time must be in the future."))
    proposal_id = fields.get("proposal_id")
    if proposal_id and proposal_id not in {p.id for p in target.proposals()}:
        raise PollError("proposal_id", _l("Please choose one of the deliberation’s proposals."))


def _check_options(method: str, fields: dict) -> None:
    options = [o.strip() for o in fields.get("options") or [] if o.strip()]
    if len(options) < 2:
        raise PollError("options", _l("Please give at least two options, one per line."))
    if len(options) > 20:
        raise PollError("options", _l("At most 20 options."))
    if any(len(o) > 100 for o in options):
        raise PollError("options", _l("Each option can have at most 100 characters."))
    if len(set(options)) != len(options):
        raise PollError("options", _l("Two options are the same; please make each one different."))
    fields["options"] = options
    if method == "multiple":
        most = fields.get("max_choices")
        if not most or not 2 <= most <= len(options):
            raise PollError("max_choices", _l("With %(num)d options, a voter may choose from 2 to %(num)d.",
                                              num=len(options)))


def _check_electorate(target: Target, fields: dict) -> None:
    if fields["electorate"] == "council":
        if target.deliberation is None:
            raise PollError("electorate", _l("Only a deliberation’s poll can be put to its council."))
        if not target.deliberation.participants:
            raise PollError("electorate", _l("This deliberation has no participants yet; add the council first."))
    own = {c.id for c in target.community.compounds}
    if any(i not in own for i in fields.get("compound_ids") or []):
        raise PollError("compound_ids", _l("Please choose compounds of this community."))


def _check_rule(method: str, fields: dict) -> None:
    rule = fields["pass_rule"]
    if method == "yes_no" and rule == "plurality":
        raise PollError("pass_rule", _l("A yes/no poll needs a rule for passing, such as more than half."))
    if method != "yes_no" and rule != "plurality":
        raise PollError("pass_rule", _l("A choice poll is decided by the most votes; please choose that rule."))
    if rule == "double_majority":
        if fields["electorate"] != "households":
            raise PollError("pass_rule", _l("双过半 counts households: please choose one ballot per household."))
        if fields["secret"]:
            raise PollError("ballot", _l("双过半 weighs each ballot by the household’s floor area, which would "
                                         "tell whose ballot it is: please choose an open ballot."))
