"""The fixed category codes of needs, resources and proposals (DESIGN.md §2)."""
from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "elderly": _l("Elderly care"),
    "disability": _l("Disability support"),
    "children": _l("Children and youth"),
    "health": _l("Health"),
    "legal": _l("Legal aid"),
    "environment": _l("Environment and sanitation"),
    "facilities": _l("Facilities and repairs"),
    "safety": _l("Safety"),
    "employment": _l("Jobs and business"),
    "culture": _l("Culture, sport and learning"),
    "housing": _l("Housing and property management"),
    "other": _l("Other"),
}


def category_choices(blank=None):
    choices = [(code, label) for code, label in CATEGORIES.items()]
    return ([("", blank)] + choices) if blank else choices
