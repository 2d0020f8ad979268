"""The Vega, Vega-Lite and vega-embed JavaScript, for reports that work offline.

vl-convert-python ships these libraries; :func:`javascript_bundle` asks it for
one self-contained script (no CDN) and keeps a copy in the user's cache
folder, because building the bundle takes a few seconds.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ris3.errors import OptionalDependencyError

__all__ = ["javascript_bundle", "vega_lite_version"]


def _vl_convert():  # type: ignore[no-untyped-def]
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise OptionalDependencyError(
            "reports need vl-convert-python: pip install vl-convert-python"
        ) from exc
    return vl_convert


def vega_lite_version() -> str:
    """Return the Vega-Lite version (``"major.minor"``) Altair writes its specs for.

    Examples
    --------
    >>> vega_lite_version().count(".")
    1
    """
    import altair as alt

    major, minor, *_ = alt.SCHEMA_VERSION.lstrip("v").split(".")
    return f"{major}.{minor}"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ris3"


def javascript_bundle() -> str:
    """One script defining ``vegaEmbed``, ``vegaLite`` and ``vega`` globally.

    The bundle is cached per vl-convert and Vega-Lite version; if the cache
    folder is not writable the bundle is rebuilt each time.

    Returns
    -------
    str
        Minified JavaScript (about 0.9 MB) to inline in a ``<script>`` tag.
    """
    vlc = _vl_convert()
    version = vega_lite_version()
    key = hashlib.sha1(f"{vlc.__version__}|{version}".encode()).hexdigest()[:12]
    path = _cache_dir() / f"vega-bundle-{key}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=version)
    if "</script" in bundle.lower():  # would end the inline <script> early
        bundle = bundle.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return bundle
