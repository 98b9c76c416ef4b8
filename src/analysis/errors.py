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


class NoSpaceError(AnalysisError):
    """The disk is full (or the quota spent) while writing ``name`` in ``folder``: the write was
    undone, the last good files stay."""

    def __init__(self, folder: str, name: str) -> None:
        self.folder, self.name = str(folder), name
        super().__init__(
            f"{folder}: no space left on the device while writing {name}; nothing half-written is kept "
            "(the last good files stay): free some space and run the command again"
        )

    def __reduce__(self) -> tuple[type[NoSpaceError], tuple[str, str]]:  # crosses process boundaries
        return (type(self), (self.folder, self.name))


class DocumentModelError(AnalysisError):
    """A document section (the model a notebook output carries) is of another version or holds
    a block this package does not know."""
