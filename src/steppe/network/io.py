"""Read and write network folders (CSV tables + ``network.toml``).

Reading collects every problem in every file before raising one
:class:`~steppe.errors.NetworkFileError`; writing goes to a temporary folder that is
renamed into place, so a failed write leaves nothing half-written.
"""

from __future__ import annotations

import csv
import logging
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from steppe.errors import NetworkFileError, Problem
from steppe.network import _tables as t
from steppe.network import calendars as cal
from steppe.network.model import Network, NetworkMeta
from steppe.network.validate import check_network

__all__ = ["EMBEDDED_NETWORK", "check_folder", "load_network", "read_network", "write_network"]

log = logging.getLogger(__name__)
EMBEDDED_NETWORK = "eurasia"
FORMAT_VERSION = 1
T = TypeVar("T")
_TIME_REQUIRED = {"calendars.csv": cal.REQUIRED_CALENDAR, "capacities.csv": cal.REQUIRED_CAPACITY}


def _is_country(code: str) -> bool:
    from steppe.countries import is_iso3

    return is_iso3(code)


def _read_table(
    folder: Path,
    name: str,
    columns: Sequence[str],
    parse: Callable[[t.RowParser], T | None],
    problems: list[Problem],
    *,
    optional: bool = False,
    unparsed_ids: list[str] | None = None,
) -> tuple[list[T], list[int]]:
    path = folder / name
    if not path.exists():
        if not optional:
            problems.append(Problem(name, "file is missing"))
        return [], []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return _parse_rows(
                csv.reader(fh), name, columns, parse, problems, unparsed_ids=unparsed_ids
            )
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, f"is not UTF-8 text ({exc.reason})"))
    except csv.Error as exc:
        problems.append(Problem(name, f"is not valid CSV ({exc})"))
    return [], []


def _check_header(
    header: list[str], name: str, columns: Sequence[str], problems: list[Problem]
) -> bool:
    """Report missing, unknown, empty and repeated column names; return whether usable."""
    n = len(problems)
    seen: set[str] = set()
    for c in header:
        if not c:
            problems.append(Problem(name, "a column has no name", 1))
        elif c in seen:
            problems.append(Problem(name, "column appears more than once", 1, c))
        elif c not in columns:
            problems.append(
                Problem(name, f"unknown column; the columns are {', '.join(columns)}", 1, c)
            )
        seen.add(c)
    for c in t.REQUIRED.get(name) or _TIME_REQUIRED[name]:
        if c not in seen:
            problems.append(Problem(name, "required column is missing", 1, c))
    return len(problems) == n


def _parse_rows(
    reader: Iterator[list[str]],
    name: str,
    columns: Sequence[str],
    parse: Callable[[t.RowParser], T | None],
    problems: list[Problem],
    *,
    unparsed_ids: list[str] | None,
) -> tuple[list[T], list[int]]:
    header = [h.strip() for h in next(reader, [])]
    if not header:
        problems.append(Problem(name, "file is empty; the first line must be the header"))
        return [], []
    if not _check_header(header, name, columns, problems):
        return [], []  # a shifted or renamed column would put values in the wrong fields
    out: list[T] = []
    rows: list[int] = []
    for i, raw in enumerate(reader, start=2):
        if not raw or (len(raw) == 1 and not raw[0].strip()):
            continue  # a blank line
        if len(raw) != len(header):
            more = "more" if len(raw) > len(header) else "fewer"
            problems.append(
                Problem(
                    name,
                    f"row has {more} cells ({len(raw)}) than the header ({len(header)}); "
                    "a cell with a comma must be quoted",
                    i,
                )
            )
            continue
        cells = dict(zip(header, raw, strict=True))
        obj = parse(t.RowParser(name, i, cells, problems))
        if obj is not None:
            out.append(obj)
            rows.append(i)
        elif unparsed_ids is not None:
            unparsed_ids.append((cells.get("id") or "").strip())
    return out, rows


_META_KEYS = frozenset(
    {"format_version", "name", "description", "license", "sources", "closed_transit", "units"}
)


