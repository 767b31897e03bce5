"""Data for the load benchmark: streets, communities, users, resources, then search_data's items.

    /tmp/venv/bin/python bench/load_data.py FOLDER [--scale reference|small|tiny] [--database-url URL] [--no-index]

reference: 3 streets, 30 communities, 50k users, 20k resources, 100k needs, 10k proposals,
1M comments; small and tiny: a tenth and a hundredth. FOLDER becomes the instance folder (the
SQLite database unless --database-url names an empty PostgreSQL database). The migrations run
first and the demo data goes in (its resident reads the pages); everything else is bulk INSERTs
(bench/search_data.py), with one password hash for all the generated users. Then, through the
site's own models and services: two proposals for the page tests, with 200 and 100 comments,
each all on the first page (the page shows 50 top-level comments with all their replies, so
each has 50 comments and replies for the rest), and one open poll of the verified residents
in every community, for the votes. The ids go to FOLDER/load.json with the time taken.
Afterwards `forum reindex --processes 2` builds the search index (whoosh in FOLDER; with
PostgreSQL the postgres backend's documents). At the reference scale the INSERTs take about a
minute and a half on the 2-core machine; the index takes far longer (see bench/RESULTS.md).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_data import _insert, insert_items, prepared_app, text  # noqa: E402

SCALES = {
    "reference": {"users": 50_000, "resources": 20_000, "needs": 100_000, "proposals": 10_000, "comments": 1_000_000},
    "small": {"users": 5_000, "resources": 2_000, "needs": 10_000, "proposals": 1_000, "comments": 100_000},
    "tiny": {"users": 500, "resources": 200, "needs": 1_000, "proposals": 100, "comments": 10_000},
}
STREETS = ["青松街道", "东湖街道", "南苑街道"]  # the demo's street first
COMMUNITY_NAMES = ["和平", "幸福", "长青", "向阳", "新华", "东风", "建设", "友谊", "红旗", "春晖", "丽景", "锦绣", "学府",
                   "滨江", "花园", "朝阳", "民主", "胜利", "文化", "团结", "永安", "金桥", "桃源", "翠竹", "梅园", "安康",
                   "福园"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "秀英华明国建平志军芳玉兰桂敏静丽强伟磊洋勇艳杰娟涛超霞红春海燕鹏丹辉宇欣晓梅立新浩"
RESOURCE_TITLES = ["周末开放多功能教室", "志愿者陪老人就医", "免费法律咨询", "旧衣物捐赠", "课后作业辅导", "义诊与血压测量",
                   "会议室借用", "电动工具出借", "搬运帮忙", "社区图书角", "理发义剪", "家电维修"]
POLL_OPTIONS = ["楼道照明改造", "增设电动车充电桩", "健身器材更新", "绿化补种"]
PAGE_PROPOSALS = (200, 100)  # comments on each page-test proposal


def name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def add_places_and_people(rng, users: int) -> None:
    from sqlalchemy import select

    from forum.accounts.models import Membership, User
    from forum.accounts.services import hash_password
    from forum.config import PRIVACY_NOTICE_VERSION
    from forum.core.models import utcnow
    from forum.extensions import db
    from forum.places.models import Community, Street

    have = db.session.scalar(select(db.func.count(Community.id)))
    db.session.rollback()  # each read ends before a bulk insert: SQLite has one writer
    _insert(Street.__table__, ({"name": s} for s in STREETS[1:]))
    streets = db.session.scalars(select(Street.id).order_by(Street.id)).all()
    db.session.rollback()
    _insert(Community.__table__, ({"street_id": streets[n % len(streets)], "name": f"{COMMUNITY_NAMES[n]}社区",
                                   "description": "老旧小区与新建小区混合的社区。"} for n in range(30 - have)))
    communities = db.session.scalars(select(Community.id)).all()
    db.session.rollback()
    password = hash_password("bench-pass-2026")  # one hash for all: hashing 50k is minutes of CPU
    now = utcnow()
    _insert(User.__table__, ({"phone": f"137{n:08d}", "display_name": name(rng), "password_hash": password,
                              "consent_version": PRIVACY_NOTICE_VERSION, "consent_at": now} for n in range(users)))
    first = db.session.scalar(select(User.id).where(User.phone == "13700000000"))
    db.session.rollback()
    _insert(Membership.__table__, ({"user_id": first + n, "community_id": rng.choice(communities),
                                    "building": f"{rng.randint(1, 20)}号楼", "room": f"{rng.randint(1, 6)}0{rng.randint(1, 4)}",
                                    "verified_at": now if rng.random() < 0.7 else None} for n in range(users)))


def add_resources(rng, count: int) -> None:
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.core.categories import CATEGORIES
    from forum.extensions import db
    from forum.lists.models import RESOURCE_KINDS, Resource
    from forum.places.models import Community

    communities = db.session.scalars(select(Community.id)).all()
    users = db.session.scalars(select(User.id)).all()
    db.session.rollback()
    _insert(Resource.__table__, ({
        "community_id": rng.choice(communities), "owner_id": rng.choice(users), "title": rng.choice(RESOURCE_TITLES),
        "body": (body := text(rng, rng.randint(1, 4))), "body_html": f"<p>{body}</p>",
        "category": rng.choice(list(CATEGORIES)), "kind": rng.choice(RESOURCE_KINDS),
        "status": "available" if rng.random() < 0.8 else "withdrawn"} for _ in range(count)))


def add_page_proposals(rng) -> dict:
    """Proposals collecting support in the demo's 青松社区, their comments all on the first page."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.core.models import utcnow
    from forum.discussion.models import Comment, Thread
    from forum.discussion.services import PER_PAGE
    from forum.extensions import db
    from forum.places.models import Community
    from forum.proposals.models import Proposal

    community = db.session.scalar(select(Community.id).order_by(Community.id).limit(1))
    author = db.session.scalar(select(User.id).where(User.phone == "13900000002"))
    users = db.session.scalars(select(User.id).limit(5000)).all()
    now = utcnow()
    ids = {}
    for comments in PAGE_PROPOSALS:
        proposal = Proposal(community_id=community, author_id=author, title=f"关于加装电梯的提议（{comments} 条评论）",
                            body=(body := text(rng, 8)), body_html=f"<p>{body}</p>", category="facilities",
                            status="collecting", support_threshold=100_000, collecting_since=now,
                            collecting_until=now + timedelta(days=365))
        db.session.add(proposal)
        db.session.flush()
        thread = Thread(subject_type="proposal", subject_id=proposal.id, community_id=community,
                        comment_count=comments)
        db.session.add(thread)
        db.session.flush()
        top = [Comment(thread_id=thread.id, author_id=rng.choice(users), body=(b := text(rng, 2)),
                       body_html=f"<p>{b}</p>", created_at=now) for _ in range(PER_PAGE)]
        db.session.add_all(top)
        db.session.flush()
        db.session.add_all(Comment(thread_id=thread.id, parent_id=top[n % PER_PAGE].id, author_id=rng.choice(users),
                                   body=(b := text(rng, 1)), body_html=f"<p>{b}</p>", created_at=now)
                           for n in range(comments - PER_PAGE))
        ids[f"proposal_{comments}"] = proposal.id
    db.session.commit()
    return ids


