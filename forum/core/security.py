"""Security headers on every response, trusted reverse proxies, input without NUL characters,
and redirects that stay on the site."""
from urllib.parse import urlsplit

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def secure(app) -> None:
    app.request_class = ForumRequest
    app.after_request(add_security_headers)
    trust_proxies(app)


class WithoutNul(ImmutableMultiDict):
    """Query and form parameters with any NUL character dropped: nobody types one, PostgreSQL
    cannot store one (the request would fail with a 500), and dropping it before anything
    else reads the text means every check sees what is stored."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_drop_nul(key), _drop_nul(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


def _drop_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class ForumRequest(Request):
    parameter_storage_class = WithoutNul


def trust_proxies(app) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from the
    X-Forwarded-For / X-Forwarded-Proto headers they add. Without it the headers are
    ignored: anyone can send them, so trusting them would let a client pick its own
    address and slip past the per-address rate limits."""
    count = app.config.get("PROXY_COUNT") or 0
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def local_target(target: str | None, host_url: str | None = None) -> str | None:
    """`target` as a path on this site, or None when it could lead anywhere else.

    Browsers read `//host`, `/\\host`, `\\\\host` and the same with tabs, newlines or
    other control characters mixed in as another site, so only a plain path is let
    through. A full URL on this site's own `host_url` is turned into its path.
    """
    if not target:
        return None
    if host_url and target.startswith(host_url):
        target = "/" + target[len(host_url):]
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
