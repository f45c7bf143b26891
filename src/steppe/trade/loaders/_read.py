"""Read a delimited text file strictly: any compression, any of the encodings publishers use.

Every row must have exactly as many cells as the header; the header must name each column
once (also once lower-cased) and leave none blank.  A file that breaks a rule gets one
:class:`~steppe.errors.TradeDataError` listing every ``file:row:column`` at fault, never a
silently shifted row.  ``.gz`` and ``.zip`` (one member) files are read as they are.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from steppe.errors import Problem, TradeDataError
from steppe.trade._schema import raise_if

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ENCODINGS",
    "LIMIT",
    "check_header",
    "open_bytes",
    "read_cells",
    "read_header",
    "read_table",
    "sniff_delimiter",
]

# utf-8 (with or without a byte-order mark) first; cp1252 then latin-1 for the Windows
# exports of the Comtrade website (cp1252 leaves five bytes undefined, latin-1 none).
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
LIMIT = 20  # problems listed per kind


def open_bytes(path: Path) -> bytes:
    """Return the file's bytes, decompressing ``.gz`` or a one-member ``.zip``."""
    file = str(path)
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                members = [n for n in z.namelist() if not n.endswith("/")]
                if len(members) != 1:
                    raise TradeDataError(
                        f"the zip archive holds {len(members)} files; give one data file "
                        f"(members: {', '.join(members[:5])})",
                        file=file,
                    )
                return z.read(members[0])
        return path.read_bytes()
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as e:
        raise TradeDataError(f"cannot read the file: {e}", file=file) from e


def _decode(data: bytes, file: str) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TradeDataError("cannot decode the file as UTF-8, cp1252 or latin-1", file=file)


def sniff_delimiter(first_line: str) -> str:
    """Return the delimiter of a header line: tab, semicolon or comma."""
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_header(path: Path) -> list[str]:
    """Return the header cells of a text file (stripped), or ``[]`` for an empty file."""
    text = _decode(open_bytes(path)[:65536], str(path))
    line = text.splitlines()[0] if text.strip() else ""
    if not line:
        return []
    return [c.strip() for c in next(csv.reader([line], delimiter=sniff_delimiter(line)))]


def check_header(header: list[str], file: str) -> None:
    """Raise if a column name is blank, repeated, or repeated once lower-cased."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(header):
        if not name:
            problems.append(Problem(file, f"column {i + 1} has no name", 1, f"#{i + 1}"))
            continue
        key = name.lower()
        if key in seen:
            what = "repeats" if seen[key] == name else "clashes once lower-cased with"
            problems.append(Problem(file, f"column {name!r} {what} {seen[key]!r}", 1, name))
        else:
            seen[key] = name
    raise_if(problems)


def read_table(path: Path, *, delimiter: str | None = None) -> pd.DataFrame:
    """Read a delimited file as text cells, every row checked against the header.

    Parameters
    ----------
    path
        The file (``.csv``, ``.tsv``, ``.txt``, ``.dat``, possibly ``.gz`` or ``.zip``).
    delimiter
        The delimiter; default: sniffed from the header line.

    Returns
    -------
    DataFrame
        One text column per header cell (names stripped), cells stripped; the index is the
        spreadsheet row of each line minus 2 (the header is row 1, the first data row 2).

    Raises
    ------
    TradeDataError
        A header without data, a blank or repeated column name, or rows with more or
        fewer cells than the header (each with its row).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("a,b\\n1,2\\n3,4,5\\n")
    >>> read_table(f)
    Traceback (most recent call last):
    ...
    steppe.errors.TradeDataError: ...t.csv:3: row has 3 cells, the header 2 (a shifted...
    """
    import pandas as pd

    header, numbers, data = read_cells(path, delimiter=delimiter)
    frame = pd.DataFrame(data, columns=header, index=[n - 2 for n in numbers], dtype=object)
    out: pd.DataFrame = frame.apply(lambda c: c.str.strip())
    return out


def read_cells(
    path: Path, *, delimiter: str | None = None
) -> tuple[list[str], list[int], list[list[str]]]:
    """Read a delimited file as :func:`read_table` does, without pandas.

    Returns
    -------
    (list of str, list of int, list of list of str)
        The header (names stripped), each data row's spreadsheet row number, and its
        cells (not stripped).
    """
    file = str(path)
    text = _decode(open_bytes(path), file)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise TradeDataError("the file is empty", file=file)
    sep = delimiter or sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    try:
        rows = list(reader)
    except csv.Error as e:
        raise TradeDataError(f"malformed line {reader.line_num}: {e}", file=file) from e
    header = [c.strip() for c in rows[0]]
    check_header(header, file)
    body = rows[1:]
    numbers = [i + 2 for i, r in enumerate(body) if r and any(c.strip() for c in r)]
    data = [body[n - 2] for n in numbers]
    width = len(header)
    bad = [(n, len(r)) for n, r in zip(numbers, data, strict=True) if len(r) != width]
    if bad:
        raise TradeDataError(
            [
                Problem(
                    file,
                    f"row has {cells} cells, the header {width} (a shifted or extra cell)"
                    if cells > width
                    else f"row has {cells} cells, the header {width} (cells missing)",
                    n,
                )
                for n, cells in bad[:LIMIT]
            ]
        )
    if not data:
        raise TradeDataError("the file has a header but no data rows", file=file)
    return header, numbers, data
