"""Every public name of ris3 resolves to the same object whatever the import order."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import ris3

SRC = str(Path(ris3.__file__).resolve().parents[1])

# In a fresh interpreter: resolve every name of ris3.__all__ in a shuffled order,
# then read them all again; print what each name is at the end.
_SCRIPT = """
import importlib, inspect, json, random, sys
import ris3
names = list(ris3.__all__)
random.Random(int(sys.argv[1])).shuffle(names)
for name in names:
    getattr(ris3, name)
kinds = {}
for name in ris3.__all__:
    obj = getattr(ris3, name)
    if inspect.ismodule(obj):
        kinds[name] = "module:" + obj.__name__
    elif inspect.isclass(obj):
        kinds[name] = "class:" + obj.__module__ + "." + obj.__qualname__
    elif callable(obj):
        kinds[name] = "function:" + obj.__module__ + "." + obj.__qualname__
    else:
        kinds[name] = "value:" + type(obj).__name__
print(json.dumps(kinds))
"""


def _kinds(seed: int) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(seed)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return _kinds(0)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_all_names_resolve_the_same_in_any_order(seed: int, reference: dict[str, str]) -> None:
    assert _kinds(seed) == reference


def test_functions_stay_functions(reference: dict[str, str]) -> None:
    # the names of the public functions that share a word with a package of ris3
    for name in (
        "opportunities", "peers", "backtest", "portfolio", "diversity", "complexity", "glossary",
    ):  # fmt: skip
        assert reference[name].startswith("function:"), (name, reference[name])
    modules = sorted(n for n, k in reference.items() if k.startswith("module:"))
    assert modules == ["datasets", "strategy"]


def test_readme_quickstart_order() -> None:
    # the sequence that used to rebind ris3.opportunities to a subpackage
    code = (
        "import ris3; ris3.peers; ris3.backtest; import ris3.diversification.peers;"
        "print(callable(ris3.opportunities), ris3.opportunities.__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.split() == ["True", "opportunities"]


def test_glossary_stays_a_function_after_its_module_is_imported() -> None:
    code = (
        "import ris3, ris3.columns; from ris3.columns import COLUMNS;"
        "print(callable(ris3.glossary), len(ris3.glossary()) == len(COLUMNS))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.split() == ["True", "True"]


def test_version_is_0_2_0() -> None:
    import tomllib

    pyproject = Path(SRC).parent / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text())["project"]["version"]
    assert ris3.__version__ == declared == "0.2.0"


def test_read_table_names_are_distinct(tmp_path: Path) -> None:
    import ris3.data
    from ris3.data.quality import ReadResult

    p = tmp_path / "emp.csv"
    p.write_text("nuts,nace,emp\nAT33,C,10\nAT34,C,5\n")
    assert ris3.read_table(p)["emp"].tolist() == [10, 5]
    new = ris3.data.read_checked(p, region="nuts", activity="nace", value="emp")
    assert isinstance(new, ReadResult)
    with pytest.warns(FutureWarning, match="renamed ris3.data.read_checked"):
        old = ris3.data.read_table(p, region="nuts", activity="nace", value="emp")
    assert old.data.equals(new.data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ris3.data.read_checked(p, region="nuts", activity="nace", value="emp")
    assert inspect.signature(ris3.data.read_checked).parameters["region"].kind.name == (
        "KEYWORD_ONLY"
    )


def test_no_submodule_is_named_like_a_public_function() -> None:
    """Importing ris3.<x>.<y> binds ris3.<x> to the module: x must not be a function name."""
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(ris3.__path__)}
    assert "diversification" in submodules and "opportunities" not in submodules
    clash = sorted(
        name for name in submodules & set(ris3.__all__) if not inspect.ismodule(getattr(ris3, name))
    )
    assert clash == []
