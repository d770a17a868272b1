"""Study files as people have them, turned into the CSV the study loader reads: a CSV
with ``,`` or ``;`` between cells and a decimal point or comma (a Norwegian spreadsheet
export), UTF-8 with or without a byte-order mark, or an XLSX workbook (its first
sheet). What was detected is said in words, so the planner knows how the file was read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, time

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from logistics.errors import InputError, Problem

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


@dataclass(frozen=True)
class ReadUpload:
    """An uploaded table as comma-separated UTF-8 CSV text, and how it was read."""

    text: str
    note: str


def read_upload(body: bytes, file_name: str) -> ReadUpload:
    """The body as CSV text: an XLSX workbook (by its zip signature) or a CSV text
    whose separator and decimal mark are detected; an :class:`InputError` naming the
    file when it is neither."""
    if body.startswith(ZIP_MAGIC):
        return _from_workbook(body, file_name)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([Problem(file_name, f"byte {error.start}", "encoding", "not UTF-8",
                                  "a UTF-8 CSV file or an XLSX workbook")]) from None
    return _from_csv(text)


def _from_csv(text: str) -> ReadUpload:
    """Comma-separated text as it is; ``;``-separated text rewritten with commas and
    its decimal commas as points."""
    header = text.split("\n", 1)[0]
    if header.count(";") <= header.count(","):
        return ReadUpload(text, "read as CSV with ',' between cells and a decimal point")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    converted = 0
    for row in rows[1:]:
        for index, cell in enumerate(row):
            if DECIMAL_COMMA.match(cell.strip()):
                row[index] = cell.strip().replace(",", ".")
                converted += 1
    mark = (f"a decimal comma ({converted} numbers read with a point)" if converted
            else "no decimal numbers")
    return ReadUpload(_csv_text(rows), f"read as CSV with ';' between cells and {mark}")


def _from_workbook(body: bytes, file_name: str) -> ReadUpload:
    """The first sheet of an XLSX workbook as CSV text; times as ``HH:MM``."""
    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            OSError) as error:
        raise InputError([Problem(file_name, "", "workbook", f"unreadable ({error})"[:200],
                                  "an XLSX workbook or a CSV file")]) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return ReadUpload(_csv_text(rows), f"read from the first sheet ('{sheet.title}') of an "
                                       "XLSX workbook")


def _cell_text(value: object) -> str:
    """A workbook cell as CSV text: empty for none, whole numbers without '.0', times
    of day as HH:MM."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time | datetime):
        return value.strftime("%H:%M")
    return str(value)


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
