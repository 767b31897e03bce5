"""FlaskBB beside 议事厅 in the load benchmark: its settings and data. Runs with FlaskBB's own venv.

    /tmp/bench-flaskbb/bin/python bench/flaskbb_site.py FOLDER [--database-url URL] [--topics 2000]
        [--posts 100] [--topics-per-page 20]

Writes FOLDER/flaskbb.cfg and does what `flaskbb install` does (tables, default groups and
settings, an admin, the default plugins' migrations), then adds one category with one forum
of TOPICS topics: TOPICS - 1 of them, one post each, go in as bulk INSERTs of the same
generated Chinese as our data (bench/search_data.py); the newest is saved through FlaskBB's
own models with POSTS posts. Posts per page is set to POSTS, so the whole topic is on one
page, and topics per page to --topics-per-page (our lists show 20). Prints the URLs as JSON.
"""
import argparse
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_data import text, title  # noqa: E402  (stdlib only: FlaskBB's venv can import it)

CONFIG = """SQLALCHEMY_DATABASE_URI = {database!r}
SECRET_KEY = "load-benchmark-flaskbb"
WTF_CSRF_SECRET_KEY = "load-benchmark-flaskbb-csrf"
WHOOSHEE_DIR = {whoosh!r}
USE_DEFAULT_LOGGING = False
DEBUG = False
REDIS_ENABLED = False
"""
POSTERS = 20


def configure(folder: Path, database_url: str | None) -> Path:
    config = folder / "flaskbb.cfg"
    database = database_url or f"sqlite:///{folder / 'flaskbb.sqlite'}"
    config.write_text(CONFIG.format(database=database, whoosh=str(folder / "whoosh")))
    return config


def install(admin_password: str) -> None:
    """What `flaskbb install --force` does, without its prompts and its welcome forum."""
    from flaskbb.extensions import db
    from flaskbb.utils.populate import (create_default_groups, create_default_settings, create_latest_db,
                                        create_user, run_plugin_migrations)

    db.drop_all()
    create_latest_db()
    if db.engine.dialect.name == "postgresql":  # users.password is 120 characters; werkzeug's scrypt hash is longer
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE users ALTER COLUMN password TYPE varchar(255)")
    create_default_groups()
    create_default_settings()
    create_user("admin", admin_password, "admin@example.org", "admin")
    run_plugin_migrations()


def fill(rng, topics: int, posts: int, topics_per_page: int) -> dict:
    from flaskbb.extensions import db
    from flaskbb.forum.models import Category, Forum, Post, Topic
    from flaskbb.management.models import Setting
    from flaskbb.user.models import Group, User

    member = Group.get_member_group()
    users = [User(username=f"居民{n:02d}", password="bench-pass-2026", email=f"r{n}@example.org",
                  primary_group_id=member.id, activated=True).save() for n in range(POSTERS)]
    category = Category(title="社区生活", position=1).save()
    forum = Forum(title="需求与建议", description="居民的需求和建议", category_id=category.id).save()
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    bulk = topics - 1
    rows = []
    for n in range(bulk):
        user = rng.choice(users)
        moment = start + timedelta(minutes=n * 17)
        rows.append({"forum_id": forum.id, "title": title(rng), "user_id": user.id, "username": user.username,
                     "date_created": moment, "last_updated": moment, "post_count": 1})
    db.session.execute(Topic.__table__.insert(), rows)
    first = db.session.scalar(db.select(db.func.min(Topic.id)).where(Topic.forum_id == forum.id))
    db.session.execute(Post.__table__.insert(), [
        {"topic_id": first + n, "user_id": row["user_id"], "username": row["username"],
         "content": text(rng, rng.randint(2, 6)), "date_created": row["date_created"]} for n, row in enumerate(rows)])
    first_post = Post.__table__.c.id
    db.session.execute(Topic.__table__.update().where(Topic.forum_id == forum.id).values(
        first_post_id=db.select(db.func.min(first_post)).where(Post.topic_id == Topic.id).scalar_subquery(),
        last_post_id=db.select(db.func.max(first_post)).where(Post.topic_id == Topic.id).scalar_subquery()))
    forum.topic_count, forum.post_count = bulk, bulk
    db.session.commit()

    topic = Topic(title="关于加装电梯的讨论（100 楼）")
    topic.save(user=users[0], forum=forum, post=Post(content=text(rng, 8)))
    for n in range(posts - 1):
        Post(content=text(rng, rng.randint(1, 3))).save(rng.choice(users), topic)
    Setting.update({"posts_per_page": posts, "topics_per_page": topics_per_page})
    return {"index": "/", "forum": f"/forum/{forum.id}", "topic": f"/topic/{topic.id}",
            "topics": db.session.scalar(db.select(db.func.count(Topic.id))),
            "posts_in_topic": db.session.scalar(db.select(db.func.count(Post.id)).where(Post.topic_id == topic.id))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite in FOLDER")
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--topics-per-page", type=int, default=20)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    config = configure(args.folder, args.database_url)

    from flaskbb import create_app

    app = create_app(str(config))
    with app.app_context():
        install("bench-pass-2026")
        urls = fill(random.Random(5), args.topics, args.posts, args.topics_per_page)
    # The app registers its plugins at start (install's drop_all removed them): here, once, in a
    # process of its own, rather than in two gunicorn workers at once (a unique-name clash).
    subprocess.run([sys.executable, "-c", f"from flaskbb import create_app; create_app({str(config)!r})"],
                   check=True)
    if args.database_url:  # as autovacuum would have, and as bench/load_data.py does for ours
        from sqlalchemy import create_engine

        engine = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()
    (args.folder / "flaskbb.json").write_text(json.dumps(urls))
    print(json.dumps(urls))


if __name__ == "__main__":
    main()
