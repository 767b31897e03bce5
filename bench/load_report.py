"""The load benchmark's report: the machine, the tables, and this database's section of RESULTS.md."""
import os
import platform
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

P95_BUDGET_MS = 50  # DESIGN.md §5, for list and detail pages
BARE_SHARE = 0.30  # of the bare app's throughput, for the read pages (issue #10)
FLASKBB_PAIRS = [("index", "home"), ("forum, 2000 topics", "need list"), ("topic, 100 posts", "proposal, 100 comments")]
GROUPS = {"made": "ours, page cache off"}
SERVERS = {"site": "ours", "made": "ours with the page cache off", "flaskbb": "FlaskBB"}
FLASKBB_AIM = 20  # our 100-comment proposal against FlaskBB's 100-post topic, both as shares of the bare app
HEADER = """# Load benchmark results

Written by `bench/load.py` (see bench/README.md, "Load"); each database's section is replaced
by the run that measured it. The machine is shared unless the load average says otherwise:
figures taken under load are low and noisy.
"""


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {"cpu": f"{model.group(1) if model else platform.processor()}, {os.cpu_count()} logical CPUs",
            "memory": next((f"{line.split()[1]} total, {line.split()[2]} used" for line in memory
                            if line.startswith("Mem:")), "?"),
            "system": f"{platform.system()} {platform.release()}",
            "wrk": (wrk.stdout + wrk.stderr).split("[")[0].strip(),
            "gunicorn": version("gunicorn"), "flask": version("flask")}


def _ms(us) -> str:
    return f"{us / 1000:.1f}"


def _bare(rows) -> float:
    bare = [r["rps"] for r in rows if r["group"] == "bare"]
    return sum(bare) / len(bare)


def _verdict(row, bare: float) -> str:
    if row["group"] not in ("ours", "made") or row["page"] == "vote":
        return ""
    misses = [what for what, bad in (("p95", row["p95_us"] / 1000 >= P95_BUDGET_MS),
                                     ("throughput", row["rps"] / bare < BARE_SHARE)) if bad]
    return "meets" if not misses else "misses " + " and ".join(misses)


def table(rows) -> list[str]:
    bare = _bare(rows)
    lines = ["| | page | path | req/s | × bare | p50 ms | p95 ms | p99 ms | errors | target |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {GROUPS.get(r['group'], r['group'])} | {r['page']} | `{r['path']}` | {r['rps']:.1f} | {r['rps'] / bare:.3f} | "
                     f"{_ms(r['p50_us'])} | {_ms(r['p95_us'])} | {_ms(r['p99_us'])} | {r['errors']} | "
                     f"{_verdict(r, bare)} |")
    return lines


def flaskbb_table(rows) -> list[str]:
    bare = _bare(rows)
    by = {(r["group"], r["page"]): r for r in rows}
    lines = ["| FlaskBB page | req/s | % of bare | our page | req/s | % of bare | ours ÷ FlaskBB "
             "| page cache off: req/s | ÷ FlaskBB |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    for theirs, ours in FLASKBB_PAIRS:
        t, o, m = by[("flaskbb", theirs)], by[("ours", ours)], by.get(("made", ours))
        made = f"{m['rps']:.1f} | {m['rps'] / t['rps']:.1f}×" if m else "– | –"
        lines.append(f"| {theirs} | {t['rps']:.1f} | {100 * t['rps'] / bare:.2f}% | {ours} | {o['rps']:.1f} | "
                     f"{100 * o['rps'] / bare:.2f}% | {o['rps'] / t['rps']:.1f}× | {made} |")
    return lines


def section(result: dict) -> str:
    kind, m, options = result["kind"], result["machine"], result["options"]
    record = result["record"]
    settings = ", ".join(f"--{k}={v}" for k, v in result["settings"].items())
    lines = [f"## {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}", "",
             f"- Date: {result['started']:%Y-%m-%d %H:%M %Z}, {result['seconds'] / 60:.0f} min in all",
             f"- Command: `{result['command']}` (this database's part of it)",
             f"- Machine: {m['cpu']}; memory {m['memory']}; {m['system']}; Python {result['python']}",
             "- Load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
                 *result["load_before"], *result["load_after"]),
             f"- Database: {result['server']}",
             f"- Data ({record['scale']}): {record['users']:,} users, {record['resources']:,} resources, "
             f"{record['needs']:,} needs, {record['proposals']:,} proposals, {record['comments']:,} comments, "
             f"3 streets, 30 communities; built in {record['insert_seconds']} s of inserts and "
             f"{record['index_seconds']} s of search indexing",
             f"- Servers: gunicorn {m['gunicorn']} {settings}, Flask {m['flask']}, on 127.0.0.1 — the same for the "
             "site, the bare app and FlaskBB; rate limits off for the site",
             f"- Load: {m['wrk']}, 1 thread, {options['connections']} connections; per URL, warm-up runs of "
             f"{options['warmup']} s until p95 settles (within 25% of the run before, at most 6), then "
             f"{options['duration']} s measured; our pages as a logged-in resident, FlaskBB's as a guest", ""]
    lines += table(result["rows"]) + [""]
    if result["flaskbb"]:
        lines += ["FlaskBB 2.2.0 beside our pages (its topic view writes the topic's view counter, a commit on "
                  f"every request; ours write nothing on a read). Aim: our 100-comment proposal at {FLASKBB_AIM}× "
                  "FlaskBB's 100-post topic.", ""] + flaskbb_table(result["rows"]) + [""]
    lines += ["- \"ours\" is the site as it is set up by default: each server process keeps the pages it made "
              "(forum/core/page_cache.py) and gives one again for the same request while the database (and for "
              "search the whoosh index) is unchanged, for at most FORUM_PAGE_CACHE_SECONDS (30 s). wrk asks for "
              "the same page with the same cookies again and again, so after the first request a worker's pages "
              "come from its cache: this measures a page the same reader reads again between two writes (a reload, "
              "back to a list). \"ours, page cache off\" is the same site with "
              "FORUM_PAGE_CACHE_SECONDS=0: every request makes its page (what a reader gets after any write).",
              "- Our discussions keep whole pages of comments as HTML per server process, under the thread's "
              "revision and the reader's standing (forum/discussion/rendering.py): after the warm-up the "
              "proposals' comments come from that store without a comment being loaded; FlaskBB keeps nothing. "
              "Every change to a thread's comments bumps its revision in the same transaction."]
    lines += [f"- {note}" for note in result["notes"]]
    lines += ["- Memory after the run (RSS of each gunicorn worker): " + "; ".join(
        f"{SERVERS.get(name, name)} {', '.join(map(str, sizes))} MB"
        for name, sizes in result["memory"].items())]
    return "\n".join(lines) + "\n"


def write_section(path: Path, result: dict) -> None:
    """Replace this database's section of PATH (or add it), keeping the other's."""
    kind = result["kind"]
    start, end = f"<!-- load:{kind} -->", f"<!-- /load:{kind} -->"
    text = path.read_text() if path.exists() else HEADER
    block = f"{start}\n{section(result)}{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
