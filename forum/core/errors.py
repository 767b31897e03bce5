"""Error pages in the user's language: a whole page, or for htmx a message above the page."""
import time

from flask import make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import HTTPException

from forum.core.security import local_target
from forum.extensions import htmx, limiter

# htmx puts an error's message into base.html's #alerts (and scrolls to it), whatever
# part of the page the request was meant to update; the rest of the page, with anything
# typed into it, stays as it was.
HTMX_ALERT = {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML show:#alerts:top", "HX-Reselect": "#error-alert"}


def _messages():
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page or take this action.")),
        404: (_("Page not found"), _("The page does not exist or has been removed.")),
        405: (_("Not allowed"), _("This address cannot be used this way.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many attempts"), _("You have tried too many times. Please wait a few minutes and try again.")),
        500: (_("Something went wrong"), _("An error occurred on our side. Please try again later.")),
    }


def error_page(code: int, detail: str | None = None):
    title, message = _messages().get(code, _messages()[500])
    context = {"code": code, "title": title, "message": detail or message,
               "back": local_target(request.referrer, request.host_url)}
    if htmx:
        response = make_response(render_block("errors/error.html", "alert", **context), code)
        response.headers.update(HTMX_ALERT)
    else:
        response = make_response(render_template("errors/error.html", **context), code)
    response.vary.add("HX-Request")
    return response


def _minutes_to_wait() -> int:
    """Until the limit that was hit lets the next request through (Flask-Limiter also sends
    it as the Retry-After header)."""
    limit = limiter.current_limit
    return max(1, round((limit.reset_at - time.time()) / 60)) if limit else 1


def register_error_handlers(app):
    def handle_http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return error_page(error.code)

    def handle_csrf(error: CSRFError):
        return error_page(400, _("The form has expired or came from another site. "
                                 "Please go back, reload the page and submit again."))

    def handle_rate_limit(error: RateLimitExceeded):
        minutes = _minutes_to_wait()
        return error_page(429, ngettext("You have tried too many times. Please wait %(num)d minute and try again.",
                                        "You have tried too many times. Please wait %(num)d minutes and try again.",
                                        minutes))

    app.register_error_handler(HTTPException, handle_http)
    # Unhandled exceptions reach handle_http as InternalServerError (Flask logs them).
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(RateLimitExceeded, handle_rate_limit)
