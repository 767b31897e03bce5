"""Marking strings for translation where they are stored and translated later."""


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (gettext_noop).

    For texts kept in the database, such as notifications, and translated into the
    reader's language when shown.
    """
    return message


# Numeric date patterns (the templates' local_time) as strftime formats: Babel's formatter costs
# about 50 µs a call, a page of 100 comments calls it 100 times; the digits are the same.
NUMERIC_PATTERNS = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "yyyy-MM-dd": "%Y-%m-%d", "HH:mm": "%H:%M",
                    "MM-dd": "%m-%d", "yyyyMMdd": "%Y%m%d"}


def local_time(value, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """`value` (UTC) in the site's time zone, as `pattern` (Babel's date pattern syntax)."""
    from flask_babel import format_datetime, to_user_timezone

    if not value:
        return ""
    numeric = NUMERIC_PATTERNS.get(pattern)
    return to_user_timezone(value).strftime(numeric) if numeric else format_datetime(value, pattern)


def _translations():
    """The request's translations, kept while Flask-Babel's locale object stays the same
    (force_locale and refresh() replace it). Flask-Babel finds them anew for every string
    through `g`'s proxy, some 10 µs; a page of 100 comments translates about 400 strings.
    The app context is read directly (flask.globals._cv_app), as the proxy is the slow part."""
    from flask.globals import _cv_app
    from flask_babel import get_translations

    app_context = _cv_app.get(None)
    if app_context is None:
        return get_translations()
    kept = vars(app_context.g)
    locale = getattr(kept.get("_flask_babel"), "babel_locale", None)
    found = kept.get("_forum_translations")
    if locale is not None and found is not None and found[0] is locale:
        return found[1]
    translations = get_translations()
    kept["_forum_translations"] = (getattr(kept.get("_flask_babel"), "babel_locale", None), translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates' _(), gettext() and ngettext() through `_translations`, called directly (after
    Flask-Babel's init_app). Jinja's own newstyle callables go through Context.call three times
    a string; these keep its behaviour: escaped when autoescaping, always %-formatted."""
    from jinja2 import pass_context
    from markupsafe import Markup

    @pass_context
    def gettext(context, string, **variables):
        text = _translations().ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = _translations().ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
