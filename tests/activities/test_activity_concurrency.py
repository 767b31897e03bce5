"""Many people tapping 报名 at once for the last places never overbook an activity."""
import threading

from activity_factory import add_activity, signed_up
from forum.accounts.models import User
from forum.activities import services
from forum.activities.models import Activity
from forum.extensions import db


def _race(app, activity_id, user_ids, action):
    """Run `action(user, activity)` for every user in its own thread and session, all at once."""
    db.session.rollback()  # the test's own session holds no lock while the threads race
    barrier = threading.Barrier(len(user_ids))
    results = []

    def worker(user_id):
        with app.app_context():
            try:
                user, activity = db.session.get(User, user_id), db.session.get(Activity, activity_id)
                user.memberships, activity.community  # noqa: B018  (load before the start line)
                db.session.commit()  # SQLite: hold no lock while waiting for the others
                barrier.wait(timeout=30)
                action(user, activity)
                results.append("ok")
            except services.ActivityError as error:
                results.append({id(services.FULL): "full", id(services.ALREADY): "already"}[id(error.message)])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_sign_ups_for_the_last_places_never_exceed_capacity(app, demo, make_user):
    activity = add_activity(demo.community, demo.staff, capacity=5, people=[demo.council, demo.staff])
    people = [make_user(demo.community) for _ in range(8)]
    results = _race(app, activity.id, [p.id for p in people], services.sign_up)
    assert sorted(results) == ["full"] * 5 + ["ok"] * 3
    db.session.expire_all()
    assert len(signed_up(activity)) == 5 and db.session.get(Activity, activity.id).signup_count == 5


def test_the_same_person_tapping_twice_at_once_is_signed_up_once(app, demo):
    activity = add_activity(demo.community, demo.staff, capacity=5)
    results = _race(app, activity.id, [demo.resident.id] * 4, services.sign_up)
    assert sorted(results) == ["already"] * 3 + ["ok"]
    db.session.expire_all()
    assert signed_up(activity) == [demo.resident.id] and db.session.get(Activity, activity.id).signup_count == 1
