"""Reports: self-contained HTML pages with inline SVG maps and charts."""

from steppe.reports.comparison import comparison_html
from steppe.reports.impact import impact_html

__all__ = ["comparison_html", "impact_html"]