def add_polls() -> list[int]:
    """One open consultation (民意征集) of the verified residents in each community: the load run's votes."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.core.models import utcnow
    from forum.extensions import db
    from forum.places.models import Community
    from forum.voting import setup

    admin = db.session.scalar(select(User).where(User.phone == "13900000000"))
    now = utcnow()
    fields = {"title": "小区公共收益今年优先用在哪里？", "body": "请已核验的居民选择一项，结果公示后由居委会落实。",
              "method": "single", "options": POLL_OPTIONS, "max_choices": None, "electorate": "residents",
              "compound_ids": [], "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=365),
              "results_live": False, "quorum_percent": 0, "pass_rule": "plurality", "secret": True,
              "proposal_id": None}
    return [setup.create_poll(admin, setup.Target(community), dict(fields)).id
            for community in db.session.scalars(select(Community).order_by(Community.id)).all()]


def vacuum_analyze(database_url: str) -> None:
    """What autovacuum does on a site that grew over time: visibility maps and planner statistics.
    (SQLite gets no ANALYZE: the site never runs one, so its planner works without statistics.)"""
    from sqlalchemy import create_engine

    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def build(folder: Path, scale_name: str, database_url=None, index: bool = True) -> dict:
    """Fill FOLDER (and DATABASE_URL) at the scale; returns what load.json records."""
    scale = SCALES[scale_name]
    rng = random.Random(11)
    started = time.perf_counter()
    app = prepared_app(folder, database_url)
    with app.app_context():
        from forum.extensions import db

        add_places_and_people(rng, scale["users"])
        add_resources(rng, scale["resources"])
        insert_items(rng, scale["needs"], scale["proposals"], scale["comments"])
        ids = add_page_proposals(rng)
        polls = add_polls()
        db.engine.dispose()
    inserted = time.perf_counter() - started
    print(f"{scale_name} data in {inserted:.0f} s")
    if index:
        env = {**os.environ, "FORUM_INSTANCE_PATH": str(folder)}
        if database_url:
            env.update(FORUM_DATABASE_URL=database_url, FORUM_SEARCH_BACKEND="postgres")
        subprocess.run([str(Path(sys.executable).parent / "forum"), "reindex", "--processes", "2"], env=env, check=True)
    if database_url:
        vacuum_analyze(database_url)
    record = {"scale": scale_name, **scale, **ids, "polls": polls, "database_url": database_url,
              "insert_seconds": round(inserted), "index_seconds": round(time.perf_counter() - started - inserted)}
    (folder / "load.json").write_text(json.dumps(record, indent=1))
    print(f"search index in {record['index_seconds']} s")
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", choices=SCALES, default="reference")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite in FOLDER")
    parser.add_argument("--no-index", action="store_true", help="leave the search index to be built later")
    args = parser.parse_args()
    if (args.folder / "load.json").exists() or (not args.database_url and (args.folder / "forum.sqlite3").exists()):
        sys.exit(f"{args.folder} already has a database")
    args.folder.mkdir(parents=True, exist_ok=True)
    build(args.folder, args.scale, args.database_url, index=not args.no_index)


if __name__ == "__main__":
    main()
