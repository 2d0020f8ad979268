"""Impact evaluation of cluster programmes on firm panels.

Difference in differences against two reference groups, staggered-adoption
event studies, productivity regressions, and a simulator of firm panels with a
known effect to check them on.
"""

from ris3.evaluation.programme import ESTIMATORS, evaluate_programme
from ris3.evaluation.results import EvaluationResult
from ris3.evaluation.simulate import simulate_panel

__all__ = ["ESTIMATORS", "EvaluationResult", "evaluate_programme", "simulate_panel"]
