"""Write a :class:`~ris3.report.region_profile.RegionProfile` as an offline HTML report with figures.

Output folder layout::

    index.html          the report (Vega libraries and data inlined; opens offline)
    figures/<name>.png  each chart as PNG (and .svg, .pdf per ``formats``)
    tables/<name>.csv   the tables behind the report, at full precision
    profile.pdf         the whole report printed by headless Chromium (format "pdf")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ris3._validation import check_option
from ris3.errors import InputError
from ris3.report.page import build_page
from ris3.report.region_profile import RegionProfile

__all__ = ["REPORT_FORMATS", "build_page", "write_profile"]

REPORT_FORMATS: tuple[str, ...] = ("html", "png", "svg", "pdf")


def write_profile(
    p: RegionProfile,
    out: str | Path,
    *,
    formats: Iterable[str] = ("html", "png", "svg"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write the report of a profile into the folder ``out``.

    Parameters
    ----------
    p : RegionProfile
        From :func:`ris3.report.profile`.
    out : str or Path
        Output folder (created if needed).
    formats : iterable of {"html", "png", "svg", "pdf"}
        ``html`` writes ``index.html`` and the CSV tables; ``png``/``svg``
        write every chart to ``figures/``; ``pdf`` prints the whole report
        with headless Chromium to ``profile.pdf`` when ``/usr/bin/chromium``
        is installed (the HTML page is written too, as that is what is
        printed), else writes one PDF per chart with vl-convert.

    Returns
    -------
    dict
        What was written: ``"html"``, ``"figures"`` (folder), ``"tables"``
        (folder), ``"pdf"``.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from ris3.report import profile
    >>> rows = {"XA11": (50, 30, 20), "XA12": (20, 50, 30), "XB11": (40, 60, 100),
    ...         "XB12": (50, 40, 10)}
    >>> df = pd.DataFrame([
    ...     {"nuts": r, "nace": a, "year": y, "emp": v * (0.8 if y == 2010 else 1.0)}
    ...     for y in (2010, 2015) for r, vals in rows.items() for a, v in zip("abc", vals)])
    >>> p = profile("XA11", data=df, region="nuts", activity="nace",
    ...             value="emp", n_peers=2)
    >>> out = write_profile(p, tempfile.mkdtemp(), formats=["html"])
    >>> sorted(out), out["html"].name
    (['html', 'tables'], 'index.html')
    """
    fmts = [check_option("format", f, REPORT_FORMATS) for f in formats]
    if not fmts:
        raise InputError(f"formats must name at least one of {REPORT_FORMATS}; got none")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if progress:
        progress("build charts")
    page = build_page(p)
    written: dict[str, Path] = {}
    html_path = folder / "index.html"
    if "html" in fmts or "pdf" in fmts:
        if progress:
            progress("write HTML")
        html_path.write_text(page.to_html(), encoding="utf-8")
        written["html"] = html_path
        tdir = folder / "tables"
        tdir.mkdir(exist_ok=True)
        for name, t in p.tables().items():
            t.to_csv(tdir / f"{name}.csv", index=False)
        written["tables"] = tdir
    static = [f for f in ("png", "svg") if f in fmts]
    if static:
        from ris3.report.export import save_charts

        if progress:
            progress("export figures")
        save_charts(page.specs().items(), folder / "figures", static)
        written["figures"] = folder / "figures"
    if "pdf" in fmts:
        if progress:
            progress("print PDF")
        from ris3.report.browser import chromium_path, open_report

        if chromium_path() is not None:
            check = open_report(html_path, pdf=folder / "profile.pdf")
            if not check.ok:
                raise InputError(f"the report did not render cleanly in Chromium: {check}")
            written["pdf"] = folder / "profile.pdf"
        else:
            from ris3.report.export import save_charts

            save_charts(page.specs().items(), folder / "figures", ["pdf"])
            written["pdf"] = folder / "figures"
    # a PDF of an earlier run no longer matches index.html: remove it
    old_pdf = folder / "profile.pdf"
    if written.get("pdf") != old_pdf and old_pdf.is_file():
        old_pdf.unlink()
    p.timings["write report"] = time.perf_counter() - t0
    return written
