"""Errors raised when reading or validating an actor map.

The message is written in French (the source language) with ``{name}``
fields; :meth:`MapInputError.text` writes it in English too (``str()`` is
the French). The error carries the file, the row and the offending value so
that a user can fix the spreadsheet.

>>> err = MapInputError("étape inconnue", file="contributions.csv", row=4, value="planifier")
>>> print(err)
contributions.csv, ligne 4\u00a0: étape inconnue (valeur\u00a0: «\u00a0planifier\u00a0»)
>>> err.row
4
>>> err.text("en")
'contributions.csv, row 4: unknown stage (value: “planifier”)'
"""

from __future__ import annotations

__all__ = ["MapInputError"]


class MapInputError(ValueError):
    """Invalid input for an actor map.

    Parameters
    ----------
    message : str
        What is wrong, in French, with ``{name}`` fields filled from
        ``fields`` (a list is written as quoted names).
    file : str, optional
        Name of the file (or sheet, or record list) where the problem is.
    row : int, optional
        Row number: the line number in a CSV file (the header is line 1), the
        row number in a spreadsheet, or the 1-based position in a record list.
    value : object, optional
        The offending value.
    column : str, optional
        The column concerned.
    fields : dict, optional
        Values of the message's fields (not translated).

    Examples
    --------
    >>> str(MapInputError("fichier vide", file="actors.csv"))
    'actors.csv\\xa0: fichier vide'
    >>> MapInputError("colonne obligatoire absente\u00a0: {names}", fields={"names": ["id"]}).text("en")
    'required column missing: “id”'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        value: object = None,
        column: str | None = None,
        fields: dict | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.value = value
        self.column = column
        self.fields = dict(fields or {})
        super().__init__(str(self))

    def text(self, lang: str = "fr") -> str:
        """The message in ``lang`` (``"fr"`` or ``"en"``), with where and what."""
        from .i18n import tr

        fields = {
            k: ", ".join(_quoted(x, lang) for x in v) if isinstance(v, list | tuple) else v
            for k, v in self.fields.items()
        }
        message = tr(self.message, lang, **fields) if fields else tr(self.message, lang)
        where = self.file or ""
        if self.row is not None:
            where = (
                tr("{file}, ligne {row}", lang, file=where, row=self.row)
                if where
                else tr("ligne {row}", lang, row=self.row)
            )
        text = (
            tr("{where}\u00a0: {message}", lang, where=where, message=message) if where else message
        )
        if self.value is not None:
            value = str(self.value)
            if value in NONE_VALUES:  # "(aucune)": a word of the message, not data
                value = tr(value, lang)
            if len(value) > 80:
                value = value[:77] + "…"
            text += tr(" (valeur\u00a0: {value})", lang, value=_quoted(value, lang))
        return text

    def __str__(self) -> str:
        return self.text("fr")

    def __reduce__(self):  # pragma: no cover - pickling support
        return (
            _rebuild,
            (self.message, self.file, self.row, self.value, self.column, self.fields),
        )


NONE_VALUES = ("(aucun)", "(aucune)")


def _quoted(text, lang: str) -> str:
    """« text » in French, “text” in English."""
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


def _rebuild(message, file, row, value, column, fields=None):  # pragma: no cover
    return MapInputError(message, file=file, row=row, value=value, column=column, fields=fields)
