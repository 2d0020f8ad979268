"""Build the bundled WIPO-35 -> NACE Rev. 2 probabilistic concordance.

Source: Neuhaeusler, P., Frietsch, R. and Kroll, H. (2019), *Probabilistic
concordance schemes for the re-assignment of patents to economic sectors and
scientific publications to technology fields*, Fraunhofer ISI Discussion
Papers Innovation Systems and Policy Analysis No. 60, sheet "WIPO35 classes
by NACE sectors" of the workbook in ``../shared/data/concordance_wipo35_nace_isi2019/``
(share of transnational patents 2014-2016 in each of WIPO's 35 technology
fields filed by firms of each NACE Rev. 2 division; each field sums to 1).
The licence is not stated in the workbook; the derived table keeps the
citation in the note ``wipo35_nace_isi2019.txt`` beside it and in
``ris3.wipo_nace_concordance().attrs["citation"]``.

Run from the project root::

    python scripts/build_wipo_nace.py [--data ../shared/data]

Output: ``src/ris3/data/hierarchies/concordances/wipo35_nace_isi2019.csv`` with
columns ``wipo_code`` (W35F01..W35F35), ``wipo_field`` (title as published),
``nace_division`` (section letter + two digits, e.g. ``C29``) and ``share``
(as published, six decimals); rows with a zero share are left out (a zero
share and an absent row mean the same in this table: no patents assigned).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

SECTIONS = [
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]  # fmt: skip
OUT = Path("src/ris3/data/hierarchies/concordances/wipo35_nace_isi2019.csv")
WORKBOOK = "concordance_wipo35_nace_isi2019/Concordance_tables_NACE_IPC_WIPO35_sciences_2019.xlsx"


def division_code(number: int) -> str:
    """``29`` -> ``"C29"``."""
    for letter, lo, hi in SECTIONS:
        if lo <= number <= hi:
            return f"{letter}{number:02d}"
    raise ValueError(f"{number} is not a NACE Rev. 2 division")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args()
    sheet = pd.read_excel(Path(args.data) / WORKBOOK, "WIPO35 classes by NACE sectors", header=None)
    titles = sheet.iloc[3, 2:37].tolist()
    codes = sheet.iloc[4, 2:37].tolist()
    body = sheet.iloc[5:, 1:37]
    body = body[body.iloc[:, 0].astype(str) != "Total"].dropna(subset=[1])
    rows = []
    for _, r in body.iterrows():
        div = division_code(int(r.iloc[0]))
        for code, title, share in zip(codes, titles, r.iloc[1:].tolist()):
            if float(share) != 0.0:
                rows.append((code, title, div, round(float(share), 6)))
    out = pd.DataFrame(rows, columns=["wipo_code", "wipo_field", "nace_division", "share"])
    sums = out.groupby("wipo_code")["share"].sum()
    assert len(sums) == 35 and ((sums - 1).abs() < 1e-3).all(), sums
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(OUT, index=False)
    print(f"{OUT}: {len(out)} rows, {out['nace_division'].nunique()} divisions")


if __name__ == "__main__":
    main()
