"""Static figures (PNG, SVG, PDF) from the report's Vega-Lite specs via vl-convert.

The same spec that the HTML page draws in the browser is rendered here
without a browser, so the static figures and the page always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ris3._validation import check_option
from ris3.errors import InputError

__all__ = ["FIGURE_FORMATS", "save_chart", "save_charts"]

FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def _spec(chart: Any) -> dict[str, Any]:
    if isinstance(chart, dict):
        return chart
    if hasattr(chart, "to_dict"):
        return dict(chart.to_dict())
    raise InputError(
        f"chart must be an Altair chart or a Vega-Lite dict; got {type(chart).__name__}"
    )


def save_chart(chart: Any, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write one chart as PNG, SVG or PDF, chosen by the file extension.

    Parameters
    ----------
    chart : altair.Chart or dict
        The chart or its Vega-Lite spec.
    path : str or Path
        Output file ending in ``.png``, ``.svg`` or ``.pdf``; folders are created.
    scale : float, default 2.0
        Pixel density of PNG output (2 = sharp on high-resolution screens).

    Returns
    -------
    Path

    Examples
    --------
    >>> import altair as alt, pandas as pd, tempfile, pathlib
    >>> c = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    >>> out = save_chart(c, pathlib.Path(tempfile.mkdtemp()) / "c.svg")
    >>> out.read_text()[:4]
    '<svg'
    """
    import vl_convert as vlc

    from ris3.report._assets import vega_lite_version

    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    check_option("file extension", fmt, FIGURE_FORMATS)
    spec, version = _spec(chart), vega_lite_version()
    p.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "svg":
        p.write_text(vlc.vegalite_to_svg(spec, vl_version=version), encoding="utf-8")
    elif fmt == "png":
        # render the SVG once and rasterise it: the same pixels as vegalite_to_png
        svg = vlc.vegalite_to_svg(spec, vl_version=version)
        p.write_bytes(vlc.svg_to_png(svg, scale=scale))
    else:
        p.write_bytes(vlc.vegalite_to_pdf(spec, vl_version=version))
    return p


def save_charts(
    charts: Iterable[tuple[str, Any]], folder: str | Path, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write every ``(name, chart)`` in each format as ``folder/name.<format>``."""
    import vl_convert as vlc

    from ris3.report._assets import vega_lite_version

    for f in formats:
        check_option("format", f, FIGURE_FORMATS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, chart in charts:
        spec = _spec(chart)
        if "svg" in formats or "png" in formats:
            # one Vega rendering serves both the SVG and the PNG
            svg = vlc.vegalite_to_svg(spec, vl_version=vega_lite_version())
            if "svg" in formats:
                out.append(folder / f"{name}.svg")
                out[-1].write_text(svg, encoding="utf-8")
            if "png" in formats:
                out.append(folder / f"{name}.png")
                out[-1].write_bytes(vlc.svg_to_png(svg, scale=2.0))
        if "pdf" in formats:
            out.append(save_chart(spec, folder / f"{name}.pdf"))
    return out
