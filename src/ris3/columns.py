"""The one list of output column names of ris3, with their meaning and unit.

``ris3.glossary()`` shows it as a table; ``COLUMNS`` is the same list for code.
The module is not called ``glossary`` so that ``ris3.glossary`` is always the
function, whatever was imported before.

Every tidy table that ris3 returns uses these names for the columns it
computes. Key columns (region, activity, time) and the value column keep the
names of the caller's columns, so they are not listed here: a table read
with ``region="geo"`` has a column ``geo`` in every output.

Examples
--------
>>> import ris3
>>> g = ris3.glossary()
>>> g.set_index("column").loc["lq", ["unit", "dtype"]].tolist()
['ratio (1 = as in the reference)', 'float']
>>> COLUMNS["growth"].unit
'fraction per year'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["COLUMNS", "Column", "glossary"]


@dataclass(frozen=True)
class Column:
    """Meaning, unit and dtype of one output column."""

    meaning: str
    unit: str
    dtype: str


_RATIO = "ratio (1 = as in the reference)"
_FRACTION = "fraction (0-1)"
_PER_YEAR = "fraction per year"
_VALUE = "unit of the value column"
_COUNT = "count"

COLUMNS: dict[str, Column] = {
    # specialisation
    "lq": Column("location quotient: share / reference_share", _RATIO, "float"),
    "specialised": Column("lq >= threshold (> threshold with strict=True)", "", "bool"),
    "specialised_start": Column("specialised in the start period", "", "bool"),
    "specialised_end": Column("specialised in the end period", "", "bool"),
    "share": Column("value / the region's total value", _FRACTION, "float"),
    "reference_share": Column(
        "the activity's value / the total value in the reference area", _FRACTION, "float"
    ),
    "share_start": Column("share in the start period", _FRACTION, "float"),
    "share_end": Column("share in the end period", _FRACTION, "float"),
    "region_total": Column(
        "the region's total the share divides by (published or observed)", _VALUE, "float"
    ),
    "coverage": Column(
        "observed value / published total (how much of the total the cells see)",
        _FRACTION,
        "float",
    ),
    "denominator": Column(
        "which total the share divides by: 'observed' cells or 'published' totals", "", "str"
    ),
    # per capita
    "population": Column("the region's population", "persons", "float"),
    "value_per_capita": Column("value / population", "unit of the value per person", "float"),
    "reference_per_capita": Column(
        "the activity's value per person in all regions", "unit of the value per person", "float"
    ),
    "rpop": Column(
        "value_per_capita / reference_per_capita (revealed comparative advantage per capita)",
        _RATIO,
        "float",
    ),
    # values over time
    "value": Column("the value summed over the row's activities (or cells)", _VALUE, "float"),
    "value_start": Column("value in the start period", _VALUE, "float"),
    "value_end": Column("value in the end period", _VALUE, "float"),
    "change": Column("value_end - value_start", _VALUE, "float"),
    "growth": Column(
        "compound annual growth rate of the value, (value_end / value_start) ** (1 / years) - 1",
        _PER_YEAR,
        "float",
    ),
    "reference_growth": Column(
        "the growth the row is compared with (the cluster in all regions, the total, or a "
        "given number)",
        _PER_YEAR,
        "float",
    ),
    "reference_lq_change": Column(
        "the LQ change the row is compared with (portfolio with growth='lq')", "LQ points", "float"
    ),
    "activity_growth": Column(
        "compound annual growth rate of the activity in the reference area", _PER_YEAR, "float"
    ),
    "lq_start": Column("lq in the start period", _RATIO, "float"),
    "lq_end": Column("lq in the end period", _RATIO, "float"),
    "lq_change": Column("lq_end - lq_start", "LQ points", "float"),
    "transition": Column(
        "entry, exit, kept, absent or unknown (specialised_start -> specialised_end)", "", "str"
    ),
    "n_specialised_start": Column("activities specialised in the start period", _COUNT, "int"),
    "n_specialised_end": Column("activities specialised in the end period", _COUNT, "int"),
    "n_entries": Column("activities that became specialised", _COUNT, "int"),
    "n_exits": Column("activities that stopped being specialised", _COUNT, "int"),
    "n_kept": Column("activities specialised in both periods", _COUNT, "int"),
    "n_unknown": Column(
        "activities whose transition is unknown (missing, confidential or a break)", _COUNT, "int"
    ),
    # data honesty
    "estimated": Column("the value is an estimate, not a published figure", "", "bool"),
    "break_in_series": Column("a break in series lies between the two periods", "", "bool"),
    "status": Column(
        "why a row has no comparison: observed, missing_start, missing_end, missing_both, break",
        "",
        "str",
    ),
    "n_left_out": Column(
        "rows left out of a computation (missing or not comparable)", _COUNT, "int"
    ),
    "flag": Column(
        "the source's flag of the cell (Eurostat: c confidential, b break in series, "
        "e estimated, p provisional, u low reliability; empty when none)",
        "",
        "str",
    ),
    "emp_possibly_suppressed": Column(
        "County Business Patterns: employment 0 with establishments, a cell that may be "
        "withheld rather than empty",
        "",
        "bool",
    ),
    "missing": Column("the cell is missing or confidential in the data", "", "bool"),
    # data quality of a file read (QualityReport.tidy, .anomalies, .coverage)
    "dimension": Column("which codes a row counts: region or activity", "", "str"),
    "code": Column("a region or activity code of the file", "", "str"),
    "n_cells": Column("rows of the file with this code", _COUNT, "int"),
    "n_missing": Column("of them, rows whose value is missing", _COUNT, "int"),
    "n_confidential": Column("of them, rows flagged confidential", _COUNT, "int"),
    "n_suspect": Column("of them, rows present but doubtful", _COUNT, "int"),
    "missing_share": Column("n_missing / n_cells", _FRACTION, "float"),
    "confidential_share": Column("n_confidential / n_cells", _FRACTION, "float"),
    "known": Column("the classification knows the code (NA when none was checked)", "", "bool"),
    "kind": Column("the kind of anomaly (negative, parts_exceed_total, ...)", "", "str"),
    "keys": Column("the other key columns of the anomalous cell", "", "str"),
    "reference": Column("the total a cell was compared with", _VALUE, "float"),
    "detail": Column("what is wrong, in words", "", "str"),
    "sum_of_parts": Column("sum of the parts' values (NaN cells left out)", _VALUE, "float"),
    "parts": Column("parts (child rows) of the total", _COUNT, "int"),
    "parts_missing": Column("parts whose value is missing", _COUNT, "int"),
    "tolerance": Column("rounding allowed between sum_of_parts and total", _VALUE, "float"),
    # concentration and diversity
    "herfindahl": Column("sum of squared shares", "index (0-1)", "float"),
    "krugman_index": Column(
        "sum of |share - reference_share| over activities (halved with halved=True)",
        "index (0-2)",
        "float",
    ),
    "coefficient_of_specialisation": Column(
        "half the sum of |share - reference_share|", "index (0-1)", "float"
    ),
    "hoover_index": Column(
        "half the sum over regions of |region's share of the activity - region's share of all|",
        "index (0-1)",
        "float",
    ),
    "gini": Column("Gini coefficient of the region's LQs (or shares)", "index (0-1)", "float"),
    "locational_gini": Column(
        "Gini coefficient of the activity's spread over regions", "index (0-1)", "float"
    ),
    "diversity": Column("number of activities the region is specialised in", _COUNT, "int"),
    "ubiquity": Column("number of regions specialised in the activity", _COUNT, "int"),
    "entropy": Column("Shannon entropy of the region's shares", "bits (base=2)", "float"),
    "related_variety": Column(
        "entropy within the parent groups, weighted by the groups' shares", "bits", "float"
    ),
    "unrelated_variety": Column("entropy of the parent groups' shares", "bits", "float"),
    # relatedness and complexity
    "activity_from": Column("the first activity of a pair", "activity code", "str"),
    "activity_to": Column("the second activity of a pair", "activity code", "str"),
    "proximity": Column(
        "relatedness of two activities (co-specialisation or co-location)", "index", "float"
    ),
    "density": Column(
        "relatedness density: proximity-weighted share of the activity's related activities "
        "the region is specialised in",
        _FRACTION,
        "float",
    ),
    "eci": Column("economic complexity index of the region", "standardised score", "float"),
    "pci": Column("product (activity) complexity index", "standardised score", "float"),
    "coi": Column("complexity outlook index of the region", "standardised score", "float"),
    "cog": Column("complexity outlook gain of the activity for the region", "score", "float"),
    # clusters
    "cluster": Column("cluster code of the cluster definition", "", "str"),
    "cluster_name": Column("cluster name", "", "str"),
    "cluster_type": Column("traded or local", "", "str"),
    "subcluster": Column("subcluster code", "", "str"),
    "establishments": Column("establishments (local units) in the cluster", _COUNT, "float"),
    "wages": Column("wages paid in the cluster", "unit of the wages column", "float"),
    "value_rank": Column(
        "rank of value among regions with value > 0 (1 = largest; ties share the best rank)",
        "rank",
        "float",
    ),
    "lq_rank": Column("rank of lq among regions with value > 0 (1 = largest)", "rank", "float"),
    "n_regions": Column("regions with value > 0 in the cluster and period", _COUNT, "int"),
    "size_star": Column("the cluster is in the top size_top_share of regions by value", "", "bool"),
    "specialisation_star": Column("lq >= specialisation_lq", "", "bool"),
    "focus_star": Column(
        "the cluster is in the top focus_top_share of regions by share of traded value", "", "bool"
    ),
    "stars": Column("number of stars (size, specialisation, focus)", _COUNT, "int"),
    "strong": Column("strong cluster (Delgado, Porter and Stern)", "", "bool"),
    "visible_share": Column("share of the cluster's value in observed cells", _FRACTION, "float"),
    "incomplete_share": Column(
        "share of the cluster's activities that are missing in the region", _FRACTION, "float"
    ),
    "lq_threshold": Column(
        "the LQ percentile a strong cluster must reach in its cluster and period", _RATIO, "float"
    ),
    "value_threshold": Column(
        "the value percentile a strong cluster must exceed in its cluster and period",
        _VALUE,
        "float",
    ),
    "establishments_threshold": Column(
        "the establishments percentile a strong cluster must exceed", _COUNT, "float"
    ),
    "strong_value": Column("the region's value in its strong traded clusters", _VALUE, "float"),
    "n_strong_clusters": Column("strong traded clusters of the region", _COUNT, "int"),
    "cluster_strength": Column("strong_value / traded_value", _FRACTION, "float"),
    "cluster_from": Column("the first cluster of a pair", "cluster code", "str"),
    "cluster_to": Column("the second cluster of a pair", "cluster code", "str"),
    "n_pairs": Column("activity pairs aggregated into the cluster pair", _COUNT, "int"),
    "quadrant": Column("portfolio or opportunity quadrant", "", "str"),
    "stage": Column("life-cycle stage: emerging, growing, mature, declining, marginal", "", "str"),
    "value_total": Column("the region's value in all activities", _VALUE, "float"),
    "value_covered": Column("the region's value in the definition's clusters", _VALUE, "float"),
    "value_uncovered": Column("the region's value outside the clusters", _VALUE, "float"),
    "uncovered_share": Column("value_uncovered / value_total", _FRACTION, "float"),
    "traded_value": Column("the region's value in traded clusters", _VALUE, "float"),
    "traded_share": Column("traded_value / value_total", _FRACTION, "float"),
    # network
    "source": Column("first node of an edge", "", "str"),
    "target": Column("second node of an edge", "", "str"),
    "weight": Column("edge weight (the proximity)", "index", "float"),
    "in_tree": Column("the edge is in the maximum spanning tree", "", "bool"),
    "id": Column("node id (activity or cluster code)", "", "str"),
    "x": Column("layout x coordinate", "", "float"),
    "y": Column("layout y coordinate", "", "float"),
    "degree": Column("number of edges of the node", _COUNT, "int"),
    "strength": Column("sum of the node's edge weights", "index", "float"),
    # peers and partners
    "rank": Column("rank (1 = best)", "rank", "int"),
    "similarity": Column("similarity of the region's profile to the target's", "index", "float"),
    "total": Column("the region's total value", _VALUE, "float"),
    "size_ratio": Column("total / the target's total", "ratio", "float"),
    "n_specialisations": Column("activities the region is specialised in", _COUNT, "int"),
    "n_shared": Column("specialisations shared with the target", _COUNT, "int"),
    "n_complementary": Column(
        "the region's specialisations related to the target's but not shared", _COUNT, "int"
    ),
    "overlap": Column("n_shared / the target's specialisations", _FRACTION, "float"),
    "relatedness": Column(
        "mean proximity of the region's specialisations to the target's", "index", "float"
    ),
    "score": Column("partner score (ranks by)", "index", "float"),
    # shift-share
    "national_effect": Column(
        "shift-share: the change had the cell grown as the reference's total", _VALUE, "float"
    ),
    "industry_mix_effect": Column(
        "shift-share: the change due to the activity's growth in the reference beyond the total's",
        _VALUE,
        "float",
    ),
    "competitive_effect": Column(
        "shift-share: the rest of the change (the region against the activity's reference growth)",
        _VALUE,
        "float",
    ),
    "n_activities": Column("activities summed (comparable cells)", _COUNT, "int"),
    # published totals and aggregation
    "observed": Column("sum of the observed cells", _VALUE, "float"),
    "exact": Column("the total is exactly the published figure", "", "bool"),
    "aggregates_published": Column("published parent rows used", _COUNT, "int"),
    "aggregates_missing": Column("parent rows not published", _COUNT, "int"),
    "n_children": Column("child codes of the parent in the hierarchy", _COUNT, "int"),
    "n_absent_children": Column("child codes without a row in the data", _COUNT, "int"),
    "n_missing_children": Column("child rows whose value is missing", _COUNT, "int"),
    "n_reported": Column("child rows with a value", _COUNT, "int"),
    "parent_total": Column("published total of the parent", _VALUE, "float"),
}


def glossary() -> pd.DataFrame:
    """Return the output column names of ris3: column, meaning, unit, dtype.

    Key columns (region, activity, time) and a passed-through value column
    keep the caller's names and are not listed.

    Returns
    -------
    pandas.DataFrame
        One row per column name, sorted by name.

    Examples
    --------
    >>> import ris3
    >>> g = ris3.glossary()
    >>> list(g.columns)
    ['column', 'meaning', 'unit', 'dtype']
    >>> g.set_index("column").loc["specialised", "dtype"]
    'bool'
    """
    rows = [
        {"column": name, "meaning": c.meaning, "unit": c.unit, "dtype": c.dtype}
        for name, c in sorted(COLUMNS.items())
    ]
    return pd.DataFrame(rows, columns=["column", "meaning", "unit", "dtype"])
