"""Write the Excel test inputs of tests/data/bad (issue 12): workbooks as analysts send them.

- ``people_workbook_quirks.xlsx``: a formula with no saved value (openpyxl, like many
  export tools, writes formulas without computing them), a hidden row, merged cells, an
  Excel error value and a second sheet.

Usage::

    python scripts/make_bad_workbooks.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

BAD = Path(__file__).resolve().parents[1] / "tests" / "data" / "bad"


def quirks(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    rows = [
        ["person_id", "name", "sector", "region"],
        ["p1", "Ann Smith", "nhs", "North"],
        ["p2", "Bob Jones", "prison", None],  # region merged with the row below
        ["p3", "Cat Lee", "prison", None],
        ["p4", '=CONCAT("Dan", " Roe")', "nhs", "South"],  # formula, no saved value
        ["p5", "Eve Fox", "#N/A", "South"],  # an error value typed as text by a tool
    ]
    for row in rows:
        sheet.append(row)
    sheet["D3"] = "East"
    sheet.merge_cells("D3:D4")
    sheet.row_dimensions[6].hidden = True
    notes = book.create_sheet("Notes")
    notes.append(["Collected at the March meeting"])
    book.properties.creator = "connectnet tests"
    book.save(path)


def main() -> None:
    quirks(BAD / "people_workbook_quirks.xlsx")


if __name__ == "__main__":
    main()
