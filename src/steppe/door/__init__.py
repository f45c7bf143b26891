"""Door to door: routes from any GeoNames town or ``lat,lon`` point of the region.

Off-network ends join the corridor network by a first or last mile on an embedded
OpenStreetMap road graph (:mod:`steppe.door.roads`), to the best of several access
places chosen inside the search (:mod:`steppe.door.search`).  Towns and roads are read
on first use; importing this package costs nothing.  See ``docs/door-to-door.md``.
"""

from steppe.door.places import OutsideCoverageError, Point, find_town
from steppe.door.roads import NoRoadError
from steppe.door.search import door_route, resolve_end

__all__ = ["NoRoadError", "OutsideCoverageError", "Point", "door_route", "find_town", "resolve_end"]
