"""A self-contained HTML page of sections with Vega-Lite charts and tables.

The page inlines the Vega, Vega-Lite and vega-embed libraries (see
:mod:`ris3.report._assets`), so it opens offline from a file. Each chart is an
Altair chart whose Vega-Lite spec is embedded as JSON; the same spec gives the
static PNG/SVG/PDF figures (:mod:`ris3.report.export`).

After rendering, the page sets ``window.ris3Charts`` to
``{"expected": n, "rendered": [names], "errors": [messages]}`` so a browser
test can check that every chart drew.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Column", "Page", "Section", "to_records"]


def to_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``df`` as JSON-ready dicts: NaN/NA become ``None``, values are not rounded.

    Examples
    --------
    >>> import numpy as np
    >>> to_records(pd.DataFrame({"a": [1 / 3, np.nan], "b": ["x", None]}))
    [{'a': 0.3333333333333333, 'b': 'x'}, {'a': None, 'b': None}]
    """
    columns = [str(c) for c in df.columns]
    lists = []
    for c in df.columns:
        col = df[c]
        vals = col.astype(object).where(col.notna(), None).tolist()
        lists.append([v.item() if hasattr(v, "item") else v for v in vals])
    return [dict(zip(columns, row)) for row in zip(*lists)]


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):
        return obj.item()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def spec_json(spec: dict[str, Any]) -> str:
    """JSON of a spec, safe to place inside an inline ``<script>``."""
    text = json.dumps(spec, default=_json_default, allow_nan=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


@dataclass(frozen=True)
class Column:
    """How a table column is shown: source column, header and number format.

    ``fmt`` is a format string such as ``"{:,.0f}"`` or a callable; missing
    values show as an en dash with a tooltip saying they are missing.
    """

    name: str
    header: str
    fmt: str | Callable[[Any], str] = "{}"
    numeric: bool = False


def _cell(value: Any, col: Column) -> str:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if not missing:
        try:
            missing = bool(pd.isna(value))
        except (TypeError, ValueError):
            missing = False
    cls = ' class="num"' if col.numeric else ""
    if missing:
        return f'<td{cls} title="missing or confidential">&ndash;</td>'
    text = col.fmt(value) if callable(col.fmt) else col.fmt.format(value)
    return f"<td{cls}>{html.escape(str(text))}</td>"


def html_table(
    df: pd.DataFrame, columns: Sequence[Column], *, table_id: str, highlight: str | None = None
) -> str:
    """Return an HTML ``<table>`` of ``df`` with the given columns (values escaped).

    ``highlight`` names a boolean column whose true rows get the class ``hl``.
    """
    num = ' class="num"'
    head = "".join(f"<th{num if c.numeric else ''}>{html.escape(c.header)}</th>" for c in columns)
    rows = []
    flags = df[highlight].to_numpy(dtype=bool) if highlight else [False] * len(df)
    records = df[[c.name for c in columns]].to_dict("records")
    for rec, flag in zip(records, flags):
        cells = "".join(_cell(rec[c.name], c) for c in columns)
        hl = ' class="hl"' if flag else ""
        rows.append(f"<tr{hl}>{cells}</tr>")
    return (
        f'<table id="{html.escape(table_id)}" class="data"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


@dataclass
class Section:
    """One numbered section of the page: a title and a list of HTML blocks."""

    id: str
    title: str
    blocks: list[str] = field(default_factory=list)
    charts: list[tuple[str, Any]] = field(default_factory=list)

    def text(self, paragraph: str) -> None:
        """Add a paragraph (plain text, escaped)."""
        self.blocks.append(f"<p>{html.escape(paragraph)}</p>")

    def raw(self, fragment: str) -> None:
        """Add an HTML fragment built by ris3 itself (never user text)."""
        self.blocks.append(fragment)

    def notice(self, message: str) -> None:
        """Add a visible notice, e.g. why a part of the profile is not available."""
        self.blocks.append(f'<p class="notice">{html.escape(message)}</p>')

    def items(self, lines: Sequence[str]) -> None:
        """Add a bulleted list of plain-text lines."""
        lis = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
        self.blocks.append(f"<ul>{lis}</ul>")

    def table(
        self,
        df: pd.DataFrame,
        columns: Sequence[Column],
        *,
        name: str,
        caption: str | None = None,
        highlight: str | None = None,
    ) -> None:
        """Add a table of ``df`` (see :func:`html_table`)."""
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        self.blocks.append(
            cap + html_table(df, columns, table_id=f"table-{name}", highlight=highlight)
        )

    def chart(self, name: str, chart: Any, caption: str | None = None) -> None:
        """Add an Altair chart; ``name`` is its file name for static exports."""
        self.charts.append((name, chart))
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        self.blocks.append(
            f'<figure class="chart"><div id="chart-{html.escape(name)}" '
            f'data-chart="{html.escape(name)}"></div>{cap}</figure>'
        )


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;
background:#fafafa;line-height:1.45}
header{background:#17324d;color:#fff;padding:1.4em 2em}
header h1{margin:0 0 .2em 0;font-size:1.7em} header p{margin:.2em 0;opacity:.9}
nav{background:#fff;border-bottom:1px solid #ddd;padding:.5em 2em;font-size:.9em}
nav a{margin-right:1.1em;color:#17324d;text-decoration:none}
main{max-width:1180px;margin:0 auto;padding:1em 2em 3em}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:1em 1.5em;margin:1.2em 0}
h2{font-size:1.25em;margin:.2em 0 .6em;color:#17324d}
table.data{border-collapse:collapse;font-size:.86em;margin:.4em 0 1em}
table.data th,table.data td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:left}
table.data th{background:#f2f4f7;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.hl td{background:#fff4d6;font-weight:600}
.notice{background:#fdecea;border-left:4px solid #c0392b;padding:.5em .8em}
.banner{background:#fff4d6;border:2px solid #b7791f;padding:.6em .9em;font-size:1.05em}
.caption{color:#555;font-size:.88em;margin:.2em 0 .6em}
figure.chart{margin:.5em 0 1em;display:inline-block;vertical-align:top;margin-right:1.5em} .kpi{display:inline-block;margin:0 2em .5em 0}
.kpi b{display:block;font-size:1.5em;color:#17324d}
footer{color:#666;font-size:.85em;text-align:center;padding:1em}
@media print{nav{display:none} body{background:#fff} figure.chart,tr,.kpi{break-inside:avoid}
section{border:none;padding:0 0 .5em} main{max-width:none;padding:0 1em}}
"""

_RUN = """
(function(){
  var specs = JSON.parse(document.getElementById('ris3-specs').textContent);
  var state = {expected: Object.keys(specs).length, rendered: [], errors: [], done: false};
  window.ris3Charts = state;
  var jobs = Object.keys(specs).map(function(name){
    var el = document.getElementById('chart-' + name);
    return vegaEmbed(el, specs[name], {renderer: 'svg', actions: false})
      .then(function(){ state.rendered.push(name); })
      .catch(function(err){
        state.errors.push(name + ': ' + err);
        el.textContent = 'This chart could not be drawn: ' + err;
      });
  });
  Promise.all(jobs).then(function(){ state.done = true; });
})();
"""


@dataclass
class Page:
    """An HTML report: a header, numbered sections and a footer.

    Examples
    --------
    >>> page = Page("Demo", subtitle="A page")
    >>> s = page.section("intro", "Introduction")
    >>> s.text("Hello & welcome")
    >>> "Hello &amp; welcome" in page.to_html(bundle="")
    True
    """

    title: str
    subtitle: str = ""
    footer: str = ""
    sections: list[Section] = field(default_factory=list)
    _specs: tuple[tuple[int, ...], dict[str, dict[str, Any]]] | None = field(
        default=None, repr=False
    )

    def section(self, id: str, title: str) -> Section:
        """Start a new section and return it."""
        sec = Section(id=id, title=title)
        self.sections.append(sec)
        return sec

    @property
    def charts(self) -> list[tuple[str, Any]]:
        """All charts of the page as ``(name, chart)``, in page order."""
        return [c for s in self.sections for c in s.charts]

    def specs(self) -> dict[str, dict[str, Any]]:
        """Return the Vega-Lite spec of every chart, by name (computed once, then reused)."""
        key = tuple(id(c) for _, c in self.charts)
        if self._specs is not None and self._specs[0] == key:
            return self._specs[1]
        out: dict[str, dict[str, Any]] = {}
        for name, chart in self.charts:
            if name in out:
                raise ValueError(f"two charts are named {name!r}")
            # validated against the Vega-Lite schema by the tests and by the browser;
            # skipped here because it costs seconds on specs with inline GeoJSON
            out[name] = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else dict(chart)
        self._specs = (key, out)
        return out

    def to_html(self, *, bundle: str | None = None) -> str:
        """Return the whole page as one HTML string.

        ``bundle`` is the JavaScript to inline; by default the Vega libraries
        from :func:`ris3.report._assets.javascript_bundle`.
        """
        if bundle is None:
            from ris3.report._assets import javascript_bundle

            bundle = javascript_bundle()
        nav = "".join(
            f'<a href="#{html.escape(s.id)}">{i}. {html.escape(s.title)}</a>'
            for i, s in enumerate(self.sections, 1)
        )
        body = "".join(
            f'<section id="{html.escape(s.id)}"><h2>{i}. {html.escape(s.title)}</h2>'
            f"{''.join(s.blocks)}</section>"
            for i, s in enumerate(self.sections, 1)
        )
        specs = spec_json(self.specs())
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style>"
            f"<script>{bundle}</script></head><body>"
            f"<header><h1>{html.escape(self.title)}</h1><p>{html.escape(self.subtitle)}</p>"
            f"</header><nav>{nav}</nav><main>{body}</main>"
            f"<footer>{html.escape(self.footer)}</footer>"
            f'<script type="application/json" id="ris3-specs">{specs}</script>'
            f"<script>{_RUN}</script></body></html>\n"
        )