def _read_toml(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    path = folder / "network.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem("network.toml", f"is not valid TOML ({exc})"))
    except RecursionError:
        problems.append(Problem("network.toml", "is nested too deeply to be a network.toml"))
    return {}


def _read_meta(folder: Path, data: dict[str, Any], problems: list[Problem]) -> NetworkMeta:
    def bad(column: str, message: str, severity: str = "error") -> None:
        problems.append(Problem("network.toml", message, column=column, severity=severity))

    for key in sorted(set(data) - _META_KEYS):
        bad(key, f"unknown key; the keys are {', '.join(sorted(_META_KEYS))}", "warning")
    version = data.get("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        bad(
            "format_version",
            f"format_version {version!r} is not supported "
            f"(this steppe reads version {FORMAT_VERSION})",
        )
    text: dict[str, str] = {}
    for key, default in (("name", folder.name), ("description", ""), ("license", "")):
        value = data.get(key, default)
        if not isinstance(value, str):
            bad(key, f"must be a string, got {type(value).__name__}")
            value = default
        text[key] = value
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        bad("sources", "must be a list of strings")
        sources = []
    units = data.get("units", {})
    if not isinstance(units, dict) or not all(isinstance(v, str) for v in units.values()):
        bad("units", "must be a table of strings")
    return NetworkMeta(
        name=text["name"],
        description=text["description"],
        format_version=FORMAT_VERSION,
        sources=tuple(sources),
        license=text["license"],
    )


def _read_closed_transit(data: dict[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    value = data.get("closed_transit", [])
    if not isinstance(value, list) or not all(isinstance(c, str) and _is_country(c) for c in value):
        problems.append(
            Problem("network.toml", "must be a list of ISO3 country codes", column="closed_transit")
        )
        return ()
    return tuple(value)


def _read_folder(folder: Path, *, validate: bool) -> tuple[Network, list[Problem]]:
    if not folder.is_dir():
        raise NetworkFileError(f"{folder} is not a folder", file=str(folder))
    problems: list[Problem] = []
    toml_data = _read_toml(folder, problems)
    meta = _read_meta(folder, toml_data, problems)
    unparsed: list[str] = []
    nodes, node_rows = _read_table(
        folder,
        "nodes.csv",
        t.NODE_COLUMNS,
        lambda p: t.parse_node(p, _is_country),
        problems,
        unparsed_ids=unparsed,
    )
    links, link_rows = _read_table(
        folder, "links.csv", t.LINK_COLUMNS, lambda p: t.parse_link(p, _is_country), problems
    )
    borders, border_rows = _read_table(
        folder, "borders.csv", t.BORDER_COLUMNS, t.parse_border, problems, optional=True
    )
    transfers, transfer_rows = _read_table(
        folder, "transfers.csv", t.TRANSFER_COLUMNS, t.parse_transfer, problems, optional=True
    )
    closures, closure_rows = _read_table(
        folder, "calendars.csv", cal.CALENDAR_COLUMNS, cal.parse_closure, problems, optional=True
    )
    queues, queue_rows = _read_table(
        folder, "capacities.csv", cal.CAPACITY_COLUMNS, cal.parse_queue, problems, optional=True
    )
    network = Network(
        tuple(nodes),
        tuple(links),
        tuple(borders),
        tuple(transfers),
        meta,
        _read_closed_transit(toml_data, problems),
        tuple(closures),
        tuple(queues),
    )
    if validate:
        rows = {
            "nodes.csv": node_rows,
            "links.csv": link_rows,
            "borders.csv": border_rows,
            "transfers.csv": transfer_rows,
            "calendars.csv": closure_rows,
            "capacities.csv": queue_rows,
        }
        problems.extend(check_network(network, rows=rows, unparsed_node_ids=unparsed))
    return network, [_prefix(folder, p) for p in problems]


def check_folder(path: str | Path) -> list[Problem]:
    """Return every problem in a network folder, errors and warnings, without raising.

    Examples
    --------
    >>> import steppe, tempfile
    >>> folder = steppe.write_network(steppe.load_network(), tempfile.mkdtemp() + "/n")
    >>> [p for p in check_folder(folder) if p.severity == "error"]
    []
    """
    return _read_folder(Path(path), validate=True)[1]


def read_network(path: str | Path, *, validate: bool = True) -> Network:
    """Read a network folder, checking every file, row and cell.

    Parameters
    ----------
    path
        Folder holding ``nodes.csv``, ``links.csv`` and optionally ``borders.csv``,
        ``transfers.csv`` and ``network.toml`` (see ``docs/network-format.md``).
    validate
        Also run the whole-network checks of :func:`steppe.network.validate.check_network`.

    Returns
    -------
    Network

    Raises
    ------
    NetworkFileError
        With every problem found, each as ``file:row:column: message``.

    Examples
    --------
    >>> import steppe, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = steppe.write_network(steppe.load_network(), folder + "/copy")
    >>> steppe.read_network(folder + "/copy").meta.name
    'eurasia'
    """
    network, problems = _read_folder(Path(path), validate=validate)
    if any(p.severity == "error" for p in problems):
        raise NetworkFileError(problems)
    for p in problems:
        log.info("%s", p)
    return network


def _prefix(folder: Path, p: Problem) -> Problem:
    return Problem(str(folder / p.file), p.message, p.row, p.column, p.severity)


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_network(network: Network, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a network as a folder of CSV tables and ``network.toml``.

    The folder is written in full next to its destination and then renamed, so a
    failure leaves no half-written folder.  Floats are written in their shortest exact
    form, so reading the folder back gives an equal network.

    Parameters
    ----------
    network
        The network to write.
    path
        Destination folder; must not exist unless ``overwrite``.
    overwrite
        Replace an existing folder.

    Returns
    -------
    Path
        The folder written.

    Examples
    --------
    >>> import steppe, tempfile
    >>> out = steppe.write_network(steppe.load_network(), tempfile.mkdtemp() + "/net")
    >>> sorted(p.name for p in out.iterdir())[:2]
    ['borders.csv', 'calendars.csv']
    """
    dest = Path(path)
    if dest.exists() and not overwrite:
        raise NetworkFileError(
            f"{dest} already exists; pass overwrite to replace it", file=str(dest)
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        meta: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "name": network.meta.name,
            "description": network.meta.description,
            "license": network.meta.license,
            "sources": list(network.meta.sources),
            "closed_transit": list(network.closed_transit),
            "units": {"length": "km", "time": "h", "money": "USD", "co2": "kg CO2e"},
        }
        (tmp / "network.toml").write_text(tomli_w.dumps(meta), encoding="utf-8")
        _write_csv(tmp / "nodes.csv", t.NODE_COLUMNS, [t.node_to_row(n) for n in network.nodes])
        _write_csv(tmp / "links.csv", t.LINK_COLUMNS, [t.link_to_row(x) for x in network.links])
        _write_csv(
            tmp / "borders.csv", t.BORDER_COLUMNS, [t.border_to_row(b) for b in network.borders]
        )
        _write_csv(
            tmp / "transfers.csv",
            t.TRANSFER_COLUMNS,
            [t.transfer_to_row(x) for x in network.transfers],
        )
        if network.calendars:
            rows = [cal.closure_to_row(c) for c in network.calendars]
            _write_csv(tmp / "calendars.csv", cal.CALENDAR_COLUMNS, rows)
        if network.queues:
            rows = [cal.queue_to_row(q) for q in network.queues]
            _write_csv(tmp / "capacities.csv", cal.CAPACITY_COLUMNS, rows)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


@cache
def _embedded(name: str) -> Network:
    folder = resources.files("steppe.data") / "network" / name
    with resources.as_file(folder) as path:
        return read_network(path)


def load_network(path: str | Path | None = None) -> Network:
    """Return the network in a folder, or the embedded Eurasian network when ``path`` is None.

    The embedded network is read once per process and shared (it is immutable).

    Examples
    --------
    >>> import steppe
    >>> len(steppe.load_network().nodes) >= 200
    True
    """
    if path is None:
        return _embedded(EMBEDDED_NETWORK)
    return read_network(path)
