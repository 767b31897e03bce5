"""Simplified Chinese is complete: every string in the code and templates is translated."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "forum/translations/zh_Hans_CN/LC_MESSAGES"
METHODS = [("forum/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(CATALOGUE / "messages.po", "rb") as f:
        return read_po(f)


def test_every_string_in_the_code_has_a_chinese_translation():
    catalogue = _catalogue()
    untranslated = sorted(
        m for m in _source_messages()
        if catalogue.get(m) is None or not (catalogue.get(m).string if isinstance(catalogue.get(m).string, str)
                                            else all(catalogue.get(m).string))
    )
    assert untranslated == [], "run pybabel extract/update and translate these"


def test_the_compiled_catalogue_matches_the_po_file():
    catalogue = _catalogue()
    with open(CATALOGUE / "messages.mo", "rb") as f:
        compiled = read_mo(f)
    for message in catalogue:
        if message.id:
            assert compiled.get(message.id) is not None, f"{message.id!r}: run pybabel compile"
            compiled_string = compiled.get(message.id).string
            if isinstance(message.string, tuple):
                compiled_string = tuple(compiled_string)
            assert compiled_string == message.string, f"{message.id!r}: run pybabel compile"


def test_no_fuzzy_translations():
    assert [m.id for m in _catalogue() if m.id and m.fuzzy] == []
