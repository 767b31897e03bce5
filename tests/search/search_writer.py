"""A separate server process for the outbox tests: it posts needs, then crashes or exits.

python search_writer.py MODE PREFIX COUNT, with the app's settings in FORUM_* variables:
- "kill-after-commit": commit one need, say so, and wait to be killed (no drain after commit);
- "crash-after-index-write": the drain writes the index, then the process dies before it
  deletes the outbox rows;
- "crash-inside-index-write": the process dies in the middle of the whoosh commit;
- "write": post COUNT needs and rename each (draining after each commit), then exit.
"""
import os
import sys
import time

from sqlalchemy import select

from forum import create_app
from forum.accounts.models import User
from forum.extensions import db
from forum.lists import needs


def post(staff, community, title):
    fields = {"title": title, "body": f"{title}，请尽快处理", "category": "facilities", "urgency": 1,
              "compound": None, "location": "", "anonymous": False}
    return needs.create_for_resident(staff, community, "张阿姨", "13712345678", fields, [])


def crash_after(target, name):
    original = getattr(target, name)

    def crashing(*args, **kwargs):
        original(*args, **kwargs)
        os._exit(9)

    setattr(target, name, crashing)


def main(mode, prefix, count):
    app = create_app({"TESTING": True, "SEARCH_DRAIN_AFTER_COMMIT": mode != "kill-after-commit"})
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.phone == "13900000001"))
        community = staff.memberships[0].community
        if mode == "crash-after-index-write":
            crash_after(type(app.extensions["forum_search"].backend), "write")
        elif mode == "crash-inside-index-write":
            import whoosh.writing

            whoosh.writing.SegmentWriter.commit = lambda *a, **k: os._exit(9)
        for n in range(count):
            need = post(staff, community, f"{prefix}{n}号")
            if mode == "write":
                need.title = f"{prefix}{n}号楼"
                db.session.commit()
        print("committed", flush=True)
        if mode == "kill-after-commit":
            time.sleep(120)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
