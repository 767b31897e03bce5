"""Servers for the benchmarks: started in a process group of their own on 127.0.0.1, always stopped."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def serving(command: list[str], url: str, env: dict | None = None, log: Path | None = None, cwd=None):
    """Run `command` (which serves `url`) until the block ends; its whole process group is stopped."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True, cwd=cwd or CHECKOUT)
    try:
        wait_for(url)
        yield process
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
                process.wait(wait)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        if log:
            out.close()


def workers_memory(process) -> list[int]:
    """The resident memory (RSS, MB) of each worker of the server `process` (its child processes)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        sizes.append(int(status.split("VmRSS:")[1].split()[0]) // 1024)
    return sorted(sizes)


# The load benchmark serves every app alike, on 127.0.0.1 only: gunicorn's sync workers, as many
# as its documentation's starting point for the 2-core reference machine, (2 × cores) + 1. (Its
# gthread worker with 2 threads halved the pages' throughput under 4 connections: two threads
# rendering in one process wait on each other for the GIL.)
GUNICORN_SETTINGS = {"worker-class": "sync", "workers": 5}


def gunicorn(bin_dir: Path, app: str, port: int) -> list[str]:
    """The command serving the WSGI `app` ("module:name") with GUNICORN_SETTINGS on 127.0.0.1:`port`."""
    settings = [f"--{name}={value}" for name, value in GUNICORN_SETTINGS.items()]
    return [str(bin_dir / "gunicorn"), f"--bind=127.0.0.1:{port}", *settings, "--no-control-socket",
            "--log-level=warning", app]
