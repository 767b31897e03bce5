"""Site-relative URLs that services can build with or without a request (CLI, seeding)."""
from flask import current_app, has_request_context, request, url_for


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def base_url() -> str:
    """The site's public address: FORUM_BASE_URL, else the host this request came to ("" without one)."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else ""


def absolute_url(endpoint: str, **values) -> str:
    """A full URL for QR codes and e-mails, which leave the site."""
    return base_url() + path_for(endpoint, **values)
