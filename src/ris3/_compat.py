"""Old parameter names that keep working for one release, with a FutureWarning."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from ris3.errors import InputError

__all__ = ["renamed_parameters", "warn_renamed", "warn_renamed_option"]

F = TypeVar("F", bound=Callable[..., Any])


def warn_renamed(what: str, old: str, new: str, *, stacklevel: int = 3) -> None:
    """Emit the one FutureWarning of a renamed name.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_renamed("map_clusters", "employment", "value", stacklevel=2)
    >>> print(w[0].message)
    map_clusters: employment= is renamed value= in ris3 0.2.0; the old name stops working in 0.3.0
    """
    warnings.warn(
        f"{what}: {old}= is renamed {new}= in ris3 0.2.0; the old name stops working in 0.3.0",
        FutureWarning,
        stacklevel=stacklevel,
    )


def renamed_parameters(**renames: str) -> Callable[[F], F]:
    """Accept the old keyword names ``old=new`` of a function for one release.

    A call with an old name warns (:func:`warn_renamed`) and passes the value
    on under the new name; giving both names is an
    :class:`~ris3.errors.InputError`.

    Examples
    --------
    >>> @renamed_parameters(employment="value")
    ... def f(*, value):
    ...     return value
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     f(employment=3)
    3
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise InputError(
                            f"{fn.__name__}: give {new}= only ({old}= is its old name)"
                        )
                    warn_renamed(fn.__name__, old, new)
                    kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def warn_renamed_option(what: str, name: str, old: str, new: str) -> None:
    """Emit the one FutureWarning of a renamed option value.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_renamed_option("portfolio", "growth", "employment", "value")
    >>> print(w[0].message)
    portfolio: growth='employment' is renamed growth='value' in ris3 0.2.0; the old name stops working in 0.3.0
    """
    warnings.warn(
        f"{what}: {name}={old!r} is renamed {name}={new!r} in ris3 0.2.0; "
        "the old name stops working in 0.3.0",
        FutureWarning,
        stacklevel=3,
    )
