"""Synthetic data for the search benchmark: needs, proposals and comments, bulk-inserted.

    .venv/bin/python bench/search_data.py FOLDER [--needs 100000] [--proposals 10000] [--comments 1000000]
        [--database-url postgresql+psycopg://...]

FOLDER becomes an instance folder (SQLite database, migrated, with the demo street,
communities and accounts); the items go in with plain INSERTs in large batches (no ORM,
so no outbox rows: the benchmark builds the index with a full rebuild). The text is
everyday community Chinese put together from topic phrases, places and fillers with a
fixed seed, so words have the spread of a real site: a few common, most rare.
"""
import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOPICS = [
    "加装电梯", "电梯停运", "电梯维修", "楼道灯不亮", "路灯坏了", "灯泡需要更换", "卫生间漏水", "水管爆裂",
    "屋顶漏水", "下水道堵塞", "停车位紧张", "乱停车", "电动车充电", "飞线充电", "垃圾分类", "垃圾房异味",
    "厨余垃圾", "广场舞噪音", "装修噪音", "宠物狗不拴绳", "流浪猫", "高空抛物", "消防通道被占", "楼道堆物",
    "快递柜", "老年食堂", "助餐点", "独居老人", "代取药", "义诊", "健康讲座", "课后辅导", "四点半课堂",
    "法律咨询", "邻里纠纷", "物业费", "业委会选举", "公共收益", "绿化带", "健身器材", "儿童游乐设施",
    "无障碍坡道", "扶手", "适老化改造", "老旧小区改造", "外墙脱落", "防盗门", "监控探头", "门禁卡",
    "WiFi信号差", "宽带", "燃气管道", "暖气不热", "供水压力低", "二次供水", "水箱清洗", "化粪池",
    "雨污分流", "积水", "井盖松动", "路面坑洼", "树木修剪", "蚊虫", "白蚁", "老鼠", "晾衣架", "自行车棚",
]
PLACES = ["1号楼", "2号楼", "3号楼", "5号楼", "6号楼", "8栋", "12栋", "东门", "南门", "西门", "北门",
          "中心花园", "地下车库", "活动室", "小区广场", "幼儿园门口", "菜市场旁边", "2单元", "3单元"]
FILLERS = ["最近", "一直", "希望社区", "能不能", "帮忙看看", "晚上", "周末", "已经好几次了", "大家都很着急",
           "老人上下楼不方便", "孩子放学", "物业说", "居委会", "反映过", "还没解决", "麻烦尽快处理",
           "建议", "我们楼里", "邻居们", "特别是", "下雨天", "每天早上", "比较危险", "影响休息"]
CATEGORIES = ["elderly", "children", "health", "legal", "environment", "facilities", "safety", "housing", "other"]
NEED_STATUSES = ["published"] * 6 + ["claimed", "in_progress", "resolved", "closed", "submitted", "withdrawn"]
PROPOSAL_STATUSES = ["collecting"] * 4 + ["threshold_met", "in_deliberation", "passed", "done", "declined",
                                          "draft", "withdrawn"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def sentence(rng) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(FILLERS)}{rng.choice(TOPICS)}，{rng.choice(FILLERS)}。"


def text(rng, sentences: int) -> str:
    return "".join(sentence(rng) for _ in range(sentences))


def title(rng) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(TOPICS)}" + rng.choice(["", "的问题", "，请帮忙", "需要处理"])


def _batches(rows, size=20_000):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(table, rows) -> int:
    from forum.extensions import db

    count = 0
    for batch in _batches(rows):
        with db.engine.begin() as conn:
            conn.execute(table.insert(), batch)
        count += len(batch)
    return count


