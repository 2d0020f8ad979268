"""Economic complexity of regions and activities: ECI, PCI, COI and COG.

:func:`complexity` reproduces the Growth Lab's ``ecomplexity`` conventions
(formulas in :mod:`ris3.kernels.complexity` and docs/DESIGN.md) on a tidy
table and returns a :class:`ComplexityResult`.

Two conventions differ between the Growth Lab's Stata and Python
(0.5.3) packages; ris3 follows Stata by default and offers the Python ones:

================  =====================================  ==============================
                  default (Stata ``ecomplexity``)        Python ``ecomplexity`` 0.5.3
================  =====================================  ==============================
sd of ``kc``      ddof = 1 over region x activity rows   ddof = 0 over regions
                  (``standardise="rows"``)               (``standardise="regions"``)
self-proximity    left out of density and COG            kept (``self_proximity=True``)
================  =====================================  ==============================

Presence is ``RCA >= threshold`` (both Python packages; Stata uses ``>``,
available as ``strict=True``).

Degenerate data: zero-total regions/activities are left out of a period
(NaN rows); regions with no specialisation, activities with no specialised
region and nodes outside the largest connected component of the
region-activity network get NaN ECI/PCI -- always with a
:class:`~ris3.errors.DegenerateDataWarning` naming them, and computed on the
rest. (``ecomplexity`` drops the zero rows and may return NaN for the whole
year.)

Small places: ``min_value=`` leaves regions whose total is below it out of
the period's computation (listed in :attr:`ComplexityResult.left_out`), as
the Atlas of Economic Complexity leaves out small exporters; a period whose
computation rests on fewer than 50 regions draws a
:class:`~ris3.errors.DataQualityWarning` naming the count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._validation import check_flag, check_number, check_option
from ris3.errors import InputError
from ris3.kernels import complexity as kc
from ris3.kernels.complexity import ComplexityMethod, Standardisation
from ris3.kernels.relatedness import PROXIMITY_METHODS, ProximityMethod
from ris3.measures._kernel_warnings import warn_complexity_exclusions
from ris3.measures.relatedness import (
    MIN_NETWORK_REGIONS,
    PeriodPresence,
    _proximity_frame,
    check_min_value,
    check_presence_options,
    expand,
    grid_keys,
    period_presence,
    specialised_array,
    warn_few_regions,
)
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["TIDY_COLUMNS", "ComplexityOptions", "ComplexityResult", "complexity"]

#: measure columns of :meth:`ComplexityResult.tidy` after the key columns
TIDY_COLUMNS: tuple[str, ...] = (
    "lq",
    "specialised",
    "density",
    "diversity",
    "ubiquity",
    "eci",
    "pci",
    "coi",
    "cog",
)


@dataclass
class _Period:
    presence: PeriodPresence
    arrays: kc.ComplexityArrays


@dataclass(frozen=True)
class ComplexityOptions:
    """The options a :class:`ComplexityResult` was computed with (read only).

    The fields are the arguments of :func:`complexity` of the same names;
    ``dataclasses.asdict(result.options)`` gives them as a plain dict.
    """

    threshold: float
    strict: bool
    binary: bool
    method: str
    standardise: str
    self_proximity: bool
    proximity_method: str
    iterations: int
    tol: float
    min_value: float | None = None


class ComplexityResult:
    """Economic complexity of every region and activity, per period.

    Made by :func:`complexity`; tables are built on first access.

    Attributes
    ----------
    eci : DataFrame
        ``[time,] region, diversity, eci, coi`` -- one row per region.
    pci : DataFrame
        ``[time,] activity, ubiquity, pci`` -- one row per activity.
    proximity : DataFrame
        ``[time,] activity_from, activity_to, proximity`` (ordered pairs,
        self-pairs left out).
    periods : list
        Kernel outputs per period (:class:`ris3.kernels.complexity.ComplexityArrays`).
    coded : CodedTable
        The encoded input (labels, missing-value report).
    options : ComplexityOptions
        The options of :func:`complexity` the result was computed with.
    """

    def __init__(
        self, coded: CodedTable, periods: list[_Period], options: ComplexityOptions
    ) -> None:
        self.coded = coded
        self._periods = periods
        self.options = options

    @property
    def periods(self) -> list[kc.ComplexityArrays]:
        """Kernel arrays (``ComplexityArrays``) of every period."""
        return [p.arrays for p in self._periods]

    def _with_time(self, df: pd.DataFrame, t: int) -> pd.DataFrame:
        tcol = self.coded.columns["time"]
        if tcol is not None and self.coded.times is not None:
            df.insert(0, tcol, self.coded.times[t])
        return df

    @cached_property
    def eci(self) -> pd.DataFrame:
        """ECI table: diversity, eci and coi per region [and period]."""
        frames = []
        for p in self._periods:
            pp, a = p.presence, p.arrays
            rows = pp.regions[pp.valid_regions]
            df = pd.DataFrame(
                {
                    self.coded.columns["region"]: self.coded.regions[rows].to_numpy(),
                    "diversity": a.diversity,
                    "eci": a.eci,
                    "coi": a.coi,
                }
            )
            frames.append(self._with_time(df, pp.t))
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def pci(self) -> pd.DataFrame:
        """PCI table: ubiquity and pci per activity [and period]."""
        frames = []
        for p in self._periods:
            pp, a = p.presence, p.arrays
            cols = pp.activities[pp.valid_activities]
            df = pd.DataFrame(
                {
                    self.coded.columns["activity"]: self.coded.activities[cols].to_numpy(),
                    "ubiquity": a.ubiquity,
                    "pci": a.pci,
                }
            )
            frames.append(self._with_time(df, pp.t))
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def left_out(self) -> pd.DataFrame:
        """Regions left out because their total is below ``min_value``.

        Columns ``[time,] region, total``; empty without ``min_value``.
        """
        frames = []
        rcol = str(self.coded.columns["region"])
        for p in self._periods:
            pp = p.presence
            df = pd.DataFrame(
                {
                    rcol: self.coded.regions[pp.small_regions].to_numpy(),
                    "total": np.asarray(pp.small_totals, dtype=np.float64),
                }
            )
            frames.append(self._with_time(df, pp.t))
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def proximity(self) -> pd.DataFrame:
        """Proximity between activities, one row per pair [and period]."""
        return pd.concat(
            [
                _proximity_frame(self.coded, p.presence, p.arrays.proximity, False)
                for p in self._periods
            ],
            ignore_index=True,
        )

    def tidy(self) -> pd.DataFrame:
        """One row per region x activity [x time] with every measure.

        Returns
        -------
        DataFrame
            The key columns (the caller's names), then ``lq``, ``specialised``,
            ``density``, ``diversity``, ``ubiquity``, ``eci``, ``pci``,
            ``coi``, ``cog``; ordered by time, region, activity. Rows of
            zero-total regions or activities are NaN (NA in ``specialised``,
            a nullable boolean); ``lq`` is NaN with ``binary=True`` (not
            computed).
        """
        cols = grid_keys(self.coded, [p.presence for p in self._periods])
        # one column at a time; the frame then takes the arrays without copying them
        for name in TIDY_COLUMNS:
            parts = [expand(p.presence, self._cell_values(p, name)).ravel() for p in self._periods]
            cols[name] = parts[0].copy() if len(parts) == 1 else np.concatenate(parts)
            del parts
        cols["specialised"] = specialised_array(cols["specialised"])  # type: ignore[arg-type]
        return pd.DataFrame(cols, copy=False)

    @staticmethod
    def _cell_values(p: _Period, name: str) -> np.ndarray:
        pp, a = p.presence, p.arrays
        shape = a.density.shape
        if name == "lq":
            return pp.rca.toarray() if pp.rca is not None else np.full(shape, np.nan)
        if name == "specialised":
            return pp.m.toarray()
        if name in ("density", "cog"):
            return getattr(a, name)
        if name in ("diversity", "eci", "coi"):
            return np.broadcast_to(getattr(a, name)[:, None], shape)
        return np.broadcast_to(getattr(a, name)[None, :], shape)

    def summary(self) -> str:
        """Return a short plain-text report of options and results per period."""
        o = self.options
        lines = [
            "Economic complexity (ris3)",
            f"  method={o.method!r}, standardise={o.standardise!r}, "
            f"self_proximity={o.self_proximity}, proximity={o.proximity_method!r}",
            "  presence: "
            + (
                "given (binary=True)"
                if o.binary
                else f"RCA {'>' if o.strict else '>='} {o.threshold:g}"
            ),
            f"  {self.coded.missing}",
        ]
        if o.min_value is not None:
            lines.append(
                f"  size filter: regions with a total below min_value={o.min_value:g} left out "
                f"({len(self.left_out)} region-period(s))"
            )
        rcol = self.coded.columns["region"]
        for p in self._periods:
            pp, a = p.presence, p.arrays
            label = self.coded.period_label(pp.t)
            head = "  period" + ("" if label is None else f" {label}")
            lines.append(
                f"{head}: {int(a.included_regions.sum())} of {pp.regions.size} regions and "
                f"{int(a.included_activities.sum())} of {pp.activities.size} activities in "
                f"the computation"
                + ("" if np.isnan(a.eigenvalue) else f"; second eigenvalue {a.eigenvalue:.6f}")
                + (f"; {a.iterations} iterations" if a.iterations else "")
            )
            names = self.coded.regions[pp.regions[pp.valid_regions]]
            order = np.argsort(-np.nan_to_num(a.eci, nan=-np.inf))[:3]
            top = ", ".join(f"{names[i]} ({a.eci[i]:.3f})" for i in order if np.isfinite(a.eci[i]))
            lines.append(f"    highest ECI ({rcol}): {top}")
            if pp.n_network_regions < MIN_NETWORK_REGIONS:
                lines.append(
                    f"    caution: {pp.n_network_regions} regions (fewer than "
                    f"{MIN_NETWORK_REGIONS}) in the computation"
                )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<ComplexityResult: {self.coded.n_regions} regions, "
            f"{self.coded.n_activities} activities, {len(self._periods)} period(s); "
            "use .tidy(), .eci, .pci, .summary()>"
        )


def _check_options(
    method: str,
    standardise: str,
    self_proximity: bool,
    proximity_method: str,
    iterations: int,
    tol: float,
) -> None:
    check_option("method", method, kc.COMPLEXITY_METHODS)
    check_option("standardise", standardise, kc.STANDARDISATIONS)
    check_option("proximity_method", proximity_method, PROXIMITY_METHODS)
    check_flag("self_proximity", self_proximity)
    check_number("iterations", iterations, low=1, integer=True)
    check_number("tol", tol, low=0, low_inclusive=False)


def complexity(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    binary: bool = False,
    method: ComplexityMethod = "eigenvector",
    standardise: Standardisation = "rows",
    self_proximity: bool = False,
    proximity_method: ProximityMethod = "hidalgo",
    iterations: int = 20,
    tol: float = 1e-12,
    min_value: float | None = None,
    missing: MissingPolicy = "raise",
) -> ComplexityResult:
    """Economic complexity (ECI, PCI), density and complexity outlook (COI, COG).

    Parameters
    ----------
    data : DataFrame or path
        Tidy table, one row per region x activity [x time] (e.g. exports,
        employment).
    region, activity, value : str
        Column names (keyword only).
    time : str, optional
        Column of periods; everything is computed per period.
    threshold : float, default 1.0
        Presence ``M = RCA >= threshold``.
    strict : bool, default False
        Use ``RCA > threshold`` (Stata ``ecomplexity``).
    binary : bool, default False
        The value column already holds presence (0/1).
    method : {"eigenvector", "reflections", "fitness"}, default "eigenvector"
        Second eigenvector of ``Mpp`` (Growth Lab), method of reflections
        (Hidalgo and Hausmann 2009) or fitness-complexity (Tacchella et al.
        2012). Details in :func:`ris3.kernels.complexity.economic_complexity`.
    standardise : {"rows", "regions"}, default "rows"
        ``"rows"``: mean and sd (ddof=1) of ``kc`` over region x activity
        rows (Stata ``ecomplexity``); ``"regions"``: z-score across regions
        with population sd (Python ``ecomplexity`` 0.5.3).
    self_proximity : bool, default False
        Keep each activity's proximity to itself in density and COG (Python
        ``ecomplexity`` 0.5.3).
    proximity_method : str, default "hidalgo"
        Proximity used for density and COG (see :func:`ris3.proximity`).
    iterations : int, default 20
        Number ``N`` of ``kp <- Mpp kp`` updates of ``method="reflections"``
        (each two single reflections): the ECI is ``kc`` after ``2N + 2``
        single reflections counted from ``kc0`` = diversity, so EconGeo's
        ``MORc(M, steps=20)`` corresponds to ``iterations=9``.
    tol : float, default 1e-12
        Convergence tolerance of fitness-complexity.
    min_value : float, optional
        Size filter: regions whose total (sum of ``value``) in a period is
        below ``min_value`` are left out of that period's computation
        (their rows are NaN; :attr:`ComplexityResult.left_out` lists them).
        Tiny economies with one or two large activities otherwise get
        extreme ECIs: on the bundled BACI exports, "Other Asia nes" and the
        Cocos Islands top the ECI ranking without a filter. The Atlas of
        Economic Complexity leaves out exporters below USD 1 billion
        (``min_value=1e6`` on values in thousand USD). Not with ``binary``.
    missing : {"raise", "drop", "zero"}, default "raise"
        Policy for missing values (see :func:`ris3.tidy.encode`).

    Returns
    -------
    ComplexityResult
        ``.tidy()`` (one row per region x activity with ``lq``,
        ``specialised``, ``density``, ``diversity``, ``ubiquity``, ``eci``,
        ``pci``, ``coi``, ``cog``), ``.eci``, ``.pci``, ``.proximity``,
        ``.summary()``.

    Raises
    ------
    InputError, ConventionError
        Bad table or options.
    DegenerateDataError
        Fewer than two regions/activities with specialisations in a period,
        or no second eigenvector.

    Warns
    -----
    DegenerateDataWarning
        Rows left out of a period, named (see module docstring).
    DataQualityWarning
        Regions left out by ``min_value`` (named), and a period whose
        computation rests on fewer than 50 regions (proximities from so
        few co-occurrences are fragile).

    References
    ----------
    Hausmann, R., Hidalgo, C. A. et al. (2014). The Atlas of Economic
    Complexity. MIT Press. Growth Lab, ``ecomplexity`` (Stata and Python).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "region": ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["D"] * 4,
    ...     "sector": ["s1", "s2", "s3", "s4"] * 4,
    ...     "jobs": [5, 10, 10, 10, 10, 10, 5, 1, 30, 20, 2, 1, 40, 2, 1, 1]})
    >>> res = complexity(df, region="region", activity="sector", value="jobs")
    >>> res.eci
      region  diversity       eci       coi
    0      A        3.0  0.973653 -1.343015
    1      B        2.0  0.838544 -0.368617
    2      C        2.0 -0.428180  1.271502
    3      D        1.0 -1.384018  0.440130
    >>> list(res.tidy().columns)  # doctest: +NORMALIZE_WHITESPACE
    ['region', 'sector', 'lq', 'specialised', 'density', 'diversity', 'ubiquity',
     'eci', 'pci', 'coi', 'cog']
    """
    check_presence_options(threshold, strict, binary)
    _check_options(method, standardise, self_proximity, proximity_method, iterations, tol)
    check_min_value(min_value)
    if binary and min_value is not None:
        raise InputError("min_value= filters regions by their total value; it needs binary=False")
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    options = ComplexityOptions(
        float(threshold),
        bool(strict),
        bool(binary),
        method,
        standardise,
        bool(self_proximity),
        proximity_method,
        int(iterations),
        float(tol),
        None if min_value is None else float(min_value),
    )
    return complexity_coded(ct, options)


def complexity_coded(
    ct: CodedTable,
    options: ComplexityOptions,
    iterate: Callable[[Iterable[int], int], Iterator[int]] | None = None,
) -> ComplexityResult:
    """Run :func:`complexity` on an encoded table (``iterate`` wraps the period loop)."""
    periods_iter: Iterable[int] = range(ct.n_times)
    if iterate is not None:
        periods_iter = iterate(periods_iter, ct.n_times)
    periods = []
    for t in periods_iter:
        pp = period_presence(
            ct,
            t,
            threshold=options.threshold,
            strict=options.strict,
            binary=options.binary,
            min_total=options.min_value,
        )
        warn_few_regions(pp, "economic complexity", stacklevel=4)
        arrays = kc.economic_complexity(
            pp.m,
            method=options.method,  # type: ignore[arg-type]
            standardise=options.standardise,  # type: ignore[arg-type]
            self_proximity=options.self_proximity,
            proximity_method=options.proximity_method,  # type: ignore[arg-type]
            rca=pp.rca,
            iterations=options.iterations,
            tol=options.tol,
            when=pp.when,
        )
        warn_complexity_exclusions(
            arrays,
            list(ct.regions[pp.regions[pp.valid_regions]]),
            list(ct.activities[pp.activities[pp.valid_activities]]),
            pp.when,
            stacklevel=3,
            rca=pp.rca if options.proximity_method == "rca_correlation" else None,
        )
        periods.append(_Period(pp, arrays))
    return ComplexityResult(ct, periods, options)
