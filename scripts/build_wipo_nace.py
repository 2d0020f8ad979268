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

Outputs: ``src/ris3/data/hierarchies/concordances/wipo35_nace_isi2019.csv`` with
columns ``wipo_code`` (W35F01..W35F35), ``wipo_field`` (title as published),
``nace_division`` (section letter + two digits, e.g. ``C29``) and ``share``
(as published, six decimals); rows with a zero share are left out (a zero
share and an absent row mean the same in this table: no patents assigned);
and ``science_wipo35_isi2019.csv`` from the sheet "Scientific disc. by
WIPO35 cl." (share of the publications of each of 27 Scopus subject areas,
2014-2016, linked to patents of each WIPO-35 field; each discipline sums to
1) with columns ``discipline_code``, ``discipline``, ``wipo_code``,
``wipo_field``, ``share``, zero shares left out likewise.
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
OUT_SCIENCE = OUT.with_name("science_wipo35_isi2019.csv")
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
    build(Path(args.data), OUT.parent)


def build(data: Path, out_dir: Path) -> None:
    """Write both tables into ``out_dir`` from the workbook under ``data``."""
    out_path, science_path = out_dir / OUT.name, out_dir / OUT_SCIENCE.name
    sheet = pd.read_excel(data / WORKBOOK, "WIPO35 classes by NACE sectors", header=None)
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
    out_dir.mkdir(parents=True, exist_ok=True)
    out.to_csv(out_path, index=False)
    print(f"{out_path}: {len(out)} rows, {out['nace_division'].nunique()} divisions")

    sci = pd.read_excel(data / WORKBOOK, "Scientific disc. by WIPO35 cl.", header=None)
    disciplines = sci.iloc[3, 3:].tolist()
    numbers = sci.iloc[4, 3:].tolist()
    srows = []
    for r in range(5, sci.shape[0]):
        code, title = sci.iloc[r, 2], sci.iloc[r, 1]
        if str(code) == "Total" or pd.isna(code):
            continue
        for num, disc, share in zip(numbers, disciplines, sci.iloc[r, 3:].tolist()):
            if pd.notna(disc) and float(share) != 0.0:
                srows.append((int(num), disc, code, title, round(float(share), 6)))
    sout = pd.DataFrame(
        srows, columns=["discipline_code", "discipline", "wipo_code", "wipo_field", "share"]
    )
    ssums = sout.groupby("discipline_code")["share"].sum()
    assert ((ssums - 1).abs() < 1e-3).all(), ssums
    sout.to_csv(science_path, index=False)
    print(f"{science_path}: {len(sout)} rows, {sout['discipline'].nunique()} disciplines")


if __name__ == "__main__":
    main()
