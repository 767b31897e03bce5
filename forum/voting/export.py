"""A poll's result as CSV (UTF-8 with BOM, so Excel reads the Chinese), safe to open in a spreadsheet."""
import csv
import io

from flask import Response
from flask_babel import gettext as _

from forum.core.exports import safe_cell
from forum.voting.explain import pct


def rows_of(poll, outcome) -> list[list]:
    result = outcome.result
    rows = [[_("Poll"), poll.title], [_("Result"), outcome.sentence], []]
    header = [_("Option"), _("Online ballots"), _("Paper ballots"), _("Total"), _("Share of ballots")]
    if poll.pass_rule == "double_majority":
        header += [_("Floor area in m²"), _("Share of the floor area")]
    rows.append(header)
    for row in result.rows:
        line = [row.label, row.online, row.paper, row.votes, pct(row.share)]
        if poll.pass_rule == "double_majority":
            line += [row.area, pct(row.area_share)]
        rows.append(line)
    rows += [[], [_("Ballots cast"), result.ballots], [_("Of which on paper"), result.paper_ballots],
             [_("Entitled to vote"), result.electorate], [_("Turnout"), pct(result.turnout_share)]]
    return rows


def csv_response(poll, outcome) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows_of(poll, outcome):
        writer.writerow([safe_cell(cell) for cell in row])
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=poll-{poll.id}-result.csv"
    return response
