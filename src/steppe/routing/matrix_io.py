"""Write OD matrices for other tools: OMX skims and Parquet that say what they hold.

OMX (Open Matrix, version 0.2) is the HDF5 layout transport models exchange skims in
(TransCAD, Cube, Emme, Visum, ActivitySim): the root carries ``OMX_VERSION`` and
``SHAPE``; ``/data`` holds one 2-D matrix per metric, origins by rows and destinations by
columns; ``/lookup`` holds the zone labels.  steppe writes it with h5py (the ``omx``
extra) rather than the ``openmatrix`` package, which has had no release since 2019 and
needs PyTables; any OMX reader opens the file.

A Parquet matrix is the long (or wide) table with steppe's key-value metadata: which
metric chose the routes, the unit of every column, the scenario, the price month, the
date it was made and the steppe version (``steppe.*`` keys, next to pandas' own; the
same as attributes of an OMX file).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from steppe.errors import ConfigError, MissingExtraError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from steppe.routing.matrix import MatrixResult

__all__ = ["UNITS", "MatrixFormat", "MatrixInfo", "matrix_format", "write_matrix", "write_omx",
           "write_parquet"]  # fmt: skip

MatrixFormat = Literal["csv", "parquet", "omx"]

#: The unit of each metric column of a matrix.
UNITS: dict[str, str] = {
    "time_h": "h",
    "cost_usd": "USD",
    "co2_kg": "kg CO2e well-to-wheel (ISO 14083)",
    "distance_km": "km",
    "generalized_cost": "USD (money plus the value of the cargo's time)",
}
_OMX_VERSION = b"0.2"


@dataclass(frozen=True, slots=True)
class MatrixInfo:
    """What a matrix file says about itself besides its numbers.

    Parameters
    ----------
    scenario
        The scenario(s) applied, ``+``-joined; empty for the baseline network.
    network
        The network's name (or folder).
    created
        When the file was made (ISO 8601, UTC); default now.
    """

    scenario: str = ""
    network: str = ""
    created: str = ""

    def entries(self, result: MatrixResult, metric: str | None) -> dict[str, str]:
        """Return the key-value metadata of ``result`` (every value a string)."""
        from steppe import __version__

        return {
            "metric": metric or "",
            "unit": UNITS.get(metric or "", ""),
            "units": json.dumps({m: UNITS[m] for m in UNITS if m in result.table.columns}),
            "objective": result.objective,
            "scenario": self.scenario,
            "network": self.network,
            "price_date": result.price_date or "",
            "service": result.service or "",
            "depart": result.depart or "",
            "created": self.created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "version": __version__,
        }


def matrix_format(path: str | Path) -> MatrixFormat:
    """Return the format a path's suffix asks for: ``csv``, ``parquet`` or ``omx``.

    Examples
    --------
    >>> matrix_format("skims.omx"), matrix_format("od.PARQUET")
    ('omx', 'parquet')
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".parquet":
        return "parquet"
    if suffix == ".omx":
        return "omx"
    raise ConfigError(f"path: cannot write {Path(path).name}: use a .csv, .parquet or .omx "
                      "file name", parameter="path")  # fmt: skip


def write_matrix(
    result: MatrixResult, path: str | Path, *, wide: str | None = None,
    info: MatrixInfo | None = None,
) -> Path:  # fmt: skip
    """Write a matrix to ``.csv``, ``.parquet`` (with metadata) or ``.omx``, all at once.

    Parameters
    ----------
    result
        The matrix.
    path
        The file; its suffix chooses the format.
    wide
        For CSV and Parquet: write this metric as an origin × destination table.  OMX is
        always origin × destination, one matrix per metric.
    info
        Scenario, network and date for the metadata of Parquet and OMX files.

    Returns
    -------
    Path
        The file written.
    """
    fmt = matrix_format(path)
    if fmt == "omx":
        return write_omx(result, path, info=info)
    if fmt == "parquet":
        return write_parquet(result, path, wide=wide, info=info)
    return result.write(path, wide=wide)


