"""Parameters renamed in ris3 0.2: the old name works one more release, with a FutureWarning."""

from __future__ import annotations

import warnings
from typing import Any

from ris3.errors import InputError

__all__ = ["renamed"]


def renamed(
    old: str, new: str, old_value: Any, new_value: Any, *, default: Any = None, stacklevel: int = 3
) -> Any:
    """The value of parameter ``new``, taken from its old name ``old`` when that was given.

    ``old_value`` is None when the old name was not used. Giving both names
    (the new one different from its ``default``) is an error.

    Examples
    --------
    >>> renamed("proximity_method", "proximity", None, "cosine", default="hidalgo")
    'cosine'
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed("proximity_method", "proximity", "jaccard", "hidalgo", default="hidalgo")
    ...     print(w[0].message)
    'jaccard'
    proximity_method= is now proximity=; the old name will be removed in the next release
    """
    if old_value is None:
        return new_value
    if new_value is not None and new_value is not default and new_value != default:
        raise InputError(f"give {new}= only ({old}= is its old name); got both")
    warnings.warn(
        f"{old}= is now {new}=; the old name will be removed in the next release",
        FutureWarning,
        stacklevel=stacklevel,
    )
    return old_value
