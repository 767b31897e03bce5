"""The hostile-input corpora of tests/data, and what counts as executable markup on a page.

Pages are judged on the tree a browser would build from them (html5lib follows the HTML
standard's parsing rules), not by searching the text: `&lt;script&gt;` is harmless text,
and `<scr<script>ipt>` only looks broken to a regular expression.
"""
import json
import re
from functools import cache
from pathlib import Path

import html5lib

DATA = Path(__file__).resolve().parents[1] / "data"

# Attributes whose value a browser loads or follows as a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "codebase", "cite",
                  "longdesc", "dynsrc", "lowsrc", "ping", "srcset", "manifest", "xlink:href", "hx-get", "hx-post",
                  "hx-put", "hx-patch", "hx-delete", "archive", "classid", "profile", "usemap", "icon"}
ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "bgsound", "isindex", "xml",
                   "import", "param", "portal", "animate", "set", "handler", "listener", "foreignobject",
                   "animatetransform", "animatemotion"}
SCRIPT_SCHEMES = re.compile(r"^(javascript|vbscript|livescript|mocha|data):", re.I)
# What the site's own templates may carry: its stylesheet, icon and the vendored htmx.
OWN_STATIC = "/static/"
OWN_META = {"viewport", "description", "htmx-config"}


def _naughty_sections() -> list[tuple[str, str]]:
    """(section, string) for every string of blns.txt; lines starting with # are its comments."""
    found, section, previous_was_comment = [], "", False
    for line in (DATA / "blns" / "blns.txt").read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            if not previous_was_comment and line.strip("#\t "):
                section = line.strip("#\t ")
            previous_was_comment = True
            continue
        previous_was_comment = False
        if line:
            found.append((section, line))
    return found


@cache
def naughty_strings() -> tuple[str, ...]:
    return tuple(text for _, text in _naughty_sections())


@cache
def xss_vectors() -> tuple[str, ...]:
    return tuple(entry["vector"] for entry in json.loads((DATA / "owasp-xss" / "vectors.json").read_text("utf-8")))


# Our own: vectors short enough for a 20-character name (the corpora's shortest has 25).
SHORT_PROBES = ("<b onclick=x>", "\"'><b onclick=x>", "<svg onload=alert()>", "javascript:alert()")


@cache
def hostile_sample() -> tuple[str, ...]:
    """Every string of both corpora once, in a fixed order: first our short probes and the
    corpora's short script injections (so even a 20-character field gets some), then the
    OWASP vectors, then the rest of the Big List of Naughty Strings."""
    everything = list(dict.fromkeys(SHORT_PROBES + xss_vectors() + naughty_strings()))
    scripts = {text for section, text in _naughty_sections() if section == "Script Injection"}
    probes = list(SHORT_PROBES) + sorted((t for t in everything if t not in SHORT_PROBES and (
        t in scripts or (len(t) <= 40 and re.search(r"<|javascript:", t, re.I)))), key=len)
    probe_set = set(probes)
    return tuple(probes + [t for t in everything if t not in probe_set])


def _tag(element) -> str:
    return str(element.tag).rsplit("}", 1)[-1].lower()


def _normalised_url(value: str) -> str:
    """As a browser reads a URL: control characters and spaces dropped wherever they are."""
    return re.sub(r"[\x00-\x20\x7f-\xa0]", "", value)


def _attribute_name(name) -> str:
    name = str(name)
    return ("xlink:" + name.rsplit("}", 1)[-1]) if name.startswith("{http://www.w3.org/1999/xlink}") \
        else name.rsplit("}", 1)[-1].lower()


def _element_problems(element, inside_hx_disable: bool) -> list[str]:
    tag, attributes = _tag(element), {_attribute_name(k): v for k, v in element.attrib.items()}
    problems = []
    if tag == "script" and (not attributes.get("src", "").startswith(OWN_STATIC) or (element.text or "").strip()):
        problems.append(f"<script> not ours: {attributes} {element.text!r:.80}")
    if tag in ACTIVE_ELEMENTS:
        problems.append(f"<{tag}> {attributes}")
    if tag == "style":
        problems.append(f"<style> {element.text!r:.80}")
    if tag == "link" and not attributes.get("href", "").startswith(OWN_STATIC):
        problems.append(f"<link> {attributes}")
    if tag == "meta" and ("http-equiv" in attributes or not ("charset" in attributes
                                                            or attributes.get("name") in OWN_META)):
        problems.append(f"<meta> {attributes}")
    if tag == "form" and attributes.get("action") is not None:
        action = _normalised_url(attributes["action"])
        if not (action.startswith("/") and not action.startswith(("//", "/\\"))):
            problems.append(f"<form> posting elsewhere: {attributes['action']!r}")
    for name, value in attributes.items():
        if name.startswith("on") or name.startswith("hx-on") or name.startswith("data-hx-on"):
            problems.append(f"<{tag} {name}={value!r:.80}>")
        elif name in URL_ATTRIBUTES or name.removeprefix("data-") in URL_ATTRIBUTES:
            url = _normalised_url(value)
            if SCRIPT_SCHEMES.match(url) and not (tag == "img" and re.match(r"data:image/(png|gif|jpe?g|webp);", url)):
                problems.append(f"<{tag} {name}={value!r:.80}>")
            if name.startswith(("hx-", "data-hx-")) and not inside_hx_disable and not url.startswith("/"):
                problems.append(f"<{tag} {name}={value!r:.80}> requests another site")
        elif name == "style":  # the site's templates have none, and the CSP blocks inline styles
            problems.append(f"<{tag} style={value!r:.80}>")
        elif name in ("hx-vals", "hx-vars", "hx-headers") and not inside_hx_disable and re.match(r"\s*(js|javascript):", value):
            problems.append(f"<{tag} {name}={value!r:.80}> evaluates script")
    return problems


def executable_markup(html: str, fragment: bool = False) -> list[str]:
    """What in `html` could run script, load active content or send the reader elsewhere
    on its own; an empty list when nothing could."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parseFragment(html) if fragment else parser.parse(html)
    problems = []

    def walk(element, inside_hx_disable):
        if not isinstance(element.tag, str):  # comments
            return
        problems.extend(_element_problems(element, inside_hx_disable))
        inside = inside_hx_disable or "hx-disable" in element.attrib or "data-hx-disable" in element.attrib
        for child in element:
            walk(child, inside)

    if fragment:
        for child in root:
            walk(child, False)
    else:
        walk(root, False)
    return problems
