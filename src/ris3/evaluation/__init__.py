"""Impact evaluation of cluster programmes on firm panels.

Difference in differences against two reference groups, staggered-adoption
event studies, productivity regressions, and a simulator of firm panels with a
known effect to check them on.
"""

from ris3.evaluation.simulate import simulate_panel

__all__ = ["simulate_panel"]
