"""CSRF: every state-changing route of the app refuses a request without a valid token.

The routes come from the URL map, so a route added later is walked without editing this
file. The token check runs before the view, so any example value in the URL will do.
"""
import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from conftest import DEMO_PASSWORD, csrf_token_from
from security.database_state import changed_tables, database_state

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that take no CSRF token on purpose, and why. With the walk's made-up values they
# must still refuse (404) and change nothing.
CSRF_EXEMPT = {
    "mail.unsubscribe_post": "one-click unsubscribe from an e-mail (RFC 8058): the secret token in the link is the proof",
}
CSRF_MESSAGE = "表单已过期或来源不明"
# What a forged form might say: enough for most views to act on, were the token not checked.
FORGED_FORM = {"title": "伪造的请求标题", "body": "伪造的请求内容，足够长以通过校验的一段文字。", "category": "other",
               "urgency": "1", "community": "1", "lang": "en", "elder_mode": "on", "accept": "y", "reason": "spam",
               "note": "伪造", "display_name": "伪造名字", "option": "1", "words": "伪造词语", "action": "hold",
               "understood": "y", "password": DEMO_PASSWORD, "locked": "1", "rsvp": "yes"}


def state_changing_requests(app) -> list[tuple[str, str, str]]:
    """(method, example URL, endpoint) for every rule that takes POST, PUT, PATCH or DELETE."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            values = {}
            for name, converter in rule._converters.items():
                if isinstance(converter, IntegerConverter):
                    values[name] = 1
                elif isinstance(converter, AnyConverter):
                    values[name] = sorted(converter.items)[0]
                else:
                    values[name] = "need"
            found.append((method, adapter.build(rule.endpoint, values, method=method), rule.endpoint))
    return sorted(found)


def _log_in(client, phone):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"phone": phone, "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 303


@pytest.fixture
def csrf_app(make_app):
    app = make_app(demo=True, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def test_the_walk_finds_the_routes_it_should(csrf_app):
    walked = {endpoint for _, _, endpoint in state_changing_requests(csrf_app)}
    assert {"accounts.login_post", "accounts.logout", "needs.create", "discussion.post_comment", "polls.vote",
            "staff.grant_role", "home.language"} <= walked
    assert len(walked) > 60


@pytest.mark.parametrize("phone", ["13900000000", "13900000004"], ids=["admin", "resident"])
def test_every_state_changing_route_refuses_a_request_without_a_valid_token(csrf_app, phone):
    """Logged in (as the administrator, who may do most things, and as a resident, who may
    support, vote and comment), every such route refuses a forged request three ways — no
    token, and a token from another session in the form or in htmx's header — with the
    Chinese CSRF page, and nothing in the database changes."""
    client = csrf_app.test_client()
    _log_in(client, phone)
    attacker = csrf_app.test_client()  # an attacker's own, valid, token is not this session's
    stolen = csrf_token_from(attacker.get("/auth/login").get_data(as_text=True))
    before = database_state()
    accepted = []
    for method, url, endpoint in state_changing_requests(csrf_app):
        for form, headers in (({}, {}), ({"csrf_token": stolen}, {}), ({}, {"X-CSRFToken": stolen, "HX-Request": "true"})):
            response = client.open(url, method=method, data={**FORGED_FORM, **form}, headers=headers)
            body = response.get_data(as_text=True)
            refused = response.status_code == 404 if endpoint in CSRF_EXEMPT else (
                response.status_code == 400 and CSRF_MESSAGE in body)
            if not refused:
                accepted.append((endpoint, method, url, sorted(form) + sorted(headers), response.status_code))
    assert not accepted, accepted
    assert changed_tables(before, database_state()) == []
    assert client.get("/profile").status_code == 200  # even the logout was refused


def test_only_the_known_routes_are_exempt_from_csrf(csrf_app):
    from forum.extensions import csrf

    exempt = {endpoint for endpoint, view in csrf_app.view_functions.items()
              if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
              or endpoint.partition(".")[0] in csrf._exempt_blueprints}
    assert exempt == set(CSRF_EXEMPT)


def test_a_valid_token_is_accepted_so_the_walk_can_tell(csrf_app):
    client = csrf_app.test_client()
    _log_in(client, "13900000004")
    token = csrf_token_from(client.get("/profile").get_data(as_text=True))
    assert client.post("/settings/elder", data={"elder_mode": "on", "csrf_token": token}).status_code == 303
    assert client.post("/settings/elder", data={"elder_mode": "off"},
                       headers={"X-CSRFToken": token, "HX-Request": "true"}).status_code == 303
