"""The versions the lowest-versions test run installs are the declared floors."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def test_lowest_versions_file_pins_every_declared_floor() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floors = {}
    for d in deps:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?>=([\d.]+)", d)
        assert m, f"core dependency {d!r} needs a floor (>=)"
        floors[m.group(1).lower()] = m.group(3)
    pins = {}
    for line in (ROOT / ".ci" / "lowest-versions.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(
                r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([\d.]+)", line
            ).groups()  # type: ignore[union-attr]
            pins[name.lower()] = version
    assert set(pins) == set(floors)
    for name, floor in floors.items():
        # the pin is the floor itself or its first patch release
        assert _release(pins[name])[: len(_release(floor))] == _release(floor) or (
            _release(pins[name])[:2] == _release(floor)[:2]
        ), (name, floor, pins[name])
