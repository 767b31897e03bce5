"""Lighthouse budgets (DESIGN.md §5) on the demo site: mobile, Debian's Chromium, median of three runs.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--tools FOLDER] [--keep REPORTS_FOLDER]

Installs Lighthouse (pinned) from npm into --tools, outside the checkout, unless it is there
already; prepares `forum demo` in a fresh instance folder and serves it on a free port of
127.0.0.1; starts Chromium headless in a process group of its own; runs Lighthouse with its
mobile defaults (Moto G Power emulation, simulated slow 4G and 4x CPU throttling) --runs times
on each page: the home page, a need, a proposal, a deliberation and the search page, all as an
anonymous visitor. It prints each page's median score in each category and its page weight,
stops Chromium and the server whatever happens, and exits 1 if a page is under budget, listing
the audits that cost it points.

Page weight is the HTML, CSS and JS of a first load, each body gzipped (level 6) as the
reverse proxy in front of a deployment sends it: the demo's development server does not
compress, so what it transfers is the uncompressed size, which is printed beside it. Lighthouse
measures performance on those uncompressed bytes, which can only make its scores lower.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from servers import CHECKOUT, free_port, serving

LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs node 22; Debian 12 and this machine have node 20
BUDGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 90}
WEIGHT_BUDGET_KB = 60
WEIGHED_TYPES = {"Document", "Stylesheet", "Script"}
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Headless as root in a container, and none of the browser's own traffic (updates, sync, field
# trials) during a measurement: mostly chrome-launcher's defaults, which Lighthouse would add
# if it started the browser itself.
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-quic", "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
    "--disable-client-side-phishing-detection", "--disable-domain-reliability", "--metrics-recording-only",
    "--mute-audio", "--password-store=basic", "--disable-hang-monitor", "--disable-ipc-flooding-protection",
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
    "CertificateTransparencyComponentUpdater,AutofillServerCommunication,PrivacySandboxSettings4,RenderDocument",
]
AUDIT_TIMEOUT = 240  # seconds for one Lighthouse run; a busy 2-core machine needs about 30


def install(tools: Path) -> Path:
    """The lighthouse command, installed by npm into `tools` first if it is not there.

    npm installs into a folder beside `tools` that is renamed into place once complete, so an
    interrupted install is never mistaken for a finished one; a failed install is tried again.
    """
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    tools.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        staging = Path(tempfile.mkdtemp(prefix=tools.name + ".", dir=tools.parent))
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(staging),
                               f"lighthouse@{LIGHTHOUSE_VERSION}"], stdout=subprocess.DEVNULL)
        if done.returncode == 0:
            try:
                staging.rename(tools)
            except OSError:  # another run installed it meanwhile
                shutil.rmtree(staging, ignore_errors=True)
            if binary.exists():
                return binary
        shutil.rmtree(staging, ignore_errors=True)
        time.sleep(10 * (attempt + 1))
    sys.exit(f"npm could not install lighthouse@{LIGHTHOUSE_VERSION}")


def first_link(base: str, list_path: str) -> str:
    """The first item a list page links to, e.g. /needs/12 from /needs/."""
    with urllib.request.urlopen(base + list_path, timeout=30) as response:
        page = response.read().decode()
    found = re.search(rf'href="({re.escape(list_path)}\d+)"', page)
    if not found:
        sys.exit(f"no {list_path}<id> link on {list_path}")
    return found.group(1)


def pages(base: str) -> dict[str, str]:
    return {"home": "/", "need": first_link(base, "/needs/"), "proposal": first_link(base, "/proposals/"),
            "deliberation": first_link(base, "/deliberations/"), "search": "/search?q=%E7%94%B5%E6%A2%AF"}  # 电梯


def audit(binary: Path, url: str, chromium_port: int, report: Path) -> dict:
    """One Lighthouse run (mobile, simulated throttling: its defaults) in the running Chromium."""
    command = [str(binary), url, f"--port={chromium_port}", "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=" + ",".join(BUDGETS)]
    for attempt in (1, 2):  # a crashed or hung run is tried once more; a low score is not
        process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        try:
            _, errors = process.communicate(timeout=AUDIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            errors = f"no result after {AUDIT_TIMEOUT} s"
        finally:  # also when this script is interrupted
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.returncode == 0:
            result = json.loads(report.read_text())
            if not result.get("runtimeError") and all(result["categories"][c]["score"] is not None for c in BUDGETS):
                return result
            errors = json.dumps(result.get("runtimeError") or result.get("runWarnings"))
        print(f"    lighthouse run {attempt} on {url} failed: {errors.strip()[-500:]}", file=sys.stderr)
    sys.exit(f"lighthouse could not audit {url}")


def weight_kb(result: dict) -> tuple[dict[str, float], float]:
    """HTML+CSS+JS of the first load: each file gzipped, and all the bytes the demo server sent, in KB."""
    items = [i for i in result["audits"]["network-requests"]["details"]["items"]
             if i.get("resourceType") in WEIGHED_TYPES]
    compressed = {}
    for item in items:
        with urllib.request.urlopen(item["url"], timeout=30) as response:  # no Accept-Encoding: the plain body
            compressed[item["url"].rsplit("/", 1)[-1]] = len(gzip.compress(response.read(), compresslevel=6)) / 1024
    return compressed, sum(i.get("transferSize", 0) for i in items) / 1024


def problems(result: dict, category: str) -> list[str]:
    """The audits that cost `category` points, as Lighthouse titles them."""
    found = []
    for ref in result["categories"][category]["auditRefs"]:
        item = result["audits"][ref["id"]]
        if ref["weight"] and item.get("score") is not None and item["score"] < 1:
            value = f" ({item['displayValue']})" if item.get("displayValue") else ""
            found.append(f"{item['title']}{value}")
    return found


def judge(name: str, path: str, runs: list[dict]) -> bool:
    """Print a page's median scores and weight; list what cost points; True when within budget."""
    scores = {c: [round(r["categories"][c]["score"] * 100) for r in runs] for c in BUDGETS}
    median = {c: statistics.median_low(s) for c, s in scores.items()}
    files, sent_kb = weight_kb(runs[0])
    kb = sum(files.values())
    document = runs[0]["audits"]["network-requests"]["details"]["items"][0]
    all_perf = "/".join(map(str, scores["performance"]))
    print(f"{name:<13}" + "".join(f"{median[c]:>6}" for c in BUDGETS) + f"{kb:>8.1f}{sent_kb:>8.1f}"
          f"  {all_perf:<12}{path}", flush=True)
    within = True
    if runs[0]["finalDisplayedUrl"] != runs[0]["requestedUrl"] or document.get("statusCode") != 200:
        within = False  # a login page or an error page measured in place of the page asked for
        print(f"    answered {document.get('statusCode')} at {runs[0]['finalDisplayedUrl']}")
    for category, budget in BUDGETS.items():
        if median[category] < budget:
            within = False
            run = runs[scores[category].index(median[category])]
            print(f"    {category} {median[category]} < {budget}: " + "; ".join(problems(run, category)))
    if kb >= WEIGHT_BUDGET_KB:
        within = False
        print(f"    page weight {kb:.1f} KB >= {WEIGHT_BUDGET_KB} KB: "
              + "; ".join(f"{name} {size:.1f}" for name, size in files.items()))
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median counts")
    parser.add_argument("--tools", type=Path, help="where npm installs Lighthouse (default: a cache folder)",
                        default=Path.home() / ".cache" / "forum-bench" / f"lighthouse-{LIGHTHOUSE_VERSION}")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args()
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that Chromium and the server are stopped
    for name in [n for n in os.environ if n.startswith("FORUM_")]:
        del os.environ[name]  # the demo gets its own settings only, never a database configured here
    binary = install(args.tools.resolve())
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="forum-lighthouse-") as folder:
        reports = args.keep or Path(folder) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        log = Path(folder) / "server.log"
        # A fresh demo with the rate limits off: Lighthouse reloads each page several times.
        env = {"FORUM_INSTANCE_PATH": str(Path(folder) / "instance"), "FORUM_RATELIMIT_ENABLED": "0"}
        forum = [sys.executable, "-m", "forum", "demo"]
        prepared = subprocess.run([*forum, "--no-serve"], env={**os.environ, **env}, cwd=CHECKOUT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if prepared.returncode:
            sys.exit(prepared.stdout + "\nforum demo --no-serve failed")
        port, chromium_port = free_port(), free_port()
        base = f"http://127.0.0.1:{port}"
        chromium = [CHROMIUM, *CHROMIUM_FLAGS, f"--remote-debugging-port={chromium_port}",
                    f"--user-data-dir={Path(folder) / 'chromium'}", "about:blank"]
        try:
            with serving([*forum, "--port", str(port)], base + "/", env=env, log=log), \
                 serving(chromium, f"http://127.0.0.1:{chromium_port}/json/version", log=Path(folder) / "chromium.log"):
                print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, median of {args.runs} runs; "
                      "KB = HTML+CSS+JS gzipped (budget) and as the demo server sent it")
                print(f"{'page':<13}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'KB':>8}{'sent':>8}  {'perf runs':<12}url")
                for name, path in pages(base).items():
                    runs = [audit(binary, base + path, chromium_port, reports / f"{name}-{n}.json")
                            for n in range(1, args.runs + 1)]
                    verdicts.append(judge(name, path, runs))
        except BaseException:
            if log.exists():
                print("server log (last lines):\n" + "".join(log.read_text().splitlines(True)[-20:]), file=sys.stderr)
            raise
    print(f"budgets: performance >= {BUDGETS['performance']}, accessibility {BUDGETS['accessibility']}, "
          f"best practices {BUDGETS['best-practices']}, SEO >= {BUDGETS['seo']}, page weight < {WEIGHT_BUDGET_KB} KB")
    within = all(verdicts)
    print(("all pages within budget" if within else "UNDER BUDGET") + f" ({time.monotonic() - started:.0f} s)")
    print(f"lighthouse: {verdicts.count(True)} passed, {verdicts.count(False)} failed")  # pages, as a test runner says
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
