"""Load benchmark (DESIGN.md §5): our pages beside a bare Flask app and FlaskBB, one gunicorn setting, wrk on loopback.

    /tmp/venv/bin/python bench/load.py [--scale reference] [--databases sqlite,postgres] [--work /tmp/loadbench]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432] [--flaskbb-venv /tmp/bench-flaskbb] [--no-flaskbb]
        [--duration 10] [--warmup 3] [--connections 4] [--votes 8000] [--results bench/RESULTS.md]

For each database: builds the data in WORK once (bench/load_data.py; on PostgreSQL a database
loadbench_SCALE, searched with the postgres backend; on SQLite with whoosh) and FlaskBB's
(bench/flaskbb_site.py, FlaskBB installed into its own venv, never vendored); starts three
servers on 127.0.0.1 with the same gunicorn settings (servers.GUNICORN_SETTINGS): the site,
the bare Flask "hello" app (bench/hello_app.py) and FlaskBB; checks each page once (status,
and that the 200 and 100 comments are all on the proposal pages and the 100 posts on FlaskBB's
topic); then runs wrk on each URL, after warm-up runs until p95 settles, and prints req/s,
the ratio to the bare app (measured first and last, averaged) and p50/p95/p99. Our pages are read as the demo's
logged-in resident 刘桂芳 (FlaskBB's as a guest); the vote is a POST by a different verified
resident each time, each voting once in their community's open poll, and the ballots counted
in the database afterwards are compared with the requests. Rate limits are off for the site
(one address sends every vote). The results replace this database's section of RESULTS.md,
with the machine, the load average before and after, and the command. It asserts nothing.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from servers import CHECKOUT, GUNICORN_SETTINGS, free_port, gunicorn, serving, workers_memory

import load_setup
from load_report import machine, write_section

BENCH = Path(__file__).resolve().parent
OUR_BIN = Path(sys.executable).parent
WARMUP_ROUNDS = 6


def wrk(url: str, seconds: int, connections: int, headers: dict, script: str = "load_report.lua",
        args: tuple = ()) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += [url, *(["--", *args] if args else [])]
    output = subprocess.run(command, cwd=BENCH, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("LOAD "))
    result = json.loads(line[5:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def measure(options, group: str, name: str, base: str, path: str, headers: dict, voters: Path | None = None) -> dict:
    """Warm-up rounds until p95 settles, then the measured run. With VOTERS each run's voters
    follow the ones before: a request cut short at the end of a run may still have been cast,
    so one voter per connection is skipped."""
    first, warmup_requests, previous, runs = 0, 0, None, 1
    for _ in range(2 if voters else WARMUP_ROUNDS):  # a cold start (the search index, opened per thread) is slow
        script = {"script": "load_vote.lua", "args": (str(voters), "1", str(first))} if voters else {}
        warmup = wrk(base + path, options.warmup, options.connections, headers, **script)
        warmup_requests, runs = warmup_requests + warmup["requests"], runs + 1
        first += warmup["requests"] + options.connections
        settled = previous is not None and abs(warmup["p95_us"] - previous) <= 0.25 * previous
        if settled and not warmup["errors"]:
            break
        previous = warmup["p95_us"]
    script = {"script": "load_vote.lua", "args": (str(voters), "1", str(first))} if voters else {}
    result = wrk(base + path, options.duration, options.connections, headers, **script)
    result.update(group=group, page=name, path=path, warmup_requests=warmup_requests, runs=runs,
                  voters_used=first + result["requests"])
    print(f"{group:8} {name:28} {result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:7.1f} ms  "
          f"p95 {result['p95_us'] / 1000:7.1f} ms  p99 {result['p99_us'] / 1000:7.1f} ms  errors {result['errors']}",
          flush=True)
    return result


def fetch(url: str, headers: dict) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def check_pages(base: str, paths: dict, headers: dict, flaskbb_base: str | None, flaskbb: dict | None) -> list[str]:
    """Every page answers 200 and the long discussions are whole on the page measured."""
    notes = []
    for name, path in paths.items():
        status, page = fetch(base + path, headers)
        if status != 200:
            sys.exit(f"{name} {path} answered {status}")
        if name.startswith("proposal"):
            wanted, shown = int(name.split()[1]), len(re.findall(r'id="comment-\d+"', page))
            if shown < wanted:
                sys.exit(f"{path} shows {shown} comments, not {wanted}")
            notes.append(f"{path}: {shown} comments on the page measured (counted as id=\"comment-<id>\" anchors)")
    if flaskbb:
        for path in (flaskbb["index"], flaskbb["forum"], flaskbb["topic"]):
            status, page = fetch(flaskbb_base + path, {"User-Agent": load_setup.USER_AGENT})
            if status != 200:
                sys.exit(f"FlaskBB {path} answered {status}")
        shown = page.count('class="post-box')
        if shown != flaskbb["posts_in_topic"]:
            sys.exit(f"FlaskBB's topic shows {shown} posts, not {flaskbb['posts_in_topic']}")
        notes.append(f"FlaskBB {flaskbb['topic']}: {shown} posts on the page measured (posts_per_page set to "
                     f"{shown}); its forum holds {flaskbb['topics']} topics")
    return notes


def run_database(options, kind: str) -> dict:
    postgres = options.postgres if kind == "postgres" else None
    folder = options.work / f"{options.scale}-{kind}"
    record = load_setup.ensure_data(folder, options.scale, postgres)
    flaskbb = None
    if not options.no_flaskbb:
        venv = load_setup.flaskbb_venv(options.flaskbb_venv)
        flaskbb_folder = options.work / f"flaskbb-{kind}"
        flaskbb = load_setup.ensure_flaskbb_site(venv, flaskbb_folder, postgres)
    app = load_setup.site_app(folder, record["database_url"])
    paths, cookie = load_setup.pages(app, record)
    run = Path(tempfile.mkdtemp(prefix=f"loadbench-{kind}-", dir=options.work))
    load_setup.ensure_voters(app, folder, record, options.votes)
    voters = load_setup.write_voters(app, record["polls"], run / "voters.tsv", options.votes)
    counted_before = load_setup.votes_counted(app, record["polls"])

    env = {"FORUM_INSTANCE_PATH": str(folder), "FORUM_RATELIMIT_ENABLED": "0"}
    if postgres:
        env.update(FORUM_DATABASE_URL=record["database_url"], FORUM_SEARCH_BACKEND="postgres")
    ports = {name: free_port() for name in ("site", "made", "bare", "flaskbb")}
    base = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    reader = {"User-Agent": load_setup.USER_AGENT, "Cookie": cookie}
    guest = {"User-Agent": load_setup.USER_AGENT}
    load_before = os.getloadavg()
    rows = []
    with ExitStack() as stack:
        stack.enter_context(serving(gunicorn(OUR_BIN, "hello_app:app", ports["bare"]), base["bare"] + "/",
                                    log=run / "bare.log", cwd=BENCH))
        servers = {"site": stack.enter_context(serving(gunicorn(OUR_BIN, "wsgi:app", ports["site"]), base["site"] + "/",
                                                       env=env, log=run / "site.log", cwd=CHECKOUT))}
        # The same site with its page cache off: every request makes its page.
        servers["made"] = stack.enter_context(serving(gunicorn(OUR_BIN, "wsgi:app", ports["made"]), base["made"] + "/",
                                                      env={**env, "FORUM_PAGE_CACHE_SECONDS": "0"},
                                                      log=run / "made.log", cwd=CHECKOUT))
        if flaskbb:
            app_spec = f"flaskbb:create_app({str(options.work / f'flaskbb-{kind}' / 'flaskbb.cfg')!r})"
            servers["flaskbb"] = stack.enter_context(serving(
                gunicorn(options.flaskbb_venv / "bin", app_spec, ports["flaskbb"]), base["flaskbb"] + "/",
                log=run / "flaskbb.log", cwd=options.work / f"flaskbb-{kind}"))
        notes = check_pages(base["site"], paths, reader, base["flaskbb"], flaskbb)
        rows.append(measure(options, "bare", "hello (first)", base["bare"], "/", guest))
        for name, path in paths.items():
            rows.append(measure(options, "ours", name, base["site"], path, reader))
        for name, path in paths.items():
            rows.append(measure(options, "made", name, base["made"], path, reader))
        rows.append(measure(options, "ours", "vote", base["site"], "/polls/<id>/vote", guest, run / "voters.tsv"))
        if flaskbb:
            for name, path in (("index", flaskbb["index"]), ("forum, 2000 topics", flaskbb["forum"]),
                               ("topic, 100 posts", flaskbb["topic"])):
                rows.append(measure(options, "flaskbb", name, base["flaskbb"], path, guest))
        rows.append(measure(options, "bare", "hello (last)", base["bare"], "/", guest))
        memory = {name: workers_memory(process) for name, process in servers.items()}
    vote = next(r for r in rows if r["page"] == "vote")
    counted = load_setup.votes_counted(app, record["polls"]) - counted_before
    # wrk counts the responses it read; a request in flight when a run stops may still be counted.
    answered, cut = vote["requests"] + vote["warmup_requests"], vote["runs"] * options.connections
    vote_note = (f"vote: {answered} vote requests answered in {vote['runs']} wrk runs (warm-up and measured), each "
                 f"by a resident who had not voted; {counted} ballots counted in the database (a run that stops "
                 f"leaves up to {options.connections} requests sent but not read: at most {answered + cut}); "
                 f"{voters} residents were ready to vote"
                 + (" — too few: residents were asked again and refused, raise --votes"
                    if vote["voters_used"] > voters else ""))
    (run / "voters.tsv").unlink()
    return {"kind": kind, "record": record, "rows": rows, "notes": notes + [vote_note], "flaskbb": flaskbb,
            "load_before": load_before, "load_after": os.getloadavg(), "server": server_version(kind, record),
            "memory": memory,
            "logs": str(run)}


def server_version(kind: str, record: dict) -> str:
    if kind == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (WAL), search: whoosh"
    from sqlalchemy import create_engine, text

    engine = create_engine(record["database_url"])
    with engine.connect() as conn:
        version = conn.scalar(text("SHOW server_version"))
    engine.dispose()
    return f"PostgreSQL {version} on 127.0.0.1, search: the postgres backend (FORUM_SEARCH_BACKEND=postgres)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="reference", choices=["reference", "small", "tiny"])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--work", type=Path, default=Path("/tmp/loadbench"), help="data folders, kept between runs")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="PostgreSQL server; the script makes its databases loadbench_SCALE and loadbench_flaskbb")
    parser.add_argument("--flaskbb-venv", type=Path, default=Path("/tmp/bench-flaskbb"))
    parser.add_argument("--no-flaskbb", action="store_true")
    parser.add_argument("--duration", type=int, default=10, help="seconds")
    parser.add_argument("--warmup", type=int, default=3, help="seconds")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--votes", type=int, default=8000, help="residents made ready to vote (one vote each)")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    if not (OUR_BIN / "gunicorn").exists():
        sys.exit(f"gunicorn is missing: {OUR_BIN / 'pip'} install -e '.[bench]'")
    options.work.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers' process groups are stopped
    command = " ".join(["python bench/load.py", *sys.argv[1:]])
    for kind in options.databases.split(","):
        started = datetime.now().astimezone()
        result = run_database(options, kind)
        result.update(command=command, started=started, machine=machine(), settings=dict(GUNICORN_SETTINGS),
                      options=vars(options), python=platform.python_version(), seconds=time.time() - started.timestamp())
        write_section(options.results, result)
        print(f"{kind}: written to {options.results}")


if __name__ == "__main__":
    main()
