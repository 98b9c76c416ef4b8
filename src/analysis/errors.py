"""One exception family for the package; every message names what is at fault."""

from __future__ import annotations


class AnalysisError(Exception):
    """Base of every error the package raises on purpose."""


class InputFileError(AnalysisError):
    """A file cannot be read as expected (encoding, layout, missing columns).

    Carries the file and, where known, the row and column (1-based, as an
    analyst sees them in a spreadsheet or text editor).
    """

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.row, self.column = file, row, column
        where = ", ".join(
            part
            for part in (
                str(file) if file else None,
                f"row {row}" if row is not None else None,
                f"column {column!r}" if column else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class DataValidationError(AnalysisError):
    """A curated dataset breaks its data dictionary (bad enum, missing key...)."""


class ParameterError(AnalysisError):
    """A parameter file or argument is unknown, misspelled or of the wrong type."""


class UnknownUnitError(AnalysisError):
    """A unit id is not in the curated units table."""


class DeclarationError(AnalysisError):
    """A notebook's declaration of the data it shows (its metadata) is unknown or malformed."""
