"""The status labels of each searchable kind, from the features that declare them."""
import importlib

from forum.search.sources import is_public_status, sources

# Where each kind's STATUS_LABELS live (the first module that has them wins).
LABEL_MODULES = {
    "need": ("forum.lists.needs",),
    "resource": ("forum.lists.resources",),
    "project": ("forum.lists.projects",),
    "activity": ("forum.activities.models",),
    "proposal": ("forum.proposals.services", "forum.proposals.models", "forum.proposals.workflow"),
    "deliberation": ("forum.deliberations.services", "forum.deliberations.models"),
}


def _labels_of(kind: str) -> dict:
    for name in LABEL_MODULES.get(kind, ()):
        try:
            labels = getattr(importlib.import_module(name), "STATUS_LABELS", None)
        except ImportError:
            continue
        if labels:
            return dict(labels)
    return {}


def status_labels() -> dict:
    """kind → {status: label}."""
    return {kind: _labels_of(kind) for kind in LABEL_MODULES}


def status_choices(kind: str | None) -> list[tuple[str, str]]:
    """The statuses a search of `kind` can filter by: its public ones."""
    if kind not in LABEL_MODULES:
        return []
    from forum.core.workflow import REGISTRY

    source = sources()[kind]
    stored = REGISTRY[kind].states if kind in REGISTRY else None  # not "expired", which is worked out
    return [(code, label) for code, label in _labels_of(kind).items()
            if is_public_status(source, code) and (stored is None or code in stored)]
