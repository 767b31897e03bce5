"""Hostile Markdown in comments never comes back executable."""
import re

import pytest
import sqlalchemy as sa

from forum.core.markup import render_markdown
from forum.discussion import services
from forum.extensions import db
from forum.lists.models import Need

HOSTILE = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "<a href=\"javascript:1\">click</a>",
    "<a href=\" javascript:alert(1)\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">click</a>",
    "<a href=\"x\" onclick=\"alert(1)\">click</a>",
    "<a href=\"x\"onmouseover=alert(1)>click</a>",
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<style>body{display:none}</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<!-- <script>alert(1)</script> -->",
    "<scr<script>ipt>alert(1)</script>",
    "<div><p><b><i><a href=\"https://ok.cn\" style=\"x\">nested</a></i></b></p></div>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<form action=\"https://evil.example\"><button>go</button></form>",
    "<p hx-get=\"/auth/logout\" hx-trigger=\"load\">htmx</p>",
]
EXECUTABLE = re.compile(r"<script|<svg|<math|<style|<iframe|<img|<form|\son\w+=|javascript:|vbscript:|data:|"
                        r"hx-|<!--|style=", re.I)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_never_executable(source):
    html = render_markdown(source)
    assert not EXECUTABLE.search(html), html
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:", "/", "#")) or ":" not in href


def test_content_of_dropped_tags_goes_with_them():
    html = render_markdown("<style>body{display:none}</style><svg><text>svg text</text></svg>visible")
    assert "display" not in html and "svg text" not in html and "visible" in html


def test_links_keep_only_safe_protocols_and_get_nofollow():
    html = render_markdown("[a](https://a.cn) [b](mailto:x@y.cn) [c](tel:12345) [d](ftp://f.cn)")
    assert '<a href="https://a.cn" rel="nofollow noopener">a</a>' in html
    assert 'href="mailto:x@y.cn"' in html and "tel:" not in html and "ftp:" not in html
    assert render_markdown("see http://a.cn").count('rel="nofollow noopener"') == 1


def test_a_hostile_comment_is_stored_clean_and_shown_inside_hx_disable(client, auth, demo):
    need = db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    comment = services.post_comment(demo.resident, need, "\n\n".join(HOSTILE))
    assert "<script" not in comment.body_html and comment.body.startswith("[click]")
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    shown = page.split(f'id="comment-{comment.id}"')[1].split("</article>")[0]
    assert "<div class=\"prose comment-body\" hx-disable>" in shown
    body = shown.split("hx-disable>")[1]
    assert not EXECUTABLE.search(body), body
