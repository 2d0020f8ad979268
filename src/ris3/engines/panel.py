"""Old home of firm-panel preparation, now :mod:`ris3.evaluation.panel`.

Importing from here works for one more release, with a FutureWarning.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    warnings.warn(
        f"ris3.engines.panel.{name} is now ris3.evaluation.panel.{name}; the old path will be "
        "removed in the next release",
        FutureWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module("ris3.evaluation.panel"), name)
