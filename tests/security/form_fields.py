"""Every form of the site and the fields in which people type text, found by looking at the form classes."""
import importlib
import pkgutil

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import forum

DEFAULT_MAX = 2000  # a text field without a Length validator: as much as a comment


def all_forms() -> list[type]:
    """Every FlaskForm subclass defined in the forum package (all its modules imported)."""
    for module in pkgutil.walk_packages(forum.__path__, "forum."):
        if not module.name.endswith("__main__"):  # that one runs the command line
            importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("forum."):
                found.append(sub)
    return sorted(found, key=lambda form: (form.__module__, form.__qualname__))


def form_name(form: type) -> str:
    return f"{form.__module__.removeprefix('forum.')}.{form.__qualname__}"


def _unbound_fields(form: type):
    for name in dir(form):
        value = getattr(form, name, None)
        if isinstance(value, UnboundField):
            yield name, value


def _max_length(unbound: UnboundField) -> int:
    validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
    lengths = [v.max for v in validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(lengths) if lengths else DEFAULT_MAX


def text_fields(form: type, prefix: str = "") -> dict[str, int]:
    """Posted name → longest text it takes, for each field a person types text into.
    Rows of a FieldList appear as name-0-field (the first row stands for all)."""
    found = {}
    for name, unbound in _unbound_fields(form):
        kind = unbound.field_class
        if kind is FieldList:
            inner = unbound.args[0]
            if inner.field_class is FormField:
                found.update(text_fields(inner.args[0], f"{prefix}{name}-0-"))
        elif kind is FormField:
            found.update(text_fields(unbound.args[0], f"{prefix}{name}-"))
        elif issubclass(kind, StringField) and not issubclass(kind, (PasswordField, HiddenField)):
            found[prefix + name] = _max_length(unbound)
    return found
