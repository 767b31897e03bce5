"""Real-browser fixtures: Debian's Chromium driven by Playwright, against a live server.

Without Chromium the browser tests skip with the reason, unless FORUM_REQUIRE_BROWSER=1,
where they fail. The server listens on 127.0.0.1 only and stops with the test.

Every page a journey visits is checked with axe-core: before each action a test takes on
it, and on the last page when the test ends (see Page). A page checked once is checked
again only if its DOM changed since (an htmx swap, an opened <details>). Any violation
fails the test.
"""
import functools
import os
import shutil
import threading
import weakref
from io import BytesIO
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
# How long an expectation waits for the page to reach the asserted state (Playwright's default is
# 5 s). A CI machine running the suite on every core plus Chromium has answered an htmx request in
# 6 s; the state asserted is the same, only the patience is longer.
EXPECT_TIMEOUT_MS = 20_000
SCREENSHOTS = Path(__file__).parent / "screenshots"  # every shot, full page, git-ignored
ROOT = Path(__file__).parents[2]
# The README's screenshots (docs/screenshots) are written only when this names their folder (relative
# to the project), so that ordinary runs never rewrite committed files.
README_SCREENSHOTS = os.environ.get("FORUM_SCREENSHOTS")
# axe-core 4.14.1 from the npm registry (MPL-2.0, licence beside it), evaluated inside each page
# through the driver, so the site's CSP stays on. axe.run's defaults: every rule that is not
# experimental (WCAG 2.0/2.1/2.2 A and AA, and axe's best practices); none is switched off.
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
# Runs axe unless the page is unchanged since its last run; a MutationObserver marks it changed.
RUN_AXE = """async () => {
    if (window.__axeClean) return null;
    const found = (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
    window.__axeClean = true;
    if (!window.__axeWatch) {
        window.__axeWatch = new MutationObserver(() => { window.__axeClean = false; });
        window.__axeWatch.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    }
    return found;
}"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


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
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
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


# What a test does to a page that may make it leave the document it shows; each is preceded by a check
# of that document, so no page a journey passes through goes unchecked.
ACTIONS = {"Page": ("click", "dblclick", "tap", "fill", "type", "press", "check", "uncheck", "set_checked",
                    "select_option", "set_input_files", "goto", "reload", "go_back", "go_forward"),
           "Locator": ("click", "dblclick", "tap", "fill", "type", "press", "press_sequentially", "check",
                       "uncheck", "set_checked", "select_option", "set_input_files")}
WATCHED = weakref.WeakKeyDictionary()  # Playwright page -> the Page that checks it


def _checked_first(action):
    @functools.wraps(action)
    def checked_action(self, *args, **kwargs):
        watcher = WATCHED.get(getattr(self, "page", self))
        if watcher is not None:
            watcher.check_current()
        return action(self, *args, **kwargs)
    return checked_action


@pytest.fixture(scope="session", autouse=True)
def _check_before_every_action():
    import playwright.sync_api as sync_api

    with pytest.MonkeyPatch.context() as patch:
        for cls, names in ACTIONS.items():
            for name in names:
                patch.setattr(getattr(sync_api, cls), name, _checked_first(getattr(getattr(sync_api, cls), name)))
        yield


class Page:
    """A phone-sized page that fails the test on any console error (CSP violations too)
    or any failed sub-resource. A page itself may answer 4xx (a form with errors).

    With `check_every_page`, the document on screen is checked with axe before each action
    the test takes on it (a click, typing, `goto`) unless it is unchanged since its last
    check, and `finish()` checks the last one: every page and every htmx state a journey
    passes through is checked.
    """

    def __init__(self, page, base_url, check_every_page=False):
        self.page = page
        self.base_url = base_url
        self.console_errors = []
        self.violations = []
        self.checked = []  # the paths axe ran on, in order
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("response", self._response)
        if check_every_page:
            WATCHED[page] = self

    def _console(self, message):
        # Chromium also logs a 4xx page as "Failed to load resource"; _response judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.console_errors.append(f"{response.status} {response.url}")

    def check_current(self):
        """Run axe on the document on screen (once it has loaded) unless it is unchanged since
        its last check, and fail there on any violation; a navigation that commits meanwhile is
        waited for and checked."""
        from playwright.sync_api import Error

        for attempt in (1, 2):
            try:
                self.page.wait_for_load_state()
                url = self.page.url
                if not url.startswith(self.base_url):
                    return
                if not self.page.evaluate("typeof window.axe !== 'undefined'"):
                    self.page.evaluate(_axe_source())
                found = self.page.evaluate(RUN_AXE)
                break
            except Error as error:
                if attempt == 2 or "context was destroyed" not in str(error):
                    raise
        if found is None:
            return
        self.checked.append(url[len(self.base_url):])
        self.violations += [f"{url}: {v}" for v in found]
        if found:
            raise AssertionError(f"accessibility violations on {url}:\n" + "\n".join(found))

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def shot(self, name, readme=None, full_page=False, at=None):
        """Keep a screenshot of the page, and fail on any accessibility violation axe finds.
        With `readme`, also keep it under that name for the README (see readme_shot)."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        self.assert_accessible()
        if readme:
            self.readme_shot(readme, full_page, at)

    def readme_shot(self, name, full_page=False, at=None):
        """When FORUM_SCREENSHOTS names a folder, keep what a phone shows (390 CSS pixels wide: the
        screen, scrolled to the element `at` if given, or the full page) as a 256-colour PNG there."""
        if not README_SCREENSHOTS:
            return
        from PIL import Image

        if at:
            self.page.locator(at).evaluate("el => { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -12); }")
        png = self.page.screenshot(full_page=full_page, scale="css", animations="disabled", caret="hide")
        folder = ROOT / README_SCREENSHOTS
        folder.mkdir(parents=True, exist_ok=True)
        image = Image.open(BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
        image.save(folder / f"{name}.png", optimize=True)

    def assert_accessible(self):
        self.check_current()
        assert self.violations == [], "accessibility violations:\n" + "\n".join(self.violations)

    def finish(self):
        """Check the page the test ended on; fail on any violation or console error seen."""
        if not self.page.is_closed():
            self.check_current()
        assert self.violations == [], "accessibility violations:\n" + "\n".join(self.violations)
        assert self.console_errors == []

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
    wrapped = Page(context.new_page(), live_server.url, check_every_page=True)
    yield wrapped
    try:
        wrapped.finish()
    finally:
        context.close()
