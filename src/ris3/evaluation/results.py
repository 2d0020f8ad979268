"""The results object of a programme evaluation: tables, verdict and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ris3._validation import check_option
from ris3.errors import InputError

__all__ = ["EvaluationResult", "REFERENCE_GROUPS", "METHODS"]

REFERENCE_GROUPS: dict[str, str] = {
    "same_region": "other firms in the programme region(s)",
    "peer_regions": "same-industry firms in peer regions without the programme",
}
METHODS: dict[str, str] = {
    "did_twfe": "difference in differences, two-way fixed effects",
    "did_staggered": "difference in differences, interaction-weighted (robust to staggered entry)",
    "naive": "members vs non-members in programme years (no control for selection)",
}


@dataclass
class EvaluationResult:
    """Everything :func:`~ris3.evaluation.evaluate_programme` estimated.

    Attributes
    ----------
    estimates : DataFrame
        One row per outcome x reference group x method: ``outcome,
        reference_group, method, estimate, std_error, ci_low, ci_high,
        p_value, n_obs, n_firms, n_members`` (effects on the outcome's scale:
        log points for logged outcomes).
    event_study : DataFrame
        ``outcome, reference_group, rel_time, estimate, std_error, ci_low,
        ci_high, n_members`` (interaction-weighted estimator; ``rel_time = -1`` is the reference).
    pretrends : DataFrame
        ``outcome, reference_group, statistic, df, p_value, min_members``:
        joint Wald test that all leads are zero, and the fewest member firms
        behind one lead.
    productivity : DataFrame
        ``outcome, term, estimate, std_error, ci_low, ci_high, p_value, n_obs``.
    trends : DataFrame
        ``outcome, year, group, mean, n_firms``: yearly outcome means of
        members and of each reference group's non-members.
    info : dict
        Programme and peer regions, member activities, the preparation
        report, alpha, and the outcome descriptions.
    """

    estimates: pd.DataFrame
    event_study: pd.DataFrame
    pretrends: pd.DataFrame
    productivity: pd.DataFrame
    trends: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def alpha(self) -> float:
        """Significance level of the tests and intervals (``info['alpha']``, default 0.05)."""
        return float(self.info.get("alpha", 0.05))

    def tidy(self) -> pd.DataFrame:
        """All effect estimates in one long table (DiD, naive, productivity terms).

        Columns: ``table`` ("effect" or "productivity"), ``outcome``,
        ``reference_group``, ``method``, ``term``, ``estimate``,
        ``std_error``, ``ci_low``, ``ci_high``, ``p_value``, ``n_obs``.
        """
        eff = self.estimates.assign(table="effect", term="member after entry")
        prod = self.productivity.assign(
            table="productivity", reference_group="same_region", method="ols_fixed_effects"
        )
        cols = [
            "table",
            "outcome",
            "reference_group",
            "method",
            "term",
            "estimate",
            "std_error",
            "ci_low",
            "ci_high",
            "p_value",
            "n_obs",
        ]
        frames = [f.reindex(columns=cols) for f in (eff, prod) if len(f)]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)

    def verdict(self) -> pd.DataFrame:
        """Return the combined verdict per outcome across both reference groups.

        The effect per reference group is the staggered (interaction-weighted) DiD (or the
        two-way fixed effects DiD when only that was estimated). Rules, with
        ``alpha`` the significance level:

        - a pre-trend test rejecting in a reference group makes that group's
          estimate unreliable: the verdict is "inconclusive: pre-trends";
        - significant with the same sign in every reference group:
          "positive effect" / "negative effect";
        - significant in some groups only, or with opposite signs: "mixed";
        - otherwise "no significant effect".

        ``naive_bias_z`` is ``(naive - DiD) / sqrt(se_naive^2 + se_DiD^2)``
        in the same-region group; ``|z|`` above the critical value means the
        naive comparison of members with non-members is biased by selection.
        """
        z = stats.norm.ppf(1 - self.alpha / 2)
        rows = []
        est = self.estimates
        for outcome in dict.fromkeys(est["outcome"]):
            e = est[est["outcome"] == outcome]
            row: dict[str, Any] = {"outcome": outcome}
            signs: list[float | None] = []
            notes: list[str] = []
            for group in REFERENCE_GROUPS:
                g = e[e["reference_group"] == group]
                did = _pick(g, ("did_staggered", "did_twfe"))
                if did is None:
                    continue
                row[f"effect_{group}"] = did["estimate"]
                row[f"se_{group}"] = did["std_error"]
                row[f"p_{group}"] = did["p_value"]
                pre = self.pretrends[
                    (self.pretrends["outcome"] == outcome)
                    & (self.pretrends["reference_group"] == group)
                ]
                p_pre = float(pre["p_value"].iloc[0]) if len(pre) else np.nan
                row[f"pretrend_p_{group}"] = p_pre
                if np.isfinite(p_pre) and p_pre < self.alpha:
                    notes.append(f"pre-trends differ vs {group} (p={p_pre:.3g})")
                    signs.append(None)
                else:
                    signs.append(np.sign(did["estimate"]) if did["p_value"] < self.alpha else 0)
            nv = _pick(e[e["reference_group"] == "same_region"], ("naive",))
            did_sr = _pick(e[e["reference_group"] == "same_region"], ("did_staggered", "did_twfe"))
            if nv is not None:
                row["naive"] = nv["estimate"]
                if did_sr is not None:
                    bz = (nv["estimate"] - did_sr["estimate"]) / np.hypot(
                        nv["std_error"], did_sr["std_error"]
                    )
                    row["naive_bias_z"] = bz
                    if abs(bz) > z:
                        notes.append("naive member vs non-member comparison is biased by selection")
            if not signs:
                text = "not estimated"
            elif any(s is None for s in signs):
                text = "inconclusive: pre-trends"
            elif all(s == 1 for s in signs):
                text = "positive effect"
            elif all(s == -1 for s in signs):
                text = "negative effect"
            elif all(s == 0 for s in signs):
                text = "no significant effect"
            else:
                text = "mixed"
            if len(signs) == 1 and text.endswith("effect") and text != "no significant effect":
                text += " (one reference group only)"
            row["verdict"] = text
            row["notes"] = "; ".join(notes)
            rows.append(row)
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """Return a plain-text report: programme, sample, verdict table and tests."""
        info = self.info
        lines = [
            "Programme evaluation",
            f"  programme region(s): {', '.join(info.get('programme_regions', []))}",
            f"  peer region(s): {', '.join(info.get('peer_regions', [])) or 'none'}",
            f"  member firms: {info.get('report', {}).get('members', '?')}",
            f"  significance level: {self.alpha:g}",
        ]
        rep = info.get("report", {})
        for key, what in (("missing", "missing"), ("nonpositive", "<= 0")):
            for col, n in (rep.get(key) or {}).items():
                lines.append(f"  left out of outcomes: {n} row(s) with {col!r} {what}")
        lines.append("")
        v = self.verdict()
        if len(v):
            show = v.copy()
            num = show.select_dtypes("number").columns
            show[num] = show[num].map(lambda x: f"{x:.4g}")
            lines.append(show.to_string(index=False))
        lines.append("")
        lines.append("Effects (log points for logged outcomes):")
        cols = [
            "outcome",
            "reference_group",
            "method",
            "estimate",
            "std_error",
            "p_value",
            "n_obs",
            "n_members",
        ]
        lines.append(self.estimates[cols].to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        if len(self.productivity):
            lines.append("")
            lines.append("Productivity regression:")
            lines.append(
                self.productivity.to_string(index=False, float_format=lambda x: f"{x:.4g}")
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        n = self.estimates["outcome"].nunique() if len(self.estimates) else 0
        return f"<EvaluationResult: {n} outcome(s), regions {self.info.get('programme_regions')}>"

    # charts -----------------------------------------------------------------

    def event_study_chart(self, outcome: str | None = None) -> Any:
        """Altair chart of leads and lags with confidence intervals.

        One colour per reference group; the dashed line marks entry.
        """
        alt = _altair()
        outcome = self._outcome(outcome, self.event_study)
        d = self.event_study[self.event_study["outcome"] == outcome]
        # side by side: reference groups drawn 0.1 year apart around each event time
        shift = {g: 0.1 * (2 * i - 1) for i, g in enumerate(REFERENCE_GROUPS)}
        d = d.assign(x=d["rel_time"] + d["reference_group"].map(shift).fillna(0.0))
        base = alt.Chart(d).encode(
            x=alt.X("x:Q", title="years since joining the programme"),
            color=alt.Color("reference_group:N", title="reference group"),
        )
        points = base.mark_point(filled=True).encode(
            y=alt.Y("estimate:Q", title=f"effect on {outcome}"),
            tooltip=["reference_group", "rel_time", "estimate", "std_error", "n_members"],
        )
        bars = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")
        zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="gray").encode(y="y:Q")
        entry = (
            alt.Chart(pd.DataFrame({"x": [-0.5]}))
            .mark_rule(strokeDash=[4, 4], color="gray")
            .encode(x="x:Q")
        )
        return (zero + entry + bars + points).properties(
            title=f"Event study: {outcome} (pre-trend test and dynamic effects)",
            width=480,
            height=280,
        )

    def trends_chart(self, outcome: str | None = None) -> Any:
        """Altair line chart of yearly means: members vs each reference group."""
        alt = _altair()
        outcome = self._outcome(outcome, self.trends)
        d = self.trends[self.trends["outcome"] == outcome]
        return (
            alt.Chart(d)
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title="year"),
                y=alt.Y("mean:Q", title=f"mean {outcome}", scale=alt.Scale(zero=False)),
                color=alt.Color("group:N", title="firms"),
                tooltip=["group", "year", "mean", "n_firms"],
            )
            .properties(title=f"{outcome}: members vs reference groups", width=480, height=280)
        )

    def charts(self) -> dict[str, Any]:
        """All charts by file stem: ``event_study_<outcome>``, ``trends_<outcome>``."""
        out = {}
        for o in dict.fromkeys(self.event_study["outcome"]):
            out[f"event_study_{o}"] = self.event_study_chart(o)
        for o in dict.fromkeys(self.trends["outcome"]):
            out[f"trends_{o}"] = self.trends_chart(o)
        return out

    def save(self, folder: str | Path, *, chart_format: str = "html") -> list[Path]:
        """Write tables (CSV), the summary (text) and charts; return the paths.

        ``chart_format`` is one of "html", "json" (Vega-Lite spec), "svg", "png".
        """
        check_option("chart_format", chart_format, ("html", "json", "svg", "png"))
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        tables = {
            "estimates": self.estimates,
            "verdict": self.verdict(),
            "event_study": self.event_study,
            "pretrends": self.pretrends,
            "productivity": self.productivity,
            "trends": self.trends,
        }
        for name, df in tables.items():
            p = folder / f"{name}.csv"
            df.to_csv(p, index=False)
            written.append(p)
        p = folder / "summary.txt"
        p.write_text(self.summary() + "\n", encoding="utf-8")
        written.append(p)
        charts = folder / "charts"
        charts.mkdir(exist_ok=True)
        for stem, chart in self.charts().items():
            p = charts / f"{stem}.{chart_format}"
            chart.save(str(p))
            written.append(p)
        return written

    def _outcome(self, outcome: str | None, table: pd.DataFrame) -> str:
        available = list(dict.fromkeys(table["outcome"]))
        if not available:
            raise InputError("no outcome has results for this chart")
        if outcome is None:
            return str(available[0])
        check_option("outcome", outcome, available)
        return outcome


def _pick(rows: pd.DataFrame, methods: tuple[str, ...]) -> dict[str, Any] | None:
    for m in methods:
        r = rows[rows["method"] == m]
        if len(r):
            return dict(r.iloc[0])
    return None


def _altair() -> Any:
    try:
        import altair as alt
    except ImportError as exc:  # pragma: no cover - altair is a core dependency
        from ris3.errors import OptionalDependencyError

        raise OptionalDependencyError("charts need altair: pip install altair") from exc
    return alt
