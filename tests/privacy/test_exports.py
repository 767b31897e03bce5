"""Exports escape what a spreadsheet would run as a formula (CSV injection)."""
import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from forum.core.exports import safe_cell
from forum.core.models import utcnow
from forum.extensions import db
from privacy_scenario import choose, poll


@pytest.mark.parametrize("text", ["=1+1", "+86 139", "-2", "@SUM(A1)", "\tTAB", "\rCR"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["电梯维修", "a=b", "", None, 3, Decimal("-1.5"), 0.5])
def test_everything_else_is_left_alone(value):
    assert safe_cell(value) == ("" if value is None else value)


def test_a_poll_result_export_is_safe_to_open(client, demo, make_user):
    hostile = poll(demo, "=HYPERLINK(\"http://evil.example\",\"点我\")", secret=True, electorate="residents",
                   options=["+1", "-1", "@SUM(A1:A9)", "方案丁"])
    voter = make_user(demo.community, verified=True)
    choose(hostile, voter, "@SUM(A1:A9)")
    hostile.opens_at, hostile.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(f"/polls/{hostile.id}/results.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in cells
    assert {"'+1", "'-1", "'@SUM(A1:A9)", "方案丁"} <= set(cells)
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