def write_parquet(
    result: MatrixResult, path: str | Path, *, wide: str | None = None,
    info: MatrixInfo | None = None,
) -> Path:  # fmt: skip
    """Write the matrix as Parquet with ``steppe.*`` key-value metadata.

    ``steppe.metric`` is the metric that chose the routes (or the one written wide),
    ``steppe.unit`` its unit and ``steppe.units`` a JSON object of every column's unit.

    Examples
    --------
    >>> import steppe, tempfile, pyarrow.parquet as pq
    >>> m = steppe.routing.matrix(steppe.load_network(), ["almaty"], ["baku"])
    >>> path = write_parquet(m, tempfile.mkdtemp() + "/m.parquet")
    >>> pq.read_schema(path).metadata[b"steppe.unit"]
    b'h'
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtraError("pyarrow", "io") from exc
    from steppe.routing.options import Objective

    table = result.wide(wide).reset_index() if wide else result.table
    metric = wide or Objective(result.objective).metric
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    entries = (info or MatrixInfo()).entries(result, metric)
    metadata = {**(arrow.schema.metadata or {}),
                **{f"steppe.{k}".encode(): v.encode() for k, v in entries.items()}}  # fmt: skip
    arrow = arrow.replace_schema_metadata(metadata)
    with _atomic(Path(path)) as tmp:
        pq.write_table(arrow, tmp)
    return Path(path)


def write_omx(result: MatrixResult, path: str | Path, *, info: MatrixInfo | None = None) -> Path:
    """Write every metric as an OMX 0.2 matrix, origins by rows, destinations by columns.

    ``/lookup/origin`` and ``/lookup/destination`` hold the node ids (UTF-8 bytes), and
    ``/lookup/origin_name`` and ``/lookup/destination_name`` the place names; where the
    origins and destinations are the same places, ``/lookup/zone`` also holds them (the
    single lookup most OMX tools expect). Each matrix's ``unit`` attribute gives its unit,
    the file's attributes (``steppe.*``) the metadata of :class:`MatrixInfo`. A pair
    without a route is NaN, and so is the diagonal: steppe routes between places, not
    within one.

    Examples
    --------
    >>> import steppe, tempfile, h5py
    >>> m = steppe.routing.matrix(steppe.load_network(), ["almaty", "baku"], ["tbilisi"])
    >>> path = write_omx(m, tempfile.mkdtemp() + "/m.omx")
    >>> with h5py.File(path) as f:
    ...     f.attrs["SHAPE"].tolist(), sorted(f["data"])[:2], f["data/time_h"].attrs["unit"]
    ([2, 1], ['co2_kg', 'cost_usd'], 'h')
    """
    try:
        import h5py
    except ImportError as exc:
        raise MissingExtraError("h5py", "omx") from exc
    import numpy as np
    import pandas as pd

    from steppe.routing.options import Objective

    t = result.table
    origins = list(pd.unique(t["origin"]))
    dests = list(pd.unique(t["destination"]))
    if set(origins) == set(dests):
        dests = origins  # one zone system: the same order on both axes
    names = dict(zip(t["origin"], t["origin_name"], strict=True))
    names.update(zip(t["destination"], t["destination_name"], strict=True))
    entries = (info or MatrixInfo()).entries(result, Objective(result.objective).metric)
    with _atomic(Path(path)) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["OMX_VERSION"] = np.bytes_(_OMX_VERSION)
        f.attrs["SHAPE"] = np.array([len(origins), len(dests)], dtype=np.int32)
        for key, value in entries.items():
            f.attrs[f"steppe.{key}"] = value
        data, lookup = f.create_group("data"), f.create_group("lookup")
        for metric, unit in UNITS.items():
            grid = t.pivot(index="origin", columns="destination", values=metric)
            grid = grid.reindex(index=origins, columns=dests)
            ds = data.create_dataset(metric, data=grid.to_numpy(dtype=np.float64),
                                     compression="gzip")  # fmt: skip
            ds.attrs["unit"] = unit
        labels = {"origin": origins, "destination": dests,
                  "origin_name": [names[o] for o in origins],
                  "destination_name": [names[d] for d in dests]}  # fmt: skip
        if dests is origins:
            labels["zone"] = origins
        for key, values in labels.items():
            lookup.create_dataset(key, data=_fixed_utf8(values))
    return Path(path)


def _fixed_utf8(values: list[str]) -> npt.NDArray[np.bytes_]:
    """Return labels as fixed-length UTF-8 bytes: PyTables (and so openmatrix) cannot
    read HDF5's variable-length strings."""
    import numpy as np

    encoded = [v.encode("utf-8") for v in values]
    return np.array(encoded, dtype=f"S{max((len(b) for b in encoded), default=1)}")


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling of ``path``; rename it into place if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
