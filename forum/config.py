"""Settings read from FORUM_* environment variables, with the embedded defaults."""
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

# Every rate limit of the site, in one place (Flask-Limiter notation). rate_limit("name")
# (forum/core/limits.py) counts "name" per logged-in user and "name_ip" per client address:
# the address limits are looser because a whole compound may share one address (mobile
# carriers' NAT, a community office). Behind a reverse proxy set FORUM_PROXY_COUNT, or
# every resident counts as the proxy's address.
RATE_LIMITS = {
    "login_ip": "20 per 10 minutes",
    "login_phone": "5 per 10 minutes",  # per account tried: guessing one person's password
    "register_ip": "10 per hour",
    "password_change": "10 per hour",
    "password_change_ip": "30 per hour",
    "post_need": "20 per hour",
    "post_need_ip": "100 per hour",
    "support_need": "60 per hour",
    "support_need_ip": "300 per hour",
    "post_resource": "30 per hour",
    "post_resource_ip": "100 per hour",
    "post_activity": "20 per hour",
    "post_activity_ip": "100 per hour",
    "sign_up": "60 per hour",
    "sign_up_ip": "300 per hour",
    "post_project_update": "60 per hour",
    "post_project_update_ip": "200 per hour",
    "post_comment": "30 per hour",
    "post_comment_ip": "150 per hour",
    # proposals
    "post_proposal": "10 per hour",
    "post_proposal_ip": "50 per hour",
    "support_proposal": "60 per hour",
    "support_proposal_ip": "300 per hour",
    # voting
    "vote": "60 per hour",
    "vote_ip": "300 per hour",
    "set_up_poll": "30 per hour",
    "set_up_poll_ip": "100 per hour",
    # moderation: reports
    "report_content": "20 per hour",
    "report_content_ip": "60 per hour",
    # privacy: 下载我的数据 builds a whole archive; deleting asks for the password
    "download_own_data": "5 per hour",
    "download_own_data_ip": "20 per hour",
    "delete_account": "10 per hour",
    "delete_account_ip": "30 per hour",
    # stats: the figures and the ledgers (台账) are counted from the whole period at once
    "view_stats": "120 per hour",
    "view_stats_ip": "600 per hour",
    "export_ledger": "60 per hour",
    "export_ledger_ip": "200 per hour",
    # outreach: following items, e-mail settings
    "follow": "120 per hour",
    "follow_ip": "600 per hour",
    "email_settings": "20 per hour",
    "email_settings_ip": "60 per hour",
}

PRIVACY_NOTICE_VERSION = "2026-11"


def _env(name, default=None):
    return os.environ.get(f"FORUM_{name}", default)


def _flag(name, default):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path() -> Path:
    """The instance folder: FORUM_INSTANCE_PATH, else ./instance beside the checkout."""
    configured = _env("INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    return (Path(__file__).resolve().parent.parent / "instance").resolve()


def load_secret_key(folder: Path) -> tuple[str, bool]:
    """FORUM_SECRET_KEY, or a key generated once and kept in the instance folder.

    Returns the key and whether it was configured explicitly.
    """
    configured = _env("SECRET_KEY")
    if configured:
        return configured, True
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip(), False
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key, False


def from_environment(folder: Path) -> dict:
    """The application settings; tests pass overrides on top of these."""
    secret_key, key_configured = load_secret_key(folder)
    database_url = _env("DATABASE_URL", f"sqlite:///{folder / 'forum.sqlite3'}")
    return {
        "SECRET_KEY": secret_key,
        "SECRET_KEY_CONFIGURED": key_configured,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Photos: files in the instance folder, or the database when servers share only it.
        "PHOTO_STORAGE": _env("PHOTO_STORAGE", "database" if database_url.startswith("postgresql") else "files"),
        # Search: a whoosh index beside the database, or PostgreSQL full text search (several servers).
        "SEARCH_BACKEND": _env("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_PATH": _env("SEARCH_INDEX_PATH", str(folder / "search-index")),
        "SEARCH_DRAIN_AFTER_COMMIT": _flag("SEARCH_DRAIN_AFTER_COMMIT", True),
        # Rate-limit counts: per process in memory, or shared by every server process in Redis.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI") or _env("REDIS_URL") or "memory://",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: count in memory, not fail
        # Reverse proxies in front of the site whose X-Forwarded-For / -Proto are trusted.
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        # Whole pages kept per server process for a repeated request while the database is
        # unchanged (forum/core/page_cache.py): how long at most (the clock is not in the key), 0 = off.
        "PAGE_CACHE_SECONDS": int(_env("PAGE_CACHE_SECONDS", "30")),
        "PAGE_CACHE_PAGES": int(_env("PAGE_CACHE_PAGES", "100")),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATE_LIMITS": dict(RATE_LIMITS),
        "SESSION_COOKIE_SECURE": _flag("SECURE_COOKIES", True),
        "REMEMBER_COOKIE_SECURE": _flag("SECURE_COOKIES", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": {"zh_CN": "简体中文", "en": "English"},
        "PASSWORD_HASH_METHOD": _env("PASSWORD_HASH_METHOD", "scrypt"),
        "PRIVACY_NOTICE_VERSION": PRIVACY_NOTICE_VERSION,
        # minutes: how many days the attendees may comment on draft minutes (征求意见期)
        "MINUTES_COMMENT_DAYS": int(_env("MINUTES_COMMENT_DAYS", "3")),
        # outreach: the site's public address for QR codes and e-mail links (else the request's host)
        "BASE_URL": (_env("BASE_URL") or "").rstrip("/"),
        # e-mail notifications: only when FORUM_SMTP_HOST is set (forum/notifications/mail.py)
        "SMTP_HOST": _env("SMTP_HOST", ""),
        "SMTP_PORT": int(_env("SMTP_PORT") or 0),
        "SMTP_USER": _env("SMTP_USER", ""),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        "SMTP_FROM": _env("SMTP_FROM", ""),
        "SMTP_TLS": _env("SMTP_TLS", "starttls"),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_I18N_ENABLED": True,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


def warn_if_unsafe(config: dict) -> None:
    """A production start should not rely on a key generated on the fly."""
    if not config.get("SECRET_KEY_CONFIGURED") and not config.get("TESTING") and not config.get("DEMO"):
        log.warning(
            "FORUM_SECRET_KEY is not set: using a key generated in the instance folder. "
            "Set FORUM_SECRET_KEY for a production deployment."
        )
