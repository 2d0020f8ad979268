"""Every code example of README.md runs, and the output it shows is what it prints.

The ``python`` blocks of one ``##`` section run in order in one namespace (a
later block of a section may use the imports of an earlier one), in a
temporary working folder whose parent holds ``shared`` (the real data beside
the clone, as the README's ``../shared/data`` paths assume). When a comment
under a ``print(...)`` or a bare expression shows output, the printed text
must contain the shown tokens in order; numbers must agree to the precision
shown. ``ris3 ...`` lines of ``bash`` blocks that need no file of the user's
run in the same kind of folder and must exit 0 (or 2 where the README shows an
error).
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"

NUMBER = re.compile(r"^[-+]?(\d[\d,]*)(\.\d+)?%?$")
# flags whose value is a file the command writes (not one the user supplies)
OUTPUT_FLAGS = {
    "--out",
    "--quality",
    "--report",
    "--stars",
    "--strong",
    "--uncovered",
    "--by-region",
    "--density",
}
FILE_SUFFIXES = (".csv", ".gz", ".parquet", ".xlsx", ".toml", ".tsv", ".json")


@dataclass
class Block:
    """One fenced code block with the section it belongs to."""

    section: str
    language: str
    code: str
    line: int


def readme_blocks() -> list[Block]:
    """Return the fenced blocks of README.md in order."""
    blocks: list[Block] = []
    section = ""
    lines = README.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = line[3:].strip()
        if line.startswith("```") and len(line) > 3:
            language, start, body = line[3:].strip(), i + 1, []
            i += 1
            while not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append(Block(section, language, "\n".join(body) + "\n", start))
        i += 1
    return blocks


def _strip_annotation(line: str) -> str:
    """Drop the explanatory parts of an output comment: ``<- ...`` and a spaced ``(...)``."""
    line = line.split("<-")[0]
    return re.sub(r"\s{2,}\([^)]*\)", " ", line)


def _matches(expected: str, actual: str) -> bool:
    """Whether an output token equals a shown token, numbers to the shown precision."""
    exp, act = expected.strip("[],'"), actual.strip("[],'")
    if NUMBER.match(exp) and NUMBER.match(act):
        decimals = len(exp.split(".")[1].rstrip("%")) if "." in exp else 0
        try:
            e = float(exp.replace(",", "").rstrip("%"))
            a = float(act.replace(",", "").rstrip("%"))
        except ValueError:  # pragma: no cover - NUMBER guarantees a float
            return False
        return abs(e - a) <= 0.5 * 10.0**-decimals + 1e-12
    return exp == act


def check_output(expected_lines: list[str], printed: str, where: str) -> None:
    """Every token of the shown output occurs in the printed output, in order."""
    expected = [t for line in expected_lines for t in _strip_annotation(line).split()]
    actual = printed.split()
    position = 0
    for token in expected:
        while position < len(actual) and not _matches(token, actual[position]):
            position += 1
        if position == len(actual):
            raise AssertionError(
                f"{where}: README shows {token!r} but the code printed:\n{printed}"
            )
        position += 1


def _shown_output(lines: list[str], end_line: int, next_line: int) -> list[str]:
    """Comment lines between one statement and the next (the output shown in the README)."""
    shown = []
    for raw in lines[end_line:next_line]:
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        shown.append(stripped[1:])
    return shown


def run_python(code: str, namespace: dict[str, object], where: str) -> int:
    """Run a block statement by statement; return how many shown outputs it checked."""
    tree = ast.parse(code)
    lines = code.splitlines()
    checked = 0
    for k, statement in enumerate(tree.body):
        next_line = tree.body[k + 1].lineno - 1 if k + 1 < len(tree.body) else len(lines)
        shown = _shown_output(lines, statement.end_lineno or statement.lineno, next_line)
        is_print = (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value.func.id == "print"
        )
        if isinstance(statement, ast.Expr) and not is_print:
            module = ast.Module(
                body=[ast.Assign([ast.Name("_readme_value", ast.Store())], statement.value)],
                type_ignores=[],
            )
            ast.fix_missing_locations(ast.copy_location(module.body[0], statement))
            exec(compile(module, where, "exec"), namespace)
            with pd.option_context("display.width", 400, "display.max_columns", 100):
                printed = repr(namespace["_readme_value"])
        else:
            module = ast.Module(body=[statement], type_ignores=[])
            buffer = io.StringIO()
            with (
                contextlib.redirect_stdout(buffer),
                pd.option_context("display.width", 400, "display.max_columns", 100),
            ):
                exec(compile(module, where, "exec"), namespace)
            printed = buffer.getvalue()
        if shown and (is_print or isinstance(statement, ast.Expr)):
            check_output(shown, printed, f"{where}, line {statement.lineno}")
            checked += 1
    return checked


SECTIONS: dict[str, list[Block]] = {}
for _block in readme_blocks():
    if _block.language == "python":
        SECTIONS.setdefault(_block.section, []).append(_block)


@pytest.fixture
def readme_cwd(tmp_path: Path) -> Path:
    """A working folder with ``../shared`` beside it, as for a clone of ris3."""
    if not SHARED.is_dir():
        pytest.fail(f"real data folder {SHARED} not found: the README examples read it")
    (tmp_path / "shared").symlink_to(SHARED)
    work = tmp_path / "ris3"
    work.mkdir()
    return work


def test_readme_has_python_examples_in_every_main_section() -> None:
    assert len(SECTIONS) >= 10
    assert sum(len(b) for b in SECTIONS.values()) >= 15


@pytest.mark.parametrize("section", list(SECTIONS))
def test_readme_python_section(
    section: str, readme_cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(readme_cwd)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for block in SECTIONS[section]:
            run_python(block.code, namespace, f"README.md:{block.line}")


def test_readme_shows_outputs_that_are_checked(
    readme_cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output checker fails on a wrong number and counts the shown outputs."""
    with pytest.raises(AssertionError, match="7.07"):
        check_output(["   I55  7.07  True"], "   I55  7.079745  True", "x")
    with pytest.raises(AssertionError, match="False"):
        check_output(["   I55  7.08  False"], "   I55  7.079745  True", "x")
    check_output(["   I55  7.0726  True   <- Tirol"], "3 I55  7.072641  True", "x")
    monkeypatch.chdir(readme_cwd)
    assert run_python("print(1.25)\n# 1.2\n", {}, "x") == 1  # 1.25 shown as 1.2 is within 0.05


