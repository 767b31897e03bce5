"""The transactional outbox: every flush that changes searchable content adds outbox rows
in the same transaction; after the commit, this process drains them into the index.

The hook is generic: it knows the searchable models from the sources registry (plus the
minutes model, whose published text belongs to its deliberation, users, whose display
name appears on their comments and proposals, and units, whose name appears on their
resources, projects and activities), so no feature calls it.
"""
import logging

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from forum.core.models import utcnow
from forum.search.models import SearchOutbox
from forum.search.sources import is_published_minutes, minutes_model, sources

log = logging.getLogger(__name__)
PENDING = "search_outbox_pending"

_tracked: dict | None = None


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _tracked_models() -> dict:
    """model → function(obj, how) giving the (kind, id) pairs to re-index; how: new/dirty/deleted."""
    global _tracked
    if _tracked is None:
        from forum.accounts.models import User
        from forum.places.models import Unit

        found = {}
        for source in sources().values():
            found[source.model] = (lambda obj, how, s=source:
                                   [(s.kind, obj.id)] if how != "dirty" or _changed(obj, s.watched) else [])
        minutes = minutes_model()
        if minutes is not None:
            found[minutes] = (lambda obj, how: [("deliberation", obj.deliberation_id)]
                              if how == "deleted" or is_published_minutes(obj) else [])
        found[User] = (lambda obj, how: [("user", obj.id)]
                       if how == "dirty" and _changed(obj, ("stored_name", "deleted_at")) else [])
        found[Unit] = lambda obj, how: [("unit", obj.id)] if how == "dirty" and _changed(obj, ("name",)) else []
        _tracked = found
    return _tracked


def changes_in(session) -> list[tuple[str, int]]:
    tracked = _tracked_models()
    keys = []
    for how, objects in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            keys_of = tracked.get(type(obj))
            if keys_of is not None and obj.id is not None:
                keys.extend(key for key in keys_of(obj, how) if key not in keys)
    return keys


@event.listens_for(Session, "after_flush")
def _write_outbox_rows(session, flush_context):
    keys = changes_in(session)
    if keys:
        now = utcnow()
        session.execute(insert(SearchOutbox), [{"kind": kind, "item_id": item_id, "created_at": now}
                                               for kind, item_id in keys])
        session.info[PENDING] = True


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(PENDING, None)


@event.listens_for(Session, "after_commit")
def _drain_after_commit(session):
    """Drain in this process, cheaply: if another process holds the lock it drains for us."""
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    search = current_app.extensions.get("forum_search")
    if search is None or not search.drain_after_commit:
        return
    try:
        search.drain()
    except Exception:  # the commit stands; the rows stay in the outbox for the next drain
        log.exception("search: draining the outbox failed; it will be retried")
