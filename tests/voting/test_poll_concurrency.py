"""Hundreds voting at the same moment, and one person tapping many times: every vote counted exactly once."""
import threading
from collections import Counter

import sqlalchemy as sa
from poll_factory import add_poll, house, option

from forum.accounts.models import User
from forum.extensions import db
from forum.voting import services
from forum.voting.models import Ballot, BallotChoice, Poll, PollVoter
from forum.voting.results import count


def _race(app, poll_id, votes):
    """`votes`: (user id, option id) pairs; each is cast from its own thread and session, all at once."""
    db.session.rollback()  # the test's own session holds no lock while the threads race
    barrier = threading.Barrier(len(votes))
    outcomes = []

    def worker(user_id, option_id):
        with app.app_context():
            try:
                user, poll = db.session.get(User, user_id), db.session.get(Poll, poll_id)
                user.memberships, poll.options, poll.compounds  # noqa: B018  (load before the start line)
                db.session.commit()  # SQLite: hold no lock while waiting for the others
                barrier.wait(timeout=60)
                services.vote(user, poll, [option_id])
                outcomes.append("ok")
            except services.PollError as error:
                outcomes.append("already" if error.message is services.ALREADY else str(error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=vote) for vote in votes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return Counter(outcomes)


def _stored(poll_id):
    db.session.expire_all()
    voters = db.session.scalar(sa.select(sa.func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll_id))
    ballots = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id))
    choices = db.session.scalar(sa.select(sa.func.count()).select_from(BallotChoice)
                                .where(BallotChoice.poll_id == poll_id))
    return voters, ballots, choices


def test_two_hundred_residents_voting_at_once_are_each_counted_once(app, demo, make_user):
    people = [make_user(demo.community, verified=True) for _ in range(200)]
    poll = add_poll(demo.community, demo.staff)
    keys = ["yes"] * 120 + ["no"] * 50 + ["abstain"] * 30
    outcomes = _race(app, poll.id, [(p.id, option(poll, k)) for p, k in zip(people, keys)])
    assert outcomes == Counter({"ok": 200})
    assert _stored(poll.id) == (200, 200, 200)
    result = count(db.session.get(Poll, poll.id))
    assert [(r.key, r.votes) for r in result.rows] == [("yes", 120), ("no", 50), ("abstain", 30)]
    assert result.ballots == 200


def test_one_person_tapping_vote_many_times_at_once_casts_one_ballot(app, demo):
    poll = add_poll(demo.community, demo.staff)
    outcomes = _race(app, poll.id, [(demo.resident.id, option(poll, k)) for k in ["yes", "no"] * 10])
    assert outcomes == Counter({"ok": 1, "already": 19})
    assert _stored(poll.id) == (1, 1, 1)


def test_a_household_voting_from_two_phones_at_once_casts_one_ballot(app, demo, make_user):
    compound = demo.community.compounds[1]
    family = [house(make_user(demo.community, verified=True), demo.community, compound, "9号楼", "303", "88.00")
              for _ in range(2)]
    poll = add_poll(demo.community, demo.staff, electorate="households")
    outcomes = _race(app, poll.id, [(person.id, option(poll, "yes")) for person in family for _ in range(8)])
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == 16
    assert all(key == "already" or key.startswith("您家（松竹小区 9号楼 303）已经投过票了") for key in outcomes
               if key != "ok")
    assert _stored(poll.id) == (1, 1, 1)
