"""Errors raised when reading or validating an actor map.

Every message is in French, because it is shown to facilitators. The error
carries the file, the row and the offending value so that a user can fix the
spreadsheet.

>>> err = MapInputError("étape inconnue", file="contributions.csv", row=4, value="planifier")
>>> print(err)
contributions.csv, ligne 4\u00a0: étape inconnue (valeur\u00a0: «\u00a0planifier\u00a0»)
>>> err.row
4
"""

from __future__ import annotations

__all__ = ["MapInputError"]


class MapInputError(ValueError):
    """Invalid input for an actor map.

    Parameters
    ----------
    message : str
        What is wrong, in French.
    file : str, optional
        Name of the file (or sheet, or record list) where the problem is.
    row : int, optional
        Row number: the line number in a CSV file (the header is line 1), the
        row number in a spreadsheet, or the 1-based position in a record list.
    value : object, optional
        The offending value.
    column : str, optional
        The column concerned.

    Examples
    --------
    >>> str(MapInputError("fichier vide", file="actors.csv"))
    'actors.csv\\xa0: fichier vide'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        value: object = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.value = value
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or ""
        if self.row is not None:
            where = f"{where}, ligne {self.row}" if where else f"ligne {self.row}"
        text = f"{where}\u00a0: {self.message}" if where else self.message
        if self.value is not None:
            value = str(self.value)
            if len(value) > 80:
                value = value[:77] + "…"
            text += f" (valeur\u00a0: «\u00a0{value}\u00a0»)"
        return text

    def __reduce__(self):  # pragma: no cover - pickling support
        return (
            _rebuild,
            (self.message, self.file, self.row, self.value, self.column),
        )


def _rebuild(message, file, row, value, column):  # pragma: no cover
    return MapInputError(message, file=file, row=row, value=value, column=column)
