"""The one output writer of the ``ris3`` command line.

Every command declares its outputs before it computes anything::

    with Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        outs.file("--density", density)          # None is ignored
        ...compute...
        outs.write("--out", table)

:meth:`Outputs.file` and :meth:`Outputs.folder` check each path up front: a
known extension, not a folder (or not a file, for folder outputs), a parent
that is a folder and can be written to, not one of the inputs and not the
same path as another output of the same run. :meth:`Outputs.write` writes
to a hidden temporary file in the target folder; only when the ``with``
block ends without an error are all temporary files renamed into place
(``os.replace``, atomic on one file system). A failed run leaves no file
and no folder it created; an interrupted run never leaves a truncated file
under the final name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from ris3.errors import DataFileError

__all__ = ["OUTPUT_SUFFIXES", "Outputs"]

OUTPUT_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq")


def _resolved(path: Path | str) -> Path:
    return Path(os.path.abspath(os.path.expanduser(str(path))))


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


class Outputs:
    """Output files and folders of one command run, written all or nothing.

    Parameters
    ----------
    inputs : iterable of path, optional
        Files the run reads; no output may be one of them (None entries and
        globs are ignored).
    """

    def __init__(self, inputs: Iterable[Path | str | None] = ()) -> None:
        self._inputs = [_resolved(p) for p in inputs if p is not None and str(p)]
        self._targets: dict[str, Path] = {}
        self._folders: dict[str, tuple[Path, tuple[str, ...]]] = {}
        self._staged: dict[str, Path] = {}
        self._created_dirs: list[Path] = []

    # -- declaration ---------------------------------------------------------

    def file(self, option: str, path: Path | str | None) -> None:
        """Declare (and check) an output table given by ``option``; None is skipped."""
        if path is None:
            return
        p = Path(path)
        if p.is_dir():
            raise DataFileError(f"{option} {str(p)!r} is a folder; give a file name")
        if not p.name.lower().endswith(OUTPUT_SUFFIXES):
            raise DataFileError(
                f"{option} {str(p)!r} has an unknown extension; allowed: "
                f"{', '.join(OUTPUT_SUFFIXES)}"
            )
        if p.exists() and not os.access(p, os.W_OK):
            raise DataFileError(f"{option} {str(p)!r} exists and cannot be overwritten")
        self._check_common(option, p)

    def folder(self, option: str, path: Path | str, managed: Iterable[str] = ()) -> Path:
        """Declare an output folder; return the staging folder to write into.

        On success the entries of the staging folder replace those of the
        same name in ``path``; names in ``managed`` that this run did not
        write are removed from ``path`` (so no stale file of an earlier run
        sits next to fresh ones).
        """
        p = Path(path)
        if p.exists() and not p.is_dir():
            raise DataFileError(f"{option} {str(p)!r} is a file; give a folder")
        if p.is_dir() and not os.access(p, os.W_OK | os.X_OK):
            raise DataFileError(f"{option} {str(p)!r} is a folder that cannot be written to")
        self._check_common(option, p)
        parent = self._make_parent(_resolved(p))
        stage = Path(tempfile.mkdtemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent))
        self._folders[option] = (p, tuple(managed))
        self._staged[option] = stage
        return stage

    def _check_common(self, option: str, p: Path) -> None:
        full = _resolved(p)
        for q in self._inputs:
            if _same(full, q):
                raise DataFileError(
                    f"{option} {str(p)!r} is an input of this command; write to another path"
                )
        for other, q in self._targets.items():
            if _same(full, q) or q in full.parents or full in q.parents:
                raise DataFileError(
                    f"{option} and {other} name the same path {str(p)!r}; give each its own"
                )
        # the nearest existing ancestor must be a folder we can write to
        anc = full.parent
        while not anc.exists():
            anc = anc.parent
        if not anc.is_dir():
            raise DataFileError(f"{option} {str(p)!r}: {str(anc)!r} is a file, not a folder")
        if not os.access(anc, os.W_OK | os.X_OK):
            raise DataFileError(f"{option} {str(p)!r}: folder {str(anc)!r} cannot be written to")
        self._targets[option] = full

    def _make_parent(self, full: Path) -> Path:
        missing = []
        d = full.parent
        while not d.exists():
            missing.append(d)
            d = d.parent
        for m in reversed(missing):
            m.mkdir()
            self._created_dirs.append(m)
        return full.parent

    # -- writing -------------------------------------------------------------

    def write(self, option: str, table: pd.DataFrame) -> None:
        """Write ``table`` for ``option`` to a temporary file next to its target."""
        self.write_with(option, lambda tmp, name: _write_table(table, tmp, name))

    def write_with(self, option: str, writer: Callable[[Path, str], Any]) -> None:
        """Call ``writer(temp_path, final_name)`` to write the file of ``option``."""
        if option not in self._targets or option in self._folders:
            raise KeyError(f"output {option} was not declared")
        target = self._targets[option]
        parent = self._make_parent(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        os.close(fd)
        self._staged[option] = Path(tmp)
        writer(Path(tmp), target.name)

    # -- commit / abort ------------------------------------------------------

    def commit(self) -> None:
        """Move every staged output into place."""
        for option, tmp in self._staged.items():
            if option in self._folders:
                target, managed = self._folders[option]
                _merge_folder(tmp, _resolved(target), managed)
            else:
                os.replace(tmp, self._targets[option])
        self._staged.clear()
        self._created_dirs.clear()

    def abort(self) -> None:
        """Remove every temporary file and every folder this run created."""
        for tmp in self._staged.values():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
        self._staged.clear()
        for d in reversed(self._created_dirs):
            try:
                d.rmdir()
            except OSError:
                pass
        self._created_dirs.clear()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        committed = False
        try:
            if exc_type is None:
                self.commit()
                committed = True
        finally:
            if not committed:
                self.abort()


def _write_table(table: pd.DataFrame, tmp: Path, name: str) -> None:
    lower = name.lower()
    if lower.endswith((".parquet", ".pq")):
        table.to_parquet(tmp, index=False)
    elif lower.endswith(".gz"):
        table.to_csv(tmp, index=False, compression="gzip")
    else:
        table.to_csv(tmp, index=False)


def _merge_folder(stage: Path, target: Path, managed: tuple[str, ...]) -> None:
    if not target.exists():
        os.replace(stage, target)
        return
    fresh = {e.name for e in stage.iterdir()}
    for name in managed:
        old = target / name
        if name not in fresh and (old.exists() or old.is_symlink()):
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
    for entry in stage.iterdir():
        dest = target / entry.name
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        os.replace(entry, dest)
    stage.rmdir()
