"""Read and write actor maps: a folder of CSV files or one XLSX workbook.

CSV files are read in UTF-8 (with or without BOM) or Windows-1252, with a
comma, semicolon or tab delimiter detected from the header line. File and sheet
names may be English or French: ``actors``/``acteurs``, ``contributions``,
``links``/``liens``, ``projects``/``projets``.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "acteurs.csv").write_text("id;name\\na;Alpha\\nb;Bêta\\n", encoding="cp1252")
>>> m = read_map(folder)
>>> m.name("b"), m.source
('Bêta', ...)
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import MapInputError
from .model import TABLES, ActorMap, Table, build_map

__all__ = [
    "read_map",
    "read_csv_table",
    "read_workbook_tables",
    "write_workbook",
    "write_csv_folder",
    "atomic_output",
]

#: Accepted file / sheet names for each table (folded, without extension).
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "actors": ("actors", "acteurs", "actor", "acteur"),
    "contributions": ("contributions", "contribution", "apports"),
    "links": ("links", "liens", "link", "lien", "relations"),
    "projects": ("projects", "projets", "project", "projet", "fiches_projets"),
}

_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    return re.sub(r"[\s\-]+", "_", text)


def _table_kind(stem: str) -> str | None:
    folded = _fold(stem)
    for kind, names in TABLE_NAMES.items():
        if folded in names:
            return kind
    return None


def _decode(data: bytes, name: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM or not) or Windows-1252."""
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise MapInputError(
            "encodage illisible (octets nuls\u00a0: UTF-16 ou fichier binaire\u00a0?)\u00a0; "
            "enregistrez le fichier en CSV UTF-8",
            file=name,
            row=row,
            value=data[: min(len(data), 12)].hex(" "),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            row = data[: exc.start].count(b"\n") + 1
            raise MapInputError(
                "encodage illisible (ni UTF-8 ni Windows-1252)\u00a0; "
                "enregistrez le fichier en CSV UTF-8",
                file=name,
                row=row,
                value=data[exc.start : exc.start + 4].hex(" "),
            ) from None
    bad = _BAD_CONTROL.search(text)
    if bad:
        row = text[: bad.start()].count("\n") + 1
        raise MapInputError(
            "encodage illisible (caractères de contrôle)\u00a0; enregistrez le fichier en CSV UTF-8",
            file=name,
            row=row,
            value=repr(text[max(0, bad.start() - 10) : bad.start() + 10]),
        )
    return text


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv_table(path: str | os.PathLike, name: str | None = None) -> Table:
    """Read one CSV file into a :class:`maps.model.Table`.

    Row numbers are line numbers in the file (the header is line 1); blank
    rows are skipped.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "liens.csv"
    >>> _ = p.write_bytes("\\ufeffsource_id;target_id;kind\\na;b;membre\\n".encode())
    >>> t = read_csv_table(p)
    >>> t.columns
    ['source_id', 'target_id', 'kind']
    >>> t.rows
    [(2, {'source_id': 'a', 'target_id': 'b', 'kind': 'membre'})]
    """
    path = Path(path)
    name = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MapInputError(
            "fichier illisible ({reason})", file=name, fields={"reason": exc.strerror}
        ) from None
    text = _decode(data, name)
    if not text.strip():
        raise MapInputError("fichier vide (il faut au moins une ligne d’en-tête)", file=name, row=1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [h.strip() for h in next(reader)]
        while not any(header):
            header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise MapInputError("fichier vide", file=name, row=1) from None
    except csv.Error as exc:
        raise MapInputError(
            "CSV invalide ({reason})", file=name, row=1, fields={"reason": str(exc)}
        ) from None
    if not any(header):
        raise MapInputError("en-tête vide", file=name, row=1)
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise MapInputError(
                "CSV invalide ({reason})", file=name, row=start, fields={"reason": str(exc)}
            ) from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = {}
        for i, col in enumerate(header):
            if col:
                row[col] = unquote_formula(values[i].strip()) if i < len(values) else ""
        extra = [v for v in values[len(header) :] if v.strip()]
        if extra:
            row["\x00extra"] = extra[0]
        rows.append((start, row))
    return Table(name=name, columns=[h for h in header if h], rows=_check_extra(rows, name))


# A cell starting with one of these is read as a formula by spreadsheet
# software (formula injection). Exports keep such texts as text: an XLSX cell
# is a string cell with Excel's quote prefix (the value itself is unchanged),
# a CSV value gets a leading apostrophe, which the CSV reader removes again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    # a formula start, or an apostrophe that a reader would otherwise take
    # for our own quote ("'=x" must come back as "'=x")
    if text.startswith(FORMULA_PREFIXES):
        return True
    return text[:1] == "'" and _needs_quote(text[1:])


def csv_safe(value):
    """A CSV value that no spreadsheet reads as a formula.

    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-2 %"), csv_safe("Alpha"), csv_safe(3)
    ("'=HYPERLINK(1)", "'-2 %", 'Alpha', 3)
    >>> all(unquote_formula(csv_safe(t)) == t for t in ["'=x", "''+1", "'a", "=", "x"])
    True
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unquote_formula(text: str) -> str:
    """Undo :func:`csv_safe` on a CSV value read back.

    >>> unquote_formula("'=1+1"), unquote_formula("'quoi"), unquote_formula("=x")
    ('=1+1', "'quoi", '=x')
    """
    if text[:1] == "'" and _needs_quote(text[1:]):
        return text[1:]
    return text


def protect_cells(cells) -> None:
    """Make the XLSX string cells that look like formulas plain text.

    The value is kept as is; the cell is typed as a string and carries the
    quote prefix, as when one types ``'=…`` in a spreadsheet.
    """
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


def _check_extra(rows, name):
    for num, row in rows:
        if "\x00extra" in row:
            raise MapInputError(
                "plus de valeurs que de colonnes (séparateur dans une valeur non entourée "
                "de guillemets\u00a0?)",
                file=name,
                row=num,
                value=row["\x00extra"],
            )
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value).strip()


def read_workbook_tables(path: str | os.PathLike) -> dict[str, Table | None]:
    """Read the sheets of an XLSX workbook into tables.

    Sheets whose names are not table names are ignored. Row numbers are the
    spreadsheet row numbers.
    """
    import openpyxl

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise MapInputError(
            "classeur XLSX illisible ({reason})",
            file=path.name,
            fields={"reason": type(exc).__name__},
        ) from None
    tables: dict[str, Table | None] = dict.fromkeys(TABLES)
    try:
        for ws in wb.worksheets:
            kind = _table_kind(ws.title)
            if kind is None or tables[kind] is not None:
                continue
            label = f"{path.name} [{ws.title}]"
            it = ws.iter_rows(values_only=True)
            header: list[str] | None = None
            rows: list[tuple[int, dict[str, str]]] = []
            for num, values in enumerate(it, start=1):
                cells = [_cell_text(v) for v in values]
                if header is None:
                    if any(cells):
                        header = cells
                    continue
                if not any(cells):
                    continue
                rows.append(
                    (
                        num,
                        {
                            col: cells[i] if i < len(cells) else ""
                            for i, col in enumerate(header)
                            if col
                        },
                    )
                )
            if header is None:
                raise MapInputError(
                    "feuille vide (il faut au moins une ligne d’en-tête)", file=label, row=1
                )
            tables[kind] = Table(name=label, columns=[h for h in header if h], rows=rows)
    finally:
        wb.close()
    return tables


def _newest_date(paths: list[Path]) -> datetime.date | None:
    times = [p.stat().st_mtime for p in paths if p.exists()]
    if not times:
        return None
    return datetime.date.fromtimestamp(max(times))


def read_map(path: str | os.PathLike, *, lenient: bool = False) -> ActorMap:
    """Read an actor map from a folder of CSV files or an XLSX workbook.

    Parameters
    ----------
    path : path-like
        A folder holding ``actors.csv`` (required), ``contributions.csv``,
        ``links.csv`` and ``projects.csv`` (French names accepted), or an
        ``.xlsx`` workbook with one sheet per table, or the path of one of the
        CSV files (its folder is read).
    lenient : bool
        Skip bad rows (see :attr:`maps.ActorMap.warnings`) instead of failing.

    Returns
    -------
    ActorMap
        With ``source`` set to the folder or file name and ``date`` to the
        newest modification date of the files read.

    Raises
    ------
    MapInputError
        With the file, the row and the value at fault.
    """
    path = Path(path)
    if not path.exists():
        raise MapInputError("fichier ou dossier introuvable", file=path.name)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = read_workbook_tables(path)
        return build_map(
            tables, lenient=lenient, source=path.stem, date=_newest_date([path]), source_files=True
        )
    if path.is_file() and path.suffix.lower() == ".csv":
        path = path.parent
    if not path.is_dir():
        raise MapInputError(
            "format non reconnu (attendu\u00a0: dossier de fichiers CSV ou classeur .xlsx)",
            file=path.name,
        )
    found: dict[str, Path] = {}
    for child in sorted(path.iterdir()):
        if child.suffix.lower() != ".csv" or not child.is_file():
            continue
        kind = _table_kind(child.stem)
        if kind and kind not in found:
            found[kind] = child
    if "actors" not in found:
        raise MapInputError(
            "fichier des acteurs introuvable (actors.csv ou acteurs.csv)", file=path.name
        )
    tables: dict[str, Table | None] = dict.fromkeys(TABLES)
    for kind, file in found.items():
        tables[kind] = read_csv_table(file)
    return build_map(
        tables,
        lenient=lenient,
        source=path.name,
        date=_newest_date(list(found.values())),
        source_files=True,
    )


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it to ``path`` on success.

    Nothing is left behind if the body raises, so a failed export never
    leaves a partial file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix="." + path.stem + "-", suffix=suffix or path.suffix, dir=path.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        umask = os.umask(0)
        os.umask(umask)
        if tmp_path.exists():
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def write_workbook(m: ActorMap, path: str | os.PathLike) -> None:
    """Write ``m`` as an XLSX workbook in the input format (lossless).

    Sheets ``actors``, ``contributions``, ``links`` and ``projects`` hold the
    same columns as the input; :func:`read_map` reads the file back into an
    equivalent map.

    >>> import tempfile, pathlib
    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "Alpha", "ville": "Colmar"}])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "carte.xlsx"
    >>> write_workbook(m, out)
    >>> read_map(out).graph.nodes["a"]["ville"]
    'Colmar'
    """
    import openpyxl

    records = m.to_records()
    default_cols = {
        "actors": ["id", "name", "kind"],
        "contributions": ["actor_id", "stage", "text"],
        "links": ["source_id", "target_id", "kind", "weight", "evidence"],
        "projects": ["actor_id", "title", "description", "results", "obstacles", "needs"],
    }
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind in TABLES:
        ws = wb.create_sheet(kind)
        cols = m.columns.get(kind) or default_cols[kind]
        ws.append(cols)
        for r, rec in enumerate(records[kind], start=2):
            for c, col in enumerate(cols, start=1):
                value = rec.get(col, "")
                protect_cells([ws.cell(row=r, column=c, value=value)])
        for i, col in enumerate(cols, start=1):
            width = max(
                [len(str(col))] + [min(60, len(str(r.get(col, "")))) for r in records[kind][:200]]
            )
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(8, width + 2)
        ws.freeze_panes = "A2"
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.creator = "workshop maps"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    with atomic_output(path) as tmp:
        wb.save(tmp)


def write_csv_folder(m: ActorMap, folder: str | os.PathLike) -> None:
    """Write ``m`` as a folder of UTF-8 CSV files in the input format."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    records = m.to_records()
    for kind in TABLES:
        cols = m.columns.get(kind)
        if not cols:
            continue
        with (
            atomic_output(folder / f"{kind}.csv") as tmp,
            tmp.open("w", encoding="utf-8", newline="") as fh,
        ):
            writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: csv_safe(v) for k, v in rec.items()} for rec in records[kind])
