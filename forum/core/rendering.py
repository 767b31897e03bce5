"""Render a whole page, or one named block of it for an htmx request.

A fragment is a block of the page's own template, so the full page and the htmx
update can never drift apart. Responses that can be either vary on HX-Request.
"""
from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from forum.extensions import htmx


def render(template: str, fragment: str | None = None, status: int = 200, **context):
    if fragment and htmx and not htmx.boosted:
        body = render_block(template, fragment, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    if fragment:
        response.vary.add("HX-Request")
    return response
