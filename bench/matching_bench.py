"""Benchmark of the matching engine: one need against 10,000 resources, one resource
against 20,000 open needs (budgets: 50 ms and 100 ms on the 2-core reference machine).

Run from the checkout, with the project installed:

    .venv/bin/python bench/matching_bench.py [--resources 10000] [--needs 20000] [--runs 60] [--limit 10]

It makes synthetic records, realistic-ish Chinese text built from the words of the
synonym list and everyday fillers (fixed seed), builds the two indexes (jieba's first
load and the IDF table are read before anything is timed), then times `rank_resources`
and `rank_needs` with time.perf_counter over many queries and prints the median and
the 95th percentile. It asserts nothing: the figures go into the notes.
"""
import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum.matching.engine import build_index, rank_needs, rank_resources  # noqa: E402
from forum.matching.records import NeedRecord, ResourceRecord  # noqa: E402
from forum.matching.text import default_analyser  # noqa: E402

CATEGORIES = ["elderly", "disability", "children", "health", "legal", "environment", "facilities",
              "safety", "employment", "culture", "housing", "other"]
KINDS = ["people", "venue", "funds", "goods", "service", "volunteer"]
FILLERS = ["我们", "小区", "最近", "一直", "希望", "能不能", "有没有人", "帮忙", "看看", "每周", "免费",
           "上门", "居民", "需要", "已经", "好几次", "社区", "附近", "晚上", "周末", "家里", "问题",
           "情况", "比较", "特别", "大家", "楼里", "提供", "可以", "预约", "登记", "负责", "定期"]
TODAY = date(2026, 6, 1)


def vocabulary(analyser) -> list[list[str]]:
    """The curated synonym groups: each record talks about a few of them."""
    lexicon = analyser.lexicon
    return [list(words) for key, words in lexicon.members.items() if key.startswith("s")]


def sentence(rng, groups, length) -> str:
    words = []
    for _ in range(length):
        words.append(rng.choice(rng.choice(groups)) if rng.random() < 0.45 else rng.choice(FILLERS))
    return "".join(words) + "。"


def make_records(count, rng, vocab, make):
    records = []
    for i in range(count):
        topics = rng.sample(vocab, 3)
        title = "".join(rng.choice(group) for group in topics[:2]) + rng.choice(["", "的问题", "服务", "求助"])
        body = "".join(sentence(rng, topics, rng.randint(6, 12)) for _ in range(rng.randint(2, 4)))
        records.append(make(i, title, body, rng))
    return records


def resource(i, title, body, rng):
    return ResourceRecord(f"r{i}", title, body, rng.choice(CATEGORIES), rng.choice(KINDS),
                          community_id=rng.randrange(40), street_id=rng.randrange(8),
                          available_until=rng.choice([None, date(2027, 1, 1)]))


def need(i, title, body, rng):
    return NeedRecord(f"n{i}", title, body, rng.choice(CATEGORIES), community_id=rng.randrange(40),
                      street_id=rng.randrange(8), urgency=rng.randint(1, 3), supporters=rng.randrange(30))


def timed(label, queries, rank, index, limit) -> None:
    rank(queries[0], index, today=TODAY, limit=limit)  # warm the analyser's caches
    times, found = [], 0
    for query in queries:
        start = time.perf_counter()
        found += len(rank(query, index, today=TODAY, limit=limit))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
          f"over {len(times)} queries ({found / len(times):.1f} suggestions each on average)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--limit", type=int, default=10, help="suggestions asked for; 0: all above the threshold")
    args = parser.parse_args()

    start = time.perf_counter()
    analyser = default_analyser().load()
    print(f"jieba and the IDF table loaded in {time.perf_counter() - start:.2f} s (not timed below)")
    rng = random.Random(args.seed)
    vocab = vocabulary(analyser)
    resources = make_records(args.resources, rng, vocab, resource)
    needs = make_records(args.needs, rng, vocab, need)

    start = time.perf_counter()
    resource_index = build_index(resources)
    print(f"index of {len(resources)} resources built in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    need_index = build_index(needs)
    print(f"index of {len(needs)} needs built in {time.perf_counter() - start:.2f} s")

    queries = make_records(args.runs, random.Random(args.seed + 1), vocab, need)
    limit = args.limit or None
    timed(f"rank_resources, 1 need against {len(resources)} resources", queries, rank_resources, resource_index, limit)
    offers = make_records(args.runs, random.Random(args.seed + 2), vocab, resource)
    offers = [ResourceRecord(r.id, r.title, r.body, r.category, r.kind, r.community_id, r.street_id) for r in offers]
    timed(f"rank_needs, 1 resource against {len(needs)} open needs", offers, rank_needs, need_index, limit)


if __name__ == "__main__":
    main()