def _bash_commands() -> list[tuple[str, int]]:
    """``ris3`` command lines of the README (continuations joined) with the expected status."""
    commands = []
    for block in readme_blocks():
        if block.language != "bash":
            continue
        for line in block.code.replace("\\\n", " ").splitlines():
            command, _, comment = line.partition("#")
            if not command.strip().startswith("ris3 "):
                continue
            entry = (command.strip(), 2 if "error" in comment else 0)
            if entry not in commands:  # the same command shown twice runs once
                commands.append(entry)
    return commands


def _needs_user_files(command: str) -> bool:
    words = shlex.split(command)
    if words[1] in {"workspace", "evaluate"}:
        return True  # a server and a panel of the user's; tested in their own files
    for k, word in enumerate(words):
        if word.endswith(FILE_SUFFIXES) and not (k > 0 and words[k - 1] in OUTPUT_FLAGS):
            return not (Path("..") / word).exists() and not word.startswith("../shared/")
    return False


RUNNABLE = [c for c in _bash_commands() if not _needs_user_files(c[0])]


def test_readme_bash_commands_found() -> None:
    names = [c for c, _ in RUNNABLE]
    assert "ris3 --help" in names
    assert any(c.startswith("ris3 profile AT3 ") or c == "ris3 profile AT3" for c in names)
    assert any(c.startswith("ris3 read ../shared/") for c in names)


@pytest.mark.parametrize(("command", "status"), RUNNABLE)
def test_readme_bash_command(command: str, status: int, readme_cwd: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    code = "import sys; from ris3.cli import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", code, *shlex.split(command)[1:]],
        cwd=readme_cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == status, result.stderr[-2000:]
