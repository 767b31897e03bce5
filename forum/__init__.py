"""议事厅: the application factory."""
import logging
from pathlib import Path

from flask import Flask, g, has_request_context, session
from flask_login import current_user

from forum import config as settings
from forum.core import database  # noqa: F401  (registers the SQLite tuning)
from forum.core import page_cache
from forum.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from forum.core.i18n import install_template_gettext, local_time

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    overrides = dict(overrides or {})
    folder = Path(overrides.pop("INSTANCE_PATH", None) or settings.instance_path())
    folder.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(folder),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(settings.from_environment(folder))
    app.config.update(overrides)
    settings.warn_if_unsafe(app.config)
    logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    # Before the blueprints' checks, which a kept page passed when it was made, against the same
    # database and session.
    page_cache.init_app(app)
    _register_blueprints(app)
    _register_template_helpers(app)

    from forum.core.errors import register_error_handlers
    from forum.core.security import secure

    register_error_handlers(app)
    secure(app)

    from forum.cli import forum_cli

    app.cli.add_command(forum_cli)
    return app


def _import_models() -> None:
    """Every model module, so the metadata (and Alembic) sees all tables."""
    import forum.accounts.models  # noqa: F401
    import forum.activities.models  # noqa: F401
    import forum.core.audit  # noqa: F401
    import forum.core.workflow  # noqa: F401
    import forum.deliberations.models  # noqa: F401
    import forum.discussion.models  # noqa: F401
    import forum.lists.models  # noqa: F401
    import forum.matching.models  # noqa: F401
    import forum.minutes.models  # noqa: F401
    import forum.moderation.models  # noqa: F401
    import forum.moderation.words.models  # noqa: F401
    import forum.notifications.models  # noqa: F401
    import forum.outreach.models  # noqa: F401
    import forum.places.models  # noqa: F401
    import forum.proposals.models  # noqa: F401
    import forum.search.models  # noqa: F401
    import forum.voting.models  # noqa: F401


def _init_extensions(app: Flask) -> None:
    from forum.accounts.services import load_session_user

    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_template_gettext(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)


def _select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen is None and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _register_blueprints(app: Flask) -> None:
    from forum.accounts.views import bp as accounts
    from forum.accounts.staff_views import bp as staff
    from forum.activities.views import bp as activities
    from forum.home.views import bp as home
    from forum.lists.need_views import bp as needs
    from forum.lists.photo_views import bp as photos
    from forum.lists.project_views import bp as projects
    from forum.matching.views import bp as matches
    from forum.lists.resource_views import bp as resources
    from forum.notifications.views import bp as notifications
    from forum.discussion.views import bp as discussion
    from forum.proposals.views import bp as proposals
    from forum.deliberations.views import bp as deliberations
    from forum.minutes.views import bp as minutes
    from forum.voting.views import bp as polls
    from forum.search.views import bp as search
    from forum.moderation.views import bp as moderation
    from forum.moderation.words.views import bp as moderation_words
    from forum.privacy.views import bp as privacy
    from forum.outreach.views import bp as outreach
    from forum.api.views import bp as api
    from forum.notifications.mail_views import bp as mail
    from forum.stats.views import bp as stats

    for blueprint in (home, accounts, staff, notifications, needs, photos, projects, matches, resources, activities,
                      discussion, proposals, deliberations, minutes, polls, search, moderation, moderation_words,
                      privacy, stats, outreach, api, mail):
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    from forum.accounts.models import ROLE_LABELS
    from forum.core.audit import LABELS as AUDIT_LABELS
    from forum.core.permissions import can
    from forum.notifications.views import inject_unread_count

    app.context_processor(inject_unread_count)

    @app.context_processor
    def inject():
        return {
            "can": can,
            "elder_mode": _elder_mode(),
            "current_locale": _select_locale(),
            "languages": app.config["LANGUAGES"],
            "role_labels": ROLE_LABELS,
            "audit_labels": AUDIT_LABELS,
        }

    from forum.core.markup import stored_html

    app.jinja_env.filters["safe_html"] = stored_html
    # (value, label) pairs for a select, from model objects: options_of(communities)
    app.jinja_env.globals["options_of"] = lambda items, value="id", label="name": [
        (getattr(item, value), getattr(item, label)) for item in items]
    app.jinja_env.filters["local_time"] = local_time


def _elder_mode() -> bool:
    if "elder_mode" not in g:
        if current_user and current_user.is_authenticated:
            g.elder_mode = current_user.elder_mode
        else:
            g.elder_mode = bool(session.get("elder_mode"))
    return g.elder_mode
