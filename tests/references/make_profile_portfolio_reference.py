"""Write profile_at33_portfolio_divisions.csv: AT33's portfolio with each division its own cluster.

Made with ris3 at commit 8807da9 (before the profile used cluster categories,
when one cluster per division was its only portfolio), so that the test can
check that ``profile(..., clusters="divisions")`` still gives it. Run from the
repository root with that version on the path::

    git worktree add /tmp/ris3-8807da9 8807da9
    PYTHONPATH=/tmp/ris3-8807da9/src python tests/references/make_profile_portfolio_reference.py
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ris3.report import profile

if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = profile("AT33")
    out = Path(__file__).with_name("profile_at33_portfolio_divisions.csv")
    p.portfolio.to_csv(out, index=False, float_format="%.17g")
    print(f"wrote {out} ({len(p.portfolio)} rows)")