def prepared_app(folder: Path, database_url=None):
    """The app on FOLDER (or DATABASE_URL), migrated, with the demo data."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.demo import seed_demo

    overrides = {"INSTANCE_PATH": str(folder), "TESTING": True, "SEARCH_DRAIN_AFTER_COMMIT": False}
    if database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(overrides)
    with app.app_context():
        upgrade(revision="heads")
        seed_demo()
    return app


def generate(folder: Path, needs: int, proposals: int, comments: int, seed: int = 7, database_url=None) -> None:
    from forum.extensions import db

    app = prepared_app(folder, database_url)
    with app.app_context():
        insert_items(random.Random(seed), needs, proposals, comments)
        db.engine.dispose()


def insert_items(rng, needs: int, proposals: int, comments: int) -> None:
    """Needs, proposals, their threads and comments, spread over every community and user there is."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.discussion.models import Comment, Thread
    from forum.extensions import db
    from forum.lists.models import Need
    from forum.places.models import Community
    from forum.proposals.models import Proposal
    from forum.search.models import SearchOutbox

    communities = db.session.scalars(select(Community.id)).all()
    users = db.session.scalars(select(User.id)).all()
    db.session.rollback()

    def moment(n, total):
        return START + timedelta(seconds=int(n * 86400 * 700 / max(total, 1)))

    started = time.perf_counter()
    _insert(Need.__table__, ({
        "community_id": rng.choice(communities), "author_id": rng.choice(users), "title": title(rng),
        "body": (body := text(rng, rng.randint(2, 6))), "body_html": f"<p>{body}</p>",
        "category": rng.choice(CATEGORIES), "urgency": 1, "anonymous": False,
        "status": rng.choice(NEED_STATUSES), "support_count": rng.randint(0, 30),
        "created_at": moment(n, needs), "updated_at": moment(n, needs)} for n in range(needs)))
    _insert(Proposal.__table__, ({
        "community_id": rng.choice(communities), "author_id": rng.choice(users), "title": "关于" + title(rng),
        "body": (body := text(rng, rng.randint(4, 10))), "body_html": f"<p>{body}</p>",
        "category": rng.choice(CATEGORIES), "status": (status := rng.choice(PROPOSAL_STATUSES)), "support_count": 0,
        "collecting_since": None if status == "draft" else moment(n, proposals),
        "created_at": moment(n, proposals), "updated_at": moment(n, proposals)} for n in range(proposals)))
    first_need = db.session.scalar(select(Need.id).order_by(Need.id.desc()).limit(1)) - needs + 1
    first_proposal = db.session.scalar(select(Proposal.id).order_by(Proposal.id.desc()).limit(1)) - proposals + 1
    db.session.rollback()
    subjects = [("need", first_need + n) for n in range(0, needs, 2)] + \
               [("proposal", first_proposal + n) for n in range(proposals)]
    _insert(Thread.__table__, ({"subject_type": kind, "subject_id": item_id, "community_id": rng.choice(communities),
                                "comment_count": 0, "created_at": START} for kind, item_id in subjects))
    threads = db.session.scalars(select(Thread.id)).all()
    db.session.rollback()
    _insert(Comment.__table__, ({
        "thread_id": rng.choice(threads), "author_id": rng.choice(users),
        "body": (body := text(rng, rng.randint(1, 2))), "body_html": f"<p>{body}</p>",
        "created_at": moment(n, comments)} for n in range(comments)))
    counted = select(db.func.count(Comment.id)).where(Comment.thread_id == Thread.id).scalar_subquery()
    with db.engine.begin() as conn:  # the demo's own rows: the benchmark builds the index whole
        conn.execute(SearchOutbox.__table__.delete())
        conn.execute(Thread.__table__.update().values(comment_count=counted))
    print(f"inserted {needs} needs, {proposals} proposals, {len(subjects)} threads, {comments} comments "
          f"in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite in FOLDER")
    args = parser.parse_args()
    if not args.database_url and (args.folder / "forum.sqlite3").exists():
        sys.exit(f"{args.folder} already has a database")
    args.folder.mkdir(parents=True, exist_ok=True)
    generate(args.folder, args.needs, args.proposals, args.comments, database_url=args.database_url)


if __name__ == "__main__":
    main()
