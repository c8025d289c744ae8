"""Spreadsheet cells that run nothing: text a spreadsheet would read as a formula is written
with a leading apostrophe (the OWASP rule for CSV injection), numbers stay numbers."""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_STARTS", "inert_cells", "inert_text", "restored_cells"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel, LibreOffice and WPS may run


def inert_text(value: object) -> object:
    """``value``, with "'" put before text that starts like a formula (=HYPERLINK(...), +1,
    @SUM(...)); anything that is not text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names run nothing in a spreadsheet."""
    out = frame.rename(columns=lambda c: inert_text(c) if isinstance(c, str) else c)
    text = [
        c for c in out.columns if out[c].dtype == object or pd.api.types.is_string_dtype(out[c])
    ]
    for column in text:
        out[column] = out[column].map(inert_text)
    return out


def restored_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (text cells, as read from a CSV) with the apostrophe ``inert_cells`` put before
    a formula-like text taken off again, so that an atlas export reads back as it was."""

    def restore(value: object) -> object:
        quoted = isinstance(value, str) and value[:1] == "'" and value[1:2] != ""
        return value[1:] if quoted and value[1:].startswith(FORMULA_STARTS) else value

    out = frame.rename(columns=lambda c: restore(c) if isinstance(c, str) else c)
    return out.map(restore)
