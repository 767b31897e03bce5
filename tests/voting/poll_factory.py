"""Polls set up through the voting service, open now unless told otherwise, and a way to close them."""
from datetime import timedelta
from decimal import Decimal

from forum.accounts.models import Membership
from forum.core.models import utcnow
from forum.extensions import db
from forum.voting import services, setup
from forum.voting.models import Poll


def add_poll(community, author, *, deliberation=None, proposal=None, method="yes_no", electorate="residents",
             options=(), max_choices=None, secret=True, pass_rule=None, quorum=0, results_live=False,
             opens_in=timedelta(hours=-1), closes_in=timedelta(days=1), compounds=(), proposal_id=None,
             title="是否同意在青松苑北门增设快递柜？") -> Poll:
    now = utcnow().replace(microsecond=0)
    target = setup.Target(community, deliberation=deliberation, proposal=proposal)
    fields = {"title": title, "body": "", "method": method, "options": list(options), "max_choices": max_choices,
              "electorate": electorate, "compound_ids": [c.id for c in compounds], "opens_at": now + opens_in,
              "closes_at": now + closes_in, "results_live": results_live, "quorum_percent": quorum,
              "pass_rule": pass_rule or ("simple_majority" if method == "yes_no" else "plurality"),
              "secret": secret, "proposal_id": proposal_id}
    return setup.create_poll(author, target, fields)


def option(poll: Poll, key_or_label: str) -> int:
    return next(o.id for o in poll.options if key_or_label in (o.key, o.label))


def cast(poll: Poll, voters, key_or_label: str) -> list[str]:
    """Every voter votes for the one option; the receipts."""
    return [services.vote(voter, poll, [option(poll, key_or_label)]) for voter in voters]


def time_up(poll: Poll) -> Poll:
    """Move the poll's closing time into the past (as if its time had come)."""
    poll.opens_at, poll.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(seconds=1)
    db.session.commit()
    return poll


def house(user, community, compound, building, room, area):
    """Give `user` a verified household address in `community`."""
    membership = user.membership_in(community.id) or Membership(user=user, community=community)
    membership.compound, membership.building, membership.room = compound, building, room
    membership.floor_area = Decimal(area) if area is not None else None
    membership.verified_at = membership.verified_at or utcnow()
    db.session.add(membership)
    db.session.commit()
    return user


def add_deliberation(community, author, members, moderators=(), proposals=(), status="open"):
    """A council session with `members` as its participants (and `moderators` among them)."""
    from forum.deliberations.models import Deliberation, Participant

    deliberation = Deliberation(community=community, created_by_id=author.id, kind="residents_council",
                                title="青松社区居民议事会", starts_at=utcnow() - timedelta(hours=1), status=status)
    deliberation.participants = [Participant(user_id=u.id, seat="居民代表", is_moderator=u in moderators)
                                 for u in [*members, *[m for m in moderators if m not in members]]]
    deliberation.proposals = list(proposals)
    db.session.add(deliberation)
    db.session.commit()
    return deliberation


def add_proposal(community, author, title="北门增设快递柜", status="in_deliberation"):
    from forum.proposals.models import Proposal

    proposal = Proposal(community=community, author_id=author.id, title=title, body="", body_html="",
                        category="facilities", status=status)
    db.session.add(proposal)
    db.session.commit()
    return proposal
