"""Pure writers: rows in, CSV or XLSX bytes out, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
formula by Excel or LibreOffice: it is written as text, with a leading `'` (the importer takes
it off again). No XLSX cell is ever a formula. CSV is RFC 4180 (quotes doubled), UTF-8 with a
BOM and `;` as French spreadsheets expect; it is streamed, row by row, so memory stays flat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | date | None


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS_START) else value


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return safe_text(value)
    return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The CSV file, line by line: BOM first, `;` separated, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(values: Sequence[Cell]) -> bytes:
        writer.writerow([_csv_cell(value) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield "\ufeff".encode() + line(header)
    for row in rows:
        yield line(row)


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An XLSX workbook of one sheet, written in openpyxl's streaming mode; strings are always
    strings (a text starting with `=` would otherwise become a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xlsx_cell(sheet, value: Cell):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        cell.data_type = "s"
        return cell
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value
