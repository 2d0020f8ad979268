"""Typed errors and warnings raised by ris3.

Every error a user can trigger with bad input derives from :class:`Ris3Error`,
so scripts can catch one class; the subclasses say what kind of problem it is.
"""

from __future__ import annotations

__all__ = [
    "Ris3Error",
    "InputError",
    "ConventionError",
    "DataFileError",
    "ClassificationError",
    "DegenerateDataError",
    "OptionalDependencyError",
    "Ris3Warning",
    "DegenerateDataWarning",
    "DataQualityWarning",
]


class Ris3Error(Exception):
    """Base class of every error ris3 raises on purpose."""


class InputError(Ris3Error, ValueError):
    """The input table or an argument is not what the function accepts."""


class ConventionError(Ris3Error, ValueError):
    """An option names a convention ris3 does not know, or options conflict."""


class DataFileError(Ris3Error, ValueError):
    """A file cannot be read: corrupt, truncated, empty or malformed."""


class ClassificationError(Ris3Error, ValueError):
    """Codes are unknown to a classification, or a concordance does not cover them."""


class DegenerateDataError(Ris3Error, ValueError):
    """The data make a measure undefined (e.g. nobody is specialised in anything)."""


class OptionalDependencyError(Ris3Error, ImportError):
    """A feature needs an optional extra that is not installed."""


class Ris3Warning(UserWarning):
    """Base class of ris3 warnings."""


class DegenerateDataWarning(Ris3Warning):
    """Some rows make a measure undefined; the result marks them as missing."""


class DataQualityWarning(Ris3Warning):
    """The data have gaps or anomalies the result depends on."""
