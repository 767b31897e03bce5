"""Open redirects: no `next`, Referer or other target taken from a request leads off the site."""
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from forum.core.security import local_target
from forum.extensions import db

FORUM = Path(__file__).resolve().parents[2] / "forum"

HOSTILE_TARGETS = [
    "//evil.example", "///evil.example", "////evil.example/x", "https://evil.example", "http://evil.example/p",
    "HTTPS://EVIL.EXAMPLE", "https:evil.example", "https:/evil.example", "/\\evil.example", "\\\\evil.example",
    "\\/evil.example", "/\\/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
    " //evil.example", "\t//evil.example", "/\x00/evil.example", "%2F%2Fevil.example", "%2f%2fevil.example",
    "%5C%5Cevil.example", "//evil.example@127.0.0.1", "//127.0.0.1@evil.example",
    "https://localhost.evil.example/", "http://localhost@evil.example/", "ftp://evil.example", "evil.example",
    "//％65vil.example",
]


def browser_destination(location: str, site="http://localhost/") -> tuple[str, str]:
    """Scheme and host a browser would go to for this Location (the URL standard's rules that
    matter here: leading and trailing spaces and control characters are dropped, tabs and
    newlines removed anywhere, and a backslash counts as a slash in http(s) URLs)."""
    url = location.strip("".join(map(chr, range(0x21))))
    url = re.sub(r"[\t\n\r]", "", url).replace("\\", "/")
    parts = urlsplit(urljoin(site, url))
    return parts.scheme, parts.hostname or ""


def assert_stays_on_site(response, fallback: str):
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    assert browser_destination(location) == ("http", "localhost"), location
    assert location == fallback, location


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_the_redirect_check_lets_through_only_plain_paths_of_this_site(target):
    kept = local_target(target)
    assert kept is None or browser_destination(kept) == ("http", "localhost"), (target, kept)


def test_plain_paths_are_kept():
    # Encoded slashes and look-alike dots stay in the path: a browser asks this site for them.
    for path in ("/", "/profile", "/needs/5?tab=comments#c3", "/search?q=电梯 5号楼", "/%2F/evil.example",
                 "/。/evil.example"):
        assert local_target(path) == path and browser_destination(path) == ("http", "localhost")
    assert local_target("http://localhost/needs/1", "http://localhost/") == "/needs/1"


def test_login_never_sends_anyone_off_the_site(client, auth, demo):
    for target in HOSTILE_TARGETS:
        assert_stays_on_site(auth.login(demo.resident.phone, next=target), "/")
        auth.logout()


def test_login_follows_a_local_next_and_an_encoded_hostile_one_falls_back(client, auth, demo):
    assert auth.login(demo.resident.phone, next="/needs/mine").headers["Location"] == "/needs/mine"
    auth.logout()
    for raw in ("%2F%2Fevil.example", "%252F%252Fevil.example", "https%3A%2F%2Fevil.example"):
        page = client.get(f"/auth/login?next={raw}").get_data(as_text=True)
        carried = re.search(r'name="next" value="([^"]*)"', page).group(1)
        assert_stays_on_site(auth.login(demo.resident.phone, next=carried.replace("&amp;", "&")), "/")
        auth.logout()


@pytest.mark.parametrize("endpoint", ["/settings/elder", "/settings/language"])
def test_settings_go_back_only_to_a_page_of_the_site(client, demo, endpoint):
    for target in HOSTILE_TARGETS:
        assert_stays_on_site(client.post(endpoint, data={"next": target, "lang": "en"}), "/")
        if "\n" not in target and "\r" not in target and "\x00" not in target:  # not sendable as a header
            assert_stays_on_site(client.post(endpoint, data={"lang": "en"}, headers={"Referer": target}), "/")


def test_settings_go_back_to_the_page_they_were_changed_on(client, demo):
    response = client.post("/settings/elder", headers={"Referer": "http://localhost/needs/?page=2"})
    assert response.headers["Location"] == "/needs/?page=2"


def test_declining_a_match_goes_back_only_to_a_page_of_the_site(client, auth, demo):
    from forum.lists.models import Need, Resource

    need = db.session.scalar(sa.select(Need).where(Need.community_id == demo.community.id, Need.status == "published"))
    resource = db.session.scalar(sa.select(Resource).where(Resource.status == "available"))
    auth.login(demo.staff.phone)
    for target in ("//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example"):
        response = client.post("/matches/decline", data={"need": need.id, "resource": resource.id, "next": target})
        assert_stays_on_site(response, f"/needs/{need.id}")


def test_accepting_a_new_privacy_notice_goes_back_only_to_a_page_of_the_site(client, auth, demo):
    demo.resident.consent_version = "2000-01"
    db.session.commit()
    auth.login(demo.resident.phone)
    for target in ("//evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"):
        assert_stays_on_site(client.post("/privacy/consent", data={"accept": "y", "next": target}), "/")
        demo.resident.consent_version = "2000-01"
        db.session.commit()
    response = client.post("/privacy/consent", data={"accept": "y", "next": "/needs/mine"})
    assert response.headers["Location"] == "/needs/mine"


def test_the_error_pages_go_back_link_is_never_another_site(client, demo):
    page = client.get("/needs/999999", headers={"Referer": "https://evil.example/x"}).get_data(as_text=True)
    assert "evil.example" not in page
    page = client.get("/needs/999999", headers={"Referer": "http://localhost/needs/?page=2"}).get_data(as_text=True)
    assert 'href="/needs/?page=2"' in page


def test_every_module_that_reads_a_redirect_target_checks_it_with_local_target():
    """A new view that redirects to `next` or the Referer must pass it through
    forum/core/security.local_target (directly or via notifications' is_site_relative)."""
    reads_target = re.compile(r"""request\.(?:form|args|values)\.get\(["'](?:next|return_to|back|target|url)["']"""
                              r"""|\.next\.data|request\.referrer""")
    checked = re.compile(r"\blocal_target\(|\bis_site_relative\(")
    readers = {path.relative_to(FORUM).as_posix(): bool(checked.search(path.read_text(encoding="utf-8")))
               for path in FORUM.rglob("*.py") if reads_target.search(path.read_text(encoding="utf-8"))}
    assert "accounts/views.py" in readers  # the scan finds what it is meant to
    assert all(readers.values()), {path for path, ok in readers.items() if not ok}

