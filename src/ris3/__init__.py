"""ris3: evidence and working tools for Smart Specialisation Strategies.

The public API is re-exported here and loaded lazily, so ``import ris3`` stays
light (no plotting, engine or Spark imports until a function needs them).

Examples
--------
>>> import ris3
>>> ris3.__version__
'0.2.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

# public name -> module that defines it. Each layer adds its own names here.
_EXPORTS: dict[str, str] = {
    # region profile report
    "profile": "ris3.report.region_profile",
    "RegionProfile": "ris3.report.region_profile",
    "write_profile": "ris3.report.write",
    # impact evaluation of cluster programmes
    "simulate_panel": "ris3.evaluation",
    "evaluate_programme": "ris3.evaluation",
    "EvaluationResult": "ris3.evaluation",
    "prepare_panel": "ris3.evaluation.panel",
    # errors and the tidy adapter
    "Ris3Error": "ris3.errors",
    "InputError": "ris3.errors",
    "ConventionError": "ris3.errors",
    "DataFileError": "ris3.errors",
    "ClassificationError": "ris3.errors",
    "DegenerateDataError": "ris3.errors",
    "DegenerateDataWarning": "ris3.errors",
    "DataQualityWarning": "ris3.errors",
    "encode": "ris3.tidy",
    "glossary": "ris3.columns",
    "read_table": "ris3.tidy",
    # specialisation, concentration, diversity; peers, partners, adjacency
    "location_quotient": "ris3.measures.specialisation",
    "rca": "ris3.measures.specialisation",
    "rpop": "ris3.measures.specialisation",
    "herfindahl": "ris3.measures.concentration",
    "krugman_index": "ris3.measures.concentration",
    "coefficient_of_specialisation": "ris3.measures.concentration",
    "hoover_index": "ris3.measures.concentration",
    "gini_specialisation": "ris3.measures.concentration",
    "locational_gini": "ris3.measures.concentration",
    "diversity": "ris3.measures.diversity",
    "ubiquity": "ris3.measures.diversity",
    "entropy": "ris3.measures.diversity",
    "variety": "ris3.measures.diversity",
    "peers": "ris3.diversification.peers",
    "partners": "ris3.diversification.peers",
    "nuts_adjacency": "ris3.data.geometry",
    # relatedness and economic complexity
    "proximity": "ris3.measures.relatedness",
    "relatedness_density": "ris3.measures.relatedness",
    "complexity": "ris3.measures.complexity",
    "ComplexityResult": "ris3.measures.complexity",
    # readers and bundled datasets (ris3.datasets is a module: ris3.datasets.load(...))
    "read_eurostat_tsv": "ris3.data.readers_eurostat",
    "read_cbp": "ris3.data.readers_national",
    "read_bres": "ris3.data.readers_national",
    "datasets": "ris3.datasets",
    # classifications, hierarchies and NUTS versions
    "convert_nuts": "ris3.data.nuts",
    "hierarchy": "ris3.data.classifications",
    "aggregate": "ris3.data.aggregation",
    # published totals and suppressed cells
    "published_totals": "ris3.data.totals",
    "estimate_suppressed": "ris3.data.suppressed",
    "SuppressedEstimate": "ris3.data.suppressed",
    # clusters: definitions, mapping, stars, portfolio; dynamics
    "ClusterDefinition": "ris3.clusters.definitions",
    "us_benchmark_clusters": "ris3.clusters.definitions",
    "eu_benchmark_clusters": "ris3.clusters.eu_definitions",
    "map_clusters": "ris3.clusters.mapping",
    "ClusterMap": "ris3.clusters.mapping",
    "cluster_stars": "ris3.clusters.stars",
    "strong_clusters": "ris3.clusters.stars",
    "cluster_strength": "ris3.clusters.stars",
    "eu_cluster_stars": "ris3.clusters.stars",
    "portfolio": "ris3.clusters.portfolio",
    "shift_share": "ris3.measures.dynamics",
    "ShiftShare": "ris3.measures.dynamics",
    "specialisation_change": "ris3.measures.dynamics",
    "entry_exit": "ris3.measures.dynamics",
    "tech_economy_match": "ris3.measures.technology",
    "wipo_nace_concordance": "ris3.measures.technology",
    # engines (Ibis: DuckDB default, Spark optional)
    # diversification opportunities and their backtest
    "opportunities": "ris3.diversification.opportunities",
    "OpportunityResult": "ris3.diversification.opportunities",
    "backtest": "ris3.diversification.backtest",
    "BacktestResult": "ris3.diversification.backtest",
    "connect": "ris3.engines.backend",
    "table_from": "ris3.engines.backend",
    "to_pandas": "ris3.engines.backend",
    # knowledge linkages: skill relatedness, co-location, networks
    "skill_relatedness": "ris3.clusters.linkages",
    "job_spells_to_flows": "ris3.clusters.linkages",
    "colocation_relatedness": "ris3.clusters.colocation",
    "aggregate_relatedness": "ris3.clusters.colocation",
    "relatedness_network": "ris3.clusters.networks",
    "RelatednessNetwork": "ris3.clusters.networks",
    # the S3 process: participation, capture, fatigue, candidate domains, imports
    "strategy": "ris3.strategy",
    "participation_matrix": "ris3.strategy",
    "engagement_fatigue": "ris3.strategy",
    "check_stakeholders": "ris3.strategy",
    "candidate_domains": "ris3.strategy",
    "capture_indicators": "ris3.strategy",
    # the S3 process: policy mix, governance, monitoring, cluster-policy advisor
    "check_instruments": "ris3.strategy",
    "policy_matrix": "ris3.strategy",
    "policy_gaps": "ris3.strategy",
    "policy_duplications": "ris3.strategy",
    "targeted_share": "ris3.strategy",
    "cofunding": "ris3.strategy",
    "advise": "ris3.strategy",
    "score_assessment": "ris3.strategy",
    "priority_overlap": "ris3.strategy",
    "partner_regions": "ris3.strategy",
    "open_instruments": "ris3.strategy",
    "check_intervention_logic": "ris3.strategy",
    "scorecard": "ris3.strategy",
    "scorecard_summary": "ris3.strategy",
    "domain_observations": "ris3.strategy",
    "advisor_flags": "ris3.strategy",
    "region_stage": "ris3.strategy",
    # the S3 process: from evidence and voices to priorities
    "rank_alternatives": "ris3.strategy",
    "weight_sensitivity": "ris3.strategy",
    "call_ranking": "ris3.strategy",
    "call_agreement": "ris3.strategy",
    "call_robustness": "ris3.strategy",
    "assign_evaluators": "ris3.strategy",
    "perceived_strength": "ris3.strategy",
    "public_private_gap": "ris3.strategy",
    "poststratify": "ris3.strategy",
    "perception_vs_data": "ris3.strategy",
    "read_limesurvey": "ris3.strategy",
    "read_xlsform": "ris3.strategy",
    "read_survey_table": "ris3.strategy",
    "distinctiveness": "ris3.strategy",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ris3' has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if module == f"ris3.{name}" else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
