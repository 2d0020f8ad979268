"""Region profiles, charts and maps (Vega-Lite via Altair), offline HTML reports.

* :func:`profile` computes a region's profile as tables (:class:`RegionProfile`);
* :func:`write_profile` writes it as a self-contained HTML report with PNG/SVG
  figures, CSV tables and an optional PDF;
* :mod:`ris3.report.charts` and :mod:`ris3.report.maps` hold the chart
  functions (tidy tables in, Altair charts out); :mod:`ris3.report.export`
  writes static figures with vl-convert.

Altair and vl-convert are imported only when a chart is built.
"""

from __future__ import annotations

from ris3.report.page import build_page
from ris3.report.region_profile import STAGES, RegionProfile, profile, suggest_regions
from ris3.report.write import write_profile

__all__ = ["STAGES", "RegionProfile", "build_page", "profile", "suggest_regions", "write_profile"]
