"""Build the small mapping files bundled in ``src/ris3/data/hierarchies``.

Every file is derived from the published sources in ``../shared/data`` (see
SOURCES.md there); run from the project root::

    python scripts/build_hierarchies.py [--data ../shared/data]

Outputs (all CSV, UTF-8):

* ``nuts_conversion/n2_cm_v{A}_v{B}.csv`` - the JRC NUTS-converter matrices
  for NUTS-2, copied byte for byte (European Commission JRC, EC re-use policy).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ris3" / "data" / "hierarchies"

NUTS_PAIRS = [(2010, 2013), (2010, 2016), (2010, 2021), (2013, 2016), (2013, 2021), (2016, 2021)]


def build_nuts_conversion(data: Path) -> None:
    """Copy the JRC NUTS-2 converter matrices unchanged."""
    out = OUT / "nuts_conversion"
    out.mkdir(parents=True, exist_ok=True)
    for a, b in NUTS_PAIRS:
        name = f"n2_cm_v{a}_v{b}.csv"
        shutil.copyfile(data / "eu_nuts_version_conversion" / name, out / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    build_nuts_conversion(args.data)


if __name__ == "__main__":
    main()
