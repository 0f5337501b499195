"""The one spreadsheet framework: every Excel template, import and export.

An app declares its ``Sheet`` (columns with their kinds) and its row rules;
everything else is here:

- ``columns``: ``Column``, ``Sheet``, ``Kind``, the one yes/no vocabulary;
- ``writing``: ``build_workbook`` / ``write_sheet`` (styled frozen header,
  widths, typed cells, formula-safe text, template drop-downs, ``Line`` for
  greyed rows, ``PersonalData`` marking under Decree 13/2023),
  ``xlsx_response``;
- ``reading``: ``read_rows`` (limits before and while parsing, header
  matching), ``read_notes`` and ``Row`` (typed readings, one message per
  bad cell);
- ``importing``: ``ImportRefused`` / ``RowError`` / ``ImportResult``,
  ``refuse_bad_rows``, ``flag_repeats``, ``ImportForm`` and the shared
  ``import_page``.
"""

from .columns import (
    BLANK_IS,
    NO_LABEL,
    NO_WORDS,
    YES_LABEL,
    YES_WORDS,
    Column,
    Kind,
    Sheet,
    parse_yes_no,
)
from .importing import (
    ImportForm,
    ImportRefused,
    ImportResult,
    RowError,
    XlsxFileField,
    flag_repeats,
    import_page,
    refuse_bad_rows,
)
from .reading import (
    Row,
    SpreadsheetError,
    check_package,
    check_readable,
    column_positions,
    match_choice,
    open_workbook,
    read_notes,
    read_rows,
    sheet_named,
)
from .writing import (
    XLSX,
    Line,
    PersonalData,
    build_workbook,
    export_filename,
    workbook_bytes,
    write_lines,
    write_notes,
    write_sheet,
    xlsx_response,
)

__all__ = [
    "BLANK_IS",
    "NO_LABEL",
    "NO_WORDS",
    "XLSX",
    "YES_LABEL",
    "YES_WORDS",
    "Column",
    "ImportForm",
    "ImportRefused",
    "ImportResult",
    "Kind",
    "Line",
    "PersonalData",
    "Row",
    "RowError",
    "Sheet",
    "SpreadsheetError",
    "XlsxFileField",
    "build_workbook",
    "check_package",
    "check_readable",
    "column_positions",
    "export_filename",
    "flag_repeats",
    "import_page",
    "match_choice",
    "open_workbook",
    "parse_yes_no",
    "read_notes",
    "read_rows",
    "refuse_bad_rows",
    "sheet_named",
    "workbook_bytes",
    "write_lines",
    "write_notes",
    "write_sheet",
    "xlsx_response",
]
