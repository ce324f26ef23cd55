"""Reading the tables people send: CSV as French offices save it (UTF-8 with or without a BOM,
or Windows-1252; `;`, `,` or tab) and XLSX (the first sheet). Anything else is refused with a
message that says what the file is, before a single row is looked at."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from app.domain import DomainError

MAX_ROWS = 20_000
XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls, .doc: the binary Office formats

Value = str | date | None


@dataclass(frozen=True)
class Row:
    line: int  # as the user sees it in the spreadsheet (1-based, the header included)
    values: list[Value]  # stripped strings, dates, or None when empty


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]


def refused(message: object) -> DomainError:
    return DomainError.on("file", message)


def read_table(content: bytes, filename: str = "") -> Table:
    """The table in a CSV or XLSX file; DomainError("file") when it is not one."""
    if not content.strip():
        raise refused(_l("Le fichier est vide."))
    if content.startswith(XLSX_SIGNATURE):
        return _table(_xlsx_rows(content))
    if content.startswith(OLE_SIGNATURE):
        raise refused(
            _l(
                "Ancien format Excel (.xls) : enregistrez le fichier au format .xlsx ou .csv "
                "(Fichier › Enregistrer sous), puis recommencez."
            )
        )
    if b"\x00" in content[:4096]:
        raise refused(_l("Ce fichier n'est pas un tableau (fichier binaire)."))
    text = _decode(content)
    if text.lstrip()[:1] == "<":
        raise refused(
            _l("Ce fichier est une page web (HTML), pas un tableau : exportez-le en CSV ou XLSX.")
        )
    return _table(_csv_rows(text))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> Iterator[list[Value]]:
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell: comma
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        yield [_clean(value) for value in row]


def _xlsx_rows(content: bytes) -> Iterator[list[Value]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise refused(_l("Ce fichier XLSX est illisible ou abîmé.")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_clean(value) for value in row]
    finally:
        workbook.close()


def _clean(value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a cell: 10003456789.0 is an RPPS, not a float
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # written as text by our own export: the value itself
    return text or None


def _table(rows: Iterator[list[Value]]) -> Table:
    header: list[str] | None = None
    data: list[Row] = []
    for line, row in enumerate(rows, 1):
        if header is None:
            if any(value is not None for value in row):
                header = ["" if value is None else str(value) for value in row]
            continue
        if not any(value is not None for value in row):
            continue
        if len(data) >= MAX_ROWS:
            raise refused(
                _l(
                    "Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.",
                    max=MAX_ROWS,
                )
            )
        data.append(Row(line, row + [None] * (len(header) - len(row))))
    if header is None:
        raise refused(_l("Le fichier est vide."))
    return Table(header, data)
