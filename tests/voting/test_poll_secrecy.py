"""No query and no page can join a secret ballot to its voter."""
import re

import pytest
import sqlalchemy as sa
from poll_factory import add_poll, cast, option, time_up

from forum.extensions import db
from forum.voting import services
from forum.voting.models import Ballot, BallotChoice, PollVoter

SECRET_TABLES = ("poll_ballot", "poll_ballot_choice")


def _columns(table):
    return {c["name"]: c for c in sa.inspect(db.engine).get_columns(table)}


def test_ballots_have_no_time_no_sequence_and_share_only_the_poll_with_voter_records(app):
    inspector = sa.inspect(db.engine)
    for table in SECRET_TABLES:
        columns = _columns(table)
        assert not [name for name, c in columns.items() if isinstance(c["type"], (sa.DateTime, sa.Date))], table
        assert not [name for name, c in columns.items() if c.get("autoincrement") is True], table
        assert "id" not in columns and "created_at" not in columns
        assert inspector.get_pk_constraint(table)["constrained_columns"][0] == "receipt"
    shared = set(_columns("poll_ballot")) & set(_columns("poll_voter"))
    assert shared == {"poll_id"}
    # The ballot's only way to a person is the voter column of open (roll-call) polls.
    to_users = [fk for fk in inspector.get_foreign_keys("poll_ballot") if fk["referred_table"] == "user"]
    assert [fk["constrained_columns"] for fk in to_users] == [["voter_id"]]
    assert not [fk for fk in inspector.get_foreign_keys("poll_voter") if fk["referred_table"].startswith("poll_b")]


def test_on_sqlite_ballots_have_not_even_a_hidden_row_number(make_sqlite_app):
    app = make_sqlite_app()
    with app.app_context():
        for table in SECRET_TABLES:
            with pytest.raises(sa.exc.OperationalError, match="rowid"):
                db.session.execute(sa.text(f"SELECT rowid FROM {table}"))
            db.session.rollback()


def test_a_secret_ballot_carries_no_voter_and_the_voter_record_no_receipt(demo, make_user):
    people = [make_user(demo.community, verified=True) for _ in range(5)]
    poll = add_poll(demo.community, demo.staff)
    receipts = cast(poll, people, "yes")
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.poll_id == poll.id)).all()
    assert sorted(b.receipt for b in ballots) == sorted(receipts) and {b.voter_id for b in ballots} == {None}
    records = db.session.execute(sa.select(PollVoter.__table__).where(PollVoter.poll_id == poll.id)).all()
    assert {r.user_id for r in records} == {p.id for p in people}
    assert not any(receipt in str(tuple(record)) for record in records for receipt in receipts)


def test_the_published_ballots_are_in_receipt_order_not_the_order_they_were_cast_in(client, demo, make_user):
    people = [make_user(demo.community, verified=True) for _ in range(12)]
    poll = add_poll(demo.community, demo.staff, method="single", options=["甲", "乙", "丙"])
    receipts = [services.vote(p, poll, [poll.options[n % 3].id]) for n, p in enumerate(people)]
    time_up(poll)
    page = client.get(f"/polls/{poll.id}/ballots").get_data(as_text=True)
    shown = re.findall(r"<code>([A-Z0-9-]{14})</code>", page)
    assert shown == sorted(receipts) != receipts
    assert not any(p.display_name in page for p in people)
    stored = db.session.scalars(sa.select(BallotChoice.receipt).where(BallotChoice.poll_id == poll.id)).all()
    assert sorted(stored) == sorted(receipts)


def test_no_page_shows_a_secret_voters_choice(client, auth, demo):
    poll = add_poll(demo.community, demo.staff, method="single", options=["方案甲", "方案乙"])
    services.vote(demo.resident, poll, [option(poll, "方案乙")])
    auth.login(demo.resident.phone)
    mine = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "您已投票。" in mine and "您投的是" not in mine
    time_up(poll)
    auth.login(demo.staff.phone)
    for url in (f"/polls/{poll.id}", f"/polls/{poll.id}/ballots", f"/polls/{poll.id}/results.csv",
                f"/communities/{demo.community.id}/audit"):
        body = client.get(url).get_data(as_text=True)
        assert demo.resident.display_name not in body, url


def test_a_voter_checks_the_receipt_after_the_close(client, demo):
    poll = add_poll(demo.community, demo.staff)
    receipt = services.vote(demo.resident, poll, [option(poll, "no")])
    assert client.get(f"/polls/{poll.id}/ballots").status_code == 404  # published only after the close
    time_up(poll)
    typed = receipt.replace("-", "").lower()
    found = client.get(f"/polls/{poll.id}/ballots?receipt={typed}").get_data(as_text=True)
    assert f"您的选票 {receipt} 已计入：" in found and "<strong>反对</strong>" in found
    missing = client.get(f"/polls/{poll.id}/ballots?receipt=AAAA-BBBB-CCCC").get_data(as_text=True)
    assert "本次表决没有回执码为“AAAA-BBBB-CCCC”的选票" in missing


def test_an_open_poll_publishes_who_voted_what_after_the_close(client, demo):
    poll = add_poll(demo.community, demo.staff, secret=False)
    cast(poll, [demo.resident], "yes")
    cast(poll, [demo.council], "no")
    assert demo.resident.display_name not in client.get(f"/polls/{poll.id}/ballots").get_data(as_text=True)
    time_up(poll)
    page = client.get(f"/polls/{poll.id}/ballots").get_data(as_text=True)
    assert re.search(rf"{demo.resident.display_name}</td>\s*<td>赞成", page)
    assert re.search(rf"{demo.council.display_name}</td>\s*<td>反对", page)
