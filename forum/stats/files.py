"""A ledger as a file: an Excel workbook (openpyxl) or a CSV with a BOM, every cell made safe.

Text that a spreadsheet would run as a formula (= + - @, a tab or CR first) is escaped by the
one shared function, forum.core.exports.safe_cell. Times are written in local time: real date
cells in Excel, "YYYY-MM-DD HH:MM" in CSV. The CSV starts with a UTF-8 byte order mark so that
Excel on Windows reads the Chinese.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forum.core import audit
from forum.core.exports import safe_cell
from forum.core.permissions import ensure
from forum.extensions import db

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class LedgerFile:
    data: bytes
    mimetype: str
    filename: str


def _local(value, tz: ZoneInfo):
    """A UTC datetime as the local wall-clock time (spreadsheets have no time zones)."""
    return value.astimezone(tz).replace(tzinfo=None) if isinstance(value, datetime) else value


def _plain(value, tz: ZoneInfo):
    """A cell's value for either format: numbers stay numbers, the rest becomes safe text."""
    if isinstance(value, datetime):
        return _local(value, tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else value
    return safe_cell(value if value is None or isinstance(value, (int, float)) else str(value))


def csv_bytes(columns, rows, tz: ZoneInfo) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(column.header)) for column in columns])
    for row in rows:
        writer.writerow([_plain(value, tz) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value, tz: ZoneInfo):
    if isinstance(value, (datetime, date)):
        cell = WriteOnlyCell(sheet, value=_local(value, tz))
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    return WriteOnlyCell(sheet, value=_plain(value, tz))


def xlsx_bytes(title: str, columns, rows, notes: list[tuple[str, str]], tz: ZoneInfo) -> bytes:
    """The ledger on its first sheet (header row frozen, with filters); what it covers on a second."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=safe_cell(str(column.header)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, tz) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    about = book.create_sheet(_("About this export")[:31])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 50
    for label, value in notes:
        about.append([safe_cell(label), safe_cell(value)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(actor, ledger, scope, period, filters, fmt: str, notes: list[tuple[str, str]], tz: ZoneInfo) -> LedgerFile:
    """The ledger's file for `actor`; a ledger that names people is written to the audit trail
    of each community it covers, with what was exported, before it is handed over."""
    ensure(actor, "download_ledgers", scope.place)
    rows = ledger.rows(actor, scope, period.bounds(tz), filters)
    if fmt == "xlsx":
        data = xlsx_bytes(str(ledger.title), ledger.columns, rows, notes, tz)
    else:
        data = csv_bytes(ledger.columns, rows, tz)
    if ledger.personal:
        detail = f"{ledger.name}.{fmt} {scope.key} {period.start.isoformat()}..{period.end.isoformat()}"
        detail += "".join(f" {key}={value}" for key, value in vars(filters).items() if value)
        for community in scope.communities:
            audit.record(db.session, actor, "ledger.export", community, community_id=community.id, detail=detail)
        db.session.commit()
    name = f"{ledger.title}_{scope.place.name}_{period.start.isoformat()}_{period.end.isoformat()}.{fmt}"
    return LedgerFile(data, FORMATS[fmt], name)
