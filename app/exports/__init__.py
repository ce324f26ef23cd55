"""Pure writers: rows in, CSV, XLSX or JSON bytes out, streamed, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
formula by Excel or LibreOffice: it is written as text, with a leading `'` (the importer takes
it off again). No XLSX cell is ever a formula. CSV is RFC 4180 (quotes doubled), UTF-8 with a
BOM and `;` as French spreadsheets expect (`,` on request). Every writer yields as it goes:
memory stays flat whatever the number of rows (XLSX rows go to a temporary file first).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


class Euros(int):
    """An amount in cents that a spreadsheet shows in euros (a number, never a float in the
    database: the writers divide by 100 only when they write)."""


Cell = str | int | float | date | Euros | None


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS_START) else value


def _csv_cell(value: Cell, decimal_comma: bool) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, Euros):
        whole, cents = divmod(abs(int(value)), 100)
        text = f"{'-' if value < 0 else ''}{whole}.{cents:02d}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date | datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return safe_text(value)
    return value


def csv_stream(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], delimiter: str = ";"
) -> Iterator[bytes]:
    """The CSV file, line by line: BOM first, CRLF line ends; with `;`, amounts take a decimal
    comma (French spreadsheets), with `,` a decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    decimal_comma = delimiter != ","

    def line(values: Sequence[Cell]) -> bytes:
        writer.writerow([_csv_cell(value, decimal_comma) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield "\ufeff".encode() + line(header)
    for row in rows:
        yield line(row)


def xlsx_stream(
    sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Iterator[bytes]:
    """An XLSX workbook of one sheet with typed cells (dates as dates, amounts as numbers in
    euros), the header row frozen and filterable. Strings are always strings (a text starting
    with `=` would otherwise become a formula). Written in openpyxl's streaming mode to a
    temporary file, then read back in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, name) for name in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    with tempfile.TemporaryFile() as output:
        workbook.save(output)
        output.seek(0)
        while chunk := output.read(CHUNK):
            yield chunk


def _xlsx_cell(sheet, value: Cell):
    cell = WriteOnlyCell(sheet, value=None)
    if isinstance(value, Euros):
        cell.value = int(value) / 100
        cell.number_format = '#,##0.00" €"'
    elif isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    elif isinstance(value, date) and not isinstance(value, datetime):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    else:
        cell.value = value
    return cell


def json_stream(records: Iterable[Mapping], meta: Mapping | None = None) -> Iterator[bytes]:
    """{"data": [records...], "meta": {...}}, one record at a time (dates in ISO form)."""
    yield b'{"data": ['
    for index, record in enumerate(records):
        yield (b",\n" if index else b"\n") + json.dumps(
            record, ensure_ascii=False, default=_json_value
        ).encode()
    yield b'\n], "meta": ' + json.dumps(meta or {}, default=_json_value).encode() + b"}"


def _json_value(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)
