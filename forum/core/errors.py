"""Error pages in the user's language, as full pages or as htmx fragments."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message, back=request.referrer), code


def register_error_handlers(app):
    def handle_http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return error_page(error.code)

    def handle_csrf(error: CSRFError):
        return error_page(400, _("The form has expired or came from another site. "
                                 "Please go back, reload the page and submit again."))

    app.register_error_handler(HTTPException, handle_http)
    # Unhandled exceptions reach handle_http as InternalServerError (Flask logs them).
    app.register_error_handler(CSRFError, handle_csrf)
