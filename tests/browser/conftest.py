"""Real-browser fixtures: Debian's Chromium driven by Playwright, against a live server.

Without Chromium the browser tests skip with the reason, unless FORUM_REQUIRE_BROWSER=1,
where they fail. The server listens on 127.0.0.1 only and stops with the test.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).parent / "screenshots"
# axe-core 4.14.1 from the npm registry (MPL-2.0, licence beside it), run inside each page
# that a test photographs; evaluated through the driver, so the site's CSP stays on.
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"


def _missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("FORUM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FORUM_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(make_app):
    """The site with demo data, served from a thread on 127.0.0.1 with CSRF on."""
    app = make_app(demo=True, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(10)


class Page:
    """A phone-sized page that fails the test on any console error (CSP violations too)
    or any failed sub-resource. A page itself may answer 4xx (a form with errors)."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console_errors = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("response", self._response)

    def _console(self, message):
        # Chromium also logs a 4xx page as "Failed to load resource"; _response judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.console_errors.append(f"{response.status} {response.url}")

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def shot(self, name):
        """Keep a screenshot of the page, and fail on any accessibility violation axe finds."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        self.assert_accessible()

    def assert_accessible(self):
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text())
        violations = self.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""")
        assert violations == [], f"accessibility violations on {self.page.url}"

    def login(self, phone, password="demo-pass-2026"):
        self.goto("/auth/login")
        self.page.fill("#phone", phone)
        self.page.fill("#password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, has_touch=True,
                                  is_mobile=True)
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    context.close()
    assert wrapped.console_errors == []
