"""Benchmark of search: index build time, and query latency on 100k needs, 10k proposals
and 1M comments (budget: p95 under 100 ms on whoosh, on the 2-core reference machine).

    .venv/bin/python bench/search_bench.py FOLDER [--needs 100000] [--proposals 10000]
        [--comments 1000000] [--processes 2] [--runs 5] [--no-rebuild] [--backend whoosh]
        [--database-url URL] [--queries Q ...]

FOLDER is an instance folder; when it has no database, bench/search_data.py fills one
first. The index is rebuilt from the database (`forum reindex`, timed), then each
query of QUERIES is run `--runs` times through the search service a page request uses
(visibility checks, counts by type, snippets), as an anonymous visitor and as a
resident; the median and 95th percentile are printed. It asserts nothing: the figures
go into the notes.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = ["电梯", "灯", "漏水", "5号楼", "WiFi", '"加装电梯"', "停车", "垃圾分类", "楼道 灯", "老人 助餐",
           "噪音", "物业费", "电动车充电", "井盖", "3号楼 漏水", "适老化改造", "快递柜", "流浪猫", "白蚁",
           "下水道堵塞"]
FILTERED = [({"kind": "need"}, "电梯"), ({"kind": "comment"}, "漏水"), ({"sort": "newest"}, "停车"),
            ({"kind": "proposal", "status": "collecting"}, "加装电梯"), ({"page": 3}, "灯")]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-rebuild", action="store_true", help="keep the index already built")
    parser.add_argument("--backend", default="whoosh", choices=["whoosh", "postgres"])
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite (filled by bench/search_data.py first)")
    parser.add_argument("--queries", nargs="+", help="time only these queries (unfiltered), each on its own")
    args = parser.parse_args()

    if args.database_url is None and not (args.folder / "forum.sqlite3").exists():
        from search_data import generate

        args.folder.mkdir(parents=True, exist_ok=True)
        generate(args.folder, args.needs, args.proposals, args.comments)

    from flask_login import AnonymousUserMixin
    from sqlalchemy import select

    from forum import create_app
    from forum.accounts.models import User
    from forum.extensions import db
    from forum.search import services

    overrides = {"INSTANCE_PATH": str(args.folder), "TESTING": True, "SEARCH_BACKEND": args.backend}
    if args.database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = args.database_url
    app = create_app(overrides)
    with app.app_context():
        index = app.extensions["forum_search"]
        if not args.no_rebuild:
            started = time.perf_counter()
            count = index.rebuild(processes=args.processes)
            print(f"index build ({args.backend}, {args.processes} processes): {count} documents in "
                  f"{time.perf_counter() - started:.0f} s")
        resident = db.session.scalar(select(User).where(User.phone == "13900000004"))
        db.session.rollback()
        cases = [({}, query) for query in args.queries] if args.queries else [({}, q) for q in QUERIES] + FILTERED
        _time_queries(app, services, {"anonymous": AnonymousUserMixin(), "resident": resident}, args.runs, cases)


def _time_queries(app, services, users, runs, cases):
    with app.test_request_context():
        started = time.perf_counter()
        services.search(users["anonymous"], "楼道", services.SearchFilters())
        print(f"first search of the process (loads jieba and the index's per-segment tables): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")
    for name, user in users.items():
        timings, first, totals = [], [], {}
        for run in range(runs + 1):
            for filters, query in cases:
                with app.test_request_context():
                    started = time.perf_counter()
                    results = services.search(user, query, services.SearchFilters(**filters))
                    elapsed = (time.perf_counter() - started) * 1000
                if run:  # the first round fills the caches: its figures are printed apart
                    timings.append((elapsed, query, filters))
                else:
                    first.append(elapsed)
                totals[(query, str(filters))] = results.total
        values = [t for t, _, _ in timings]
        if len(cases) <= 10:
            for filters, query in cases:
                mine = [t for t, q, f in timings if (q, f) == (query, filters)]
                print(f"{name} {query} {filters or ''}: p50 {statistics.median(mine):.1f} ms, "
                      f"p95 {percentile(mine, 0.95):.1f} ms ({totals[(query, str(filters))]} results)")
        print(f"\n{name}: {len(values)} searches, p50 {statistics.median(values):.1f} ms, "
              f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")
        print(f"  first time each was asked (no decoded posting list kept yet): p50 {statistics.median(first):.1f} ms, "
              f"p95 {percentile(first, 0.95):.1f} ms, max {max(first):.1f} ms")
        slowest = {}
        for elapsed, query, filters in timings:
            key = (query, str(filters))
            slowest[key] = max(slowest.get(key, 0), elapsed)
        for (query, filters), elapsed in sorted(slowest.items(), key=lambda item: -item[1])[:8]:
            print(f"  {query:<10} {filters:<40} slowest {elapsed:7.1f} ms  ({totals[(query, filters)]} results)")


if __name__ == "__main__":
    main()
