"""Spreadsheets we write are safe to open: a cell that would be a formula is text with a leading
`'`, no XLSX cell is a formula, CSV quoting round-trips; LibreOffice, the real client, agrees."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.exports import csv_stream, xlsx_stream
from tests.spreadsheets import CSV_FILTER, convert

DANGEROUS = [
    "=1+1",
    "+33 6 12",
    "-2+3",
    "@SUM(A1)",
    "\tonglet",
    "\rretour",
    '=HYPERLINK("http://x")',
]
HEADER = ("Texte", "Nombre", "Date")
ROWS = [(value, 7, date(2024, 3, 1)) for value in DANGEROUS] + [
    ('guillemets "doubles"; point-virgule\nsaut de ligne', 0, None)
]


def csv_text() -> str:
    return b"".join(csv_stream(HEADER, ROWS)).decode("utf-8")


def test_csv_cells_that_could_be_formulas_are_text():
    text = csv_text()
    assert text.startswith("\ufeffTexte;Nombre;Date\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert [row[0] for row in rows[1:8]] == ["'" + value for value in DANGEROUS]
    assert rows[1][2] == "01/03/2024"


def test_csv_quoting_round_trips():
    rows = list(csv.reader(io.StringIO(csv_text().lstrip("\ufeff"), newline=""), delimiter=";"))
    assert rows[-1] == ['guillemets "doubles"; point-virgule\nsaut de ligne', "0", ""]


def test_no_xlsx_cell_is_a_formula():
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_stream("Feuille", HEADER, ROWS)))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    # XML keeps no bare carriage return: it comes back as a line feed.
    expected = ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert [sheet.cell(row=i, column=1).value for i in range(2, 9)] == expected
    assert sheet.cell(row=2, column=3).value.date() == date(2024, 3, 1)


@pytest.mark.libreoffice
def test_libreoffice_reads_our_files_as_text_not_formulas(tmp_path):
    """Both files opened and re-saved by LibreOffice: what it computes is what we wrote."""
    (tmp_path / "export.xlsx").write_bytes(b"".join(xlsx_stream("Feuille", HEADER, ROWS)))
    (tmp_path / "export.csv").write_bytes(b"".join(csv_stream(HEADER, ROWS)))
    convert(tmp_path, "export.xlsx", "--convert-to", f"csv:{CSV_FILTER}")
    convert(tmp_path, "export.csv", f"--infilter={CSV_FILTER}", "--convert-to", "xlsx")

    from_xlsx = (tmp_path / "out" / "export.csv").read_text(encoding="utf-8")
    assert "'=1+1" in from_xlsx and "'=HYPERLINK" in from_xlsx
    assert ";2;" not in from_xlsx and "\n2;" not in from_xlsx  # nothing was computed
    sheet = load_workbook(tmp_path / "out" / "export.xlsx").active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=2, column=1).value == "'=1+1"
