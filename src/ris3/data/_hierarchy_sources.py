"""Where the bundled hierarchies come from: published facts and bundled files.

Builds the node table (``code``, ``level``, ``parent``, ``label``) of every
hierarchy listed in :data:`HIERARCHIES`; :mod:`ris3.data.classifications` is
the public interface.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._validation import short_list
from ris3.errors import ClassificationError, ConventionError

_DIR = Path(__file__).with_name("hierarchies")

#: name -> available versions, default first
HIERARCHIES: dict[str, tuple[str, ...]] = {
    "nuts": ("2021", "2016", "2013", "2010"),
    "nace": ("rev2",),
    "nace_eurostat": ("rev2",),
    "sic": ("2007",),
    "naics": ("2017",),
    "hs": ("hs92",),
    "wipo": ("2008",),
}

#: NACE Rev. 2 sections: letter -> (first division, last division, title)
NACE_SECTIONS: dict[str, tuple[int, int, str]] = {
    "A": (1, 3, "Agriculture, forestry and fishing"),
    "B": (5, 9, "Mining and quarrying"),
    "C": (10, 33, "Manufacturing"),
    "D": (35, 35, "Electricity, gas, steam and air conditioning supply"),
    "E": (36, 39, "Water supply; sewerage, waste management and remediation activities"),
    "F": (41, 43, "Construction"),
    "G": (45, 47, "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": (49, 53, "Transportation and storage"),
    "I": (55, 56, "Accommodation and food service activities"),
    "J": (58, 63, "Information and communication"),
    "K": (64, 66, "Financial and insurance activities"),
    "L": (68, 68, "Real estate activities"),
    "M": (69, 75, "Professional, scientific and technical activities"),
    "N": (77, 82, "Administrative and support service activities"),
    "O": (84, 84, "Public administration and defence; compulsory social security"),
    "P": (85, 85, "Education"),
    "Q": (86, 88, "Human health and social work activities"),
    "R": (90, 93, "Arts, entertainment and recreation"),
    "S": (94, 96, "Other service activities"),
    "T": (97, 98, "Activities of households as employers; undifferentiated goods- and "
          "services-producing activities of households for own use"),
    "U": (99, 99, "Activities of extraterritorial organisations and bodies"),
}  # fmt: skip

#: HS sections: roman numeral -> (first chapter, last chapter, short title)
HS_SECTIONS: dict[str, tuple[int, int, str]] = {
    "I": (1, 5, "Live animals; animal products"),
    "II": (6, 14, "Vegetable products"),
    "III": (15, 15, "Animal or vegetable fats and oils"),
    "IV": (16, 24, "Prepared foodstuffs; beverages, spirits and vinegar; tobacco"),
    "V": (25, 27, "Mineral products"),
    "VI": (28, 38, "Products of the chemical or allied industries"),
    "VII": (39, 40, "Plastics and rubber and articles thereof"),
    "VIII": (41, 43, "Raw hides and skins, leather, furskins and articles thereof"),
    "IX": (44, 46, "Wood, cork, straw and articles thereof"),
    "X": (47, 49, "Pulp of wood; paper and paperboard and articles thereof"),
    "XI": (50, 63, "Textiles and textile articles"),
    "XII": (64, 67, "Footwear, headgear, umbrellas; prepared feathers; artificial flowers"),
    "XIII": (68, 70, "Articles of stone, plaster, cement, asbestos, mica; ceramics; glass"),
    "XIV": (71, 71, "Pearls, precious stones and metals; imitation jewellery; coin"),
    "XV": (72, 83, "Base metals and articles of base metal"),
    "XVI": (84, 85, "Machinery and mechanical appliances; electrical equipment"),
    "XVII": (86, 89, "Vehicles, aircraft, vessels and associated transport equipment"),
    "XVIII": (90, 92, "Optical, measuring, medical instruments; clocks; musical instruments"),
    "XIX": (93, 93, "Arms and ammunition"),
    "XX": (94, 96, "Miscellaneous manufactured articles"),
    "XXI": (97, 97, "Works of art, collectors' pieces and antiques"),
}

_WIPO_SECTORS = (
    ("Electrical engineering", 1, 8),
    ("Instruments", 9, 13),
    ("Chemistry", 14, 24),
    ("Mechanical engineering", 25, 32),
    ("Other fields", 33, 35),
)

#: The 35 WIPO technology fields in their published order (field 1 ... 35),
#: named as in the NSF/NCSES Science and Engineering Indicators patent tables.
WIPO_FIELDS: tuple[str, ...] = (
    "electrical machinery, apparatus, energy", "audio-visual technology",
    "telecommunications", "digital communication", "basic communication processes",
    "computer technology", "IT methods for management", "semiconductors",
    "optics", "measurement", "analysis of biological materials", "control",
    "medical technology",
    "organic fine chemistry", "biotechnology", "pharmaceuticals",
    "macromolecular chemistry, polymers", "food chemistry", "basic materials chemistry",
    "materials, metallurgy", "surface technology, coating",
    "microstructural and nanotechnology", "chemical engineering", "environmental technology",
    "handling", "machine tools", "engines, pumps, turbines", "textile and paper machines",
    "other special machines", "thermal processes and apparatus", "mechanical elements",
    "transport",
    "furniture, games", "other consumer goods", "civil engineering",
)  # fmt: skip

_NAICS_SECTORS = {
    "11": "Agriculture, Forestry, Fishing and Hunting",
    "21": "Mining, Quarrying, and Oil and Gas Extraction",
    "22": "Utilities",
    "23": "Construction",
    "31-33": "Manufacturing",
    "42": "Wholesale Trade",
    "44-45": "Retail Trade",
    "48-49": "Transportation and Warehousing",
    "51": "Information",
    "52": "Finance and Insurance",
    "53": "Real Estate and Rental and Leasing",
    "54": "Professional, Scientific, and Technical Services",
    "55": "Management of Companies and Enterprises",
    "56": "Administrative and Support and Waste Management and Remediation Services",
    "61": "Educational Services",
    "62": "Health Care and Social Assistance",
    "71": "Arts, Entertainment, and Recreation",
    "72": "Accommodation and Food Services",
    "81": "Other Services (except Public Administration)",
    "92": "Public Administration",
    "99": "Industries not classified",
}
_NAICS_RANGES = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                 "48": "48-49", "49": "48-49"}  # fmt: skip

_LEVELS: dict[str, tuple[str, ...]] = {
    "nuts": ("nuts0", "nuts1", "nuts2", "nuts3"),
    "nace": ("section", "division", "group", "class"),
    "nace_eurostat": ("section", "division", "group", "class"),
    "sic": ("section", "division", "group", "class"),
    "naics": ("sector", "subsector", "industry_group", "naics_industry", "national_industry"),
    "hs": ("section", "chapter", "heading"),
    "wipo": ("sector", "field"),
}


def _check_name_version(name: object, version: object) -> tuple[str, str]:
    if name not in HIERARCHIES:
        raise ConventionError(
            f"hierarchy must be one of {', '.join(map(repr, HIERARCHIES))}; got {name!r}"
        )
    allowed = HIERARCHIES[str(name)]
    v = allowed[0] if version is None else str(version)
    if v not in allowed:
        raise ConventionError(
            f"version of hierarchy {name!r} must be one of {', '.join(map(repr, allowed))}; "
            f"got {version!r}"
        )
    return str(name), v


def _section_of_division(divisions: pd.Series) -> np.ndarray:
    """NACE section letter of two-digit division codes, by the published ranges."""
    d = divisions.astype(int).to_numpy()
    starts = np.array([v[0] for v in NACE_SECTIONS.values()])
    ends = np.array([v[1] for v in NACE_SECTIONS.values()])
    idx = np.searchsorted(starts, d, side="right") - 1
    letters = np.array(list(NACE_SECTIONS))
    ok = (idx >= 0) & (d <= ends[np.clip(idx, 0, None)])
    if not ok.all():
        bad = sorted(set(divisions[~ok]))
        raise ClassificationError(f"division code(s) {short_list(bad)} belong to no NACE section")
    return letters[idx]


def _nodes(
    codes: Iterable[str], levels: Iterable[str], parents: Iterable[object], labels: Iterable[object]
) -> pd.DataFrame:
    df = pd.DataFrame(
        {"code": list(codes), "level": list(levels), "parent": list(parents),
         "label": list(labels)}
    )  # fmt: skip
    return df.drop_duplicates("code").reset_index(drop=True)


@functools.cache
def _sic_classes() -> pd.DataFrame:
    """SIC 2007 / NACE Rev. 2 classes with ONS short titles.

    The ONS file lists a group that has several classes also as a four-digit
    code ending in 0 (e.g. ``0720`` for group 07.2, beside 0721 and 0729);
    such entries are group titles, not classes.
    """
    s = pd.read_csv(_DIR / "sic2007_structure.csv", dtype=str)
    s["SIC2007"] = s["SIC2007"].str.strip()
    group = s["SIC2007"].str[:3]
    n_in_group = group.map(group.value_counts())
    is_group_entry = s["SIC2007"].str.endswith("0") & (n_in_group > 1)
    classes = s[~is_group_entry]
    groups = s[is_group_entry]
    return pd.DataFrame(
        {
            "class": classes["SIC2007"].to_numpy(),
            "class_label": classes["SubActivity"].str.strip().to_numpy(),
            "division_label": classes["MainActivity"].str.strip().to_numpy(),
            "group_label": classes["SIC2007"]
            .str[:3]
            .map(dict(zip(groups["SIC2007"].str[:3], groups["SubActivity"].str.strip())))
            .to_numpy(),
        }
    )


def _nace_like(name: str) -> pd.DataFrame:
    c = _sic_classes()
    cls = c["class"]
    div, grp = cls.str[:2], cls.str[:3]
    sec = pd.Series(_section_of_division(div), index=cls.index)
    sec_label = sec.map({k: v[2] for k, v in NACE_SECTIONS.items()})
    if name == "nace":
        div_c, grp_c = div, div + "." + grp.str[2]
        cls_c = grp_c + cls.str[3]
        labels = (pd.Series([np.nan] * len(c)),) * 3  # NACE titles: sections only
    elif name == "nace_eurostat":
        div_c, grp_c, cls_c = sec + div, sec + grp, sec + cls
        labels = (pd.Series([np.nan] * len(c)),) * 3
    else:  # sic: ONS codes and short titles
        div_c, grp_c, cls_c = div, grp, cls
        labels = (c["division_label"], c["group_label"], c["class_label"])
    n = len(c)
    return pd.concat(
        [
            _nodes(sec, ["section"] * n, [None] * n, sec_label),
            _nodes(div_c, ["division"] * n, sec, labels[0]),
            _nodes(grp_c, ["group"] * n, div_c, labels[1]),
            _nodes(cls_c, ["class"] * n, grp_c, labels[2]),
        ],
        ignore_index=True,
    )


def _extra_regio(countries: pd.Series, depth: int) -> pd.DataFrame:
    """Return the extra-regio codes (``FRZ``, ``FRZZ``, ``FRZZZ``) of the countries.

    They stand for territory outside any region (embassies, continental shelf ...)
    and are part of every country's NUTS codes.
    """
    c = pd.Series(sorted(set(countries)))
    n = len(c)
    frames = []
    for d in range(1, depth + 1):
        frames.append(
            _nodes(c + "Z" * d, [f"nuts{d}"] * n, c + "Z" * (d - 1) if d > 1 else c,
                   [f"Extra-Regio NUTS {d}"] * n)
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _nuts(version: str) -> pd.DataFrame:
    lv = ("nuts0", "nuts1", "nuts2", "nuts3")
    if version == "2021":
        n = pd.read_csv(_DIR / "nuts_2021.csv", dtype={"code": str, "label": str})
        level = n["level"].astype(int)
        parent = n["code"].where(level > 0).str[:-1]
        nodes = _nodes(n["code"], level.map(dict(enumerate(lv))), parent, n["label"])
        zz = _extra_regio(n["code"][level == 0], 3)
        return pd.concat([nodes, zz[~zz["code"].isin(nodes["code"])]], ignore_index=True)
    from ris3.data.nuts import NUTS_CONVERSION_PAIRS, _matrix

    codes: set[str] = set()
    for a, b in NUTS_CONVERSION_PAIRS:
        m = _matrix(a, b)
        codes |= set(m["from_code"]) if str(a) == version else set()
        codes |= set(m["to_code"]) if str(b) == version else set()
    labels: dict[str, str] = {}
    if version == "2016":
        g = pd.read_csv(_DIR / "nuts_2016_level2.csv", dtype=str)
        codes |= set(g["code"])
        labels = dict(zip(g["code"], g["label"]))
    l2 = pd.Series(sorted(codes))
    return pd.concat(
        [
            _nodes(l2.str[:2], ["nuts0"] * len(l2), [None] * len(l2), [np.nan] * len(l2)),
            _nodes(l2.str[:3], ["nuts1"] * len(l2), l2.str[:2], [np.nan] * len(l2)),
            _nodes(l2, ["nuts2"] * len(l2), l2.str[:3], l2.map(labels)),
            _extra_regio(l2.str[:2], 2),
        ],
        ignore_index=True,
    ).drop_duplicates("code", ignore_index=True)


def _naics() -> pd.DataFrame:
    raw = (_DIR / "naics2017_cbp_codes.txt").read_text().split()
    codes = pd.Series(sorted(set(raw)))
    is_sector = (codes.str.len() == 2) | codes.str.contains("-", regex=False)
    # sectors 31-33, 44-45, 48-49 are never split into their 2-digit prefixes
    sectors = sorted(set(codes[is_sector]) - set(_NAICS_RANGES) | set(_NAICS_RANGES.values()))
    codes = codes[~is_sector]
    prefix = codes.str[:2]
    parent = codes.str[:-1].where(codes.str.len() > 3, prefix.replace(_NAICS_RANGES))
    level = (codes.str.len() - 2).map(dict(enumerate(_LEVELS["naics"])))
    return pd.concat(
        [
            _nodes(sectors, ["sector"] * len(sectors), [None] * len(sectors),
                   [_NAICS_SECTORS.get(s) for s in sectors]),
            _nodes(codes, level, parent, [np.nan] * len(codes)),
        ],
        ignore_index=True,
    )  # fmt: skip


def _hs() -> pd.DataFrame:
    lines = (_DIR / "hs_chapters.txt").read_text("utf-8").splitlines()
    ch = pd.Series([ln.split(":", 1)[0].strip() for ln in lines if ln.strip()])
    title = pd.Series([ln.split(":", 1)[1].strip() for ln in lines if ln.strip()])
    # 98-99 are for national use, in no HS section; 77 is reserved (no headings)
    keep = (ch.astype(int) <= 97) & ~title.str.startswith("(Reserved")
    ch, title = ch[keep], title[keep]
    starts = np.array([v[0] for v in HS_SECTIONS.values()])
    roman = np.array(list(HS_SECTIONS))
    sec = roman[np.searchsorted(starts, ch.astype(int).to_numpy(), side="right") - 1]
    heads = pd.Series((_DIR / "hs92_4digit_codes.txt").read_text().split())
    return pd.concat(
        [
            _nodes(list(HS_SECTIONS), ["section"] * 21, [None] * 21,
                   [v[2] for v in HS_SECTIONS.values()]),
            _nodes(ch, ["chapter"] * len(ch), sec, title),
            _nodes(heads, ["heading"] * len(heads), heads.str[:2], [np.nan] * len(heads)),
        ],
        ignore_index=True,
    )  # fmt: skip


def _wipo() -> pd.DataFrame:
    sectors = [s for s, _, _ in _WIPO_SECTORS]
    field_sector = [s for s, a, b in _WIPO_SECTORS for _ in range(a, b + 1)]
    return pd.concat(
        [
            _nodes(sectors, ["sector"] * 5, [None] * 5, sectors),
            _nodes(WIPO_FIELDS, ["field"] * 35, field_sector,
                   [f"field {i}" for i in range(1, 36)]),
        ],
        ignore_index=True,
    )  # fmt: skip


@functools.cache
def _node_table(name: str, version: str) -> pd.DataFrame:
    if name == "nuts":
        nodes = _nuts(version)
    elif name in ("nace", "nace_eurostat", "sic"):
        nodes = _nace_like(name)
    elif name == "naics":
        nodes = _naics()
    elif name == "hs":
        nodes = _hs()
    else:
        nodes = _wipo()
    orphans = nodes["parent"].notna() & ~nodes["parent"].isin(nodes["code"])
    if orphans.any():  # a parent missing from the source lists: a bug in the sources
        raise ClassificationError(
            f"hierarchy {name!r} {version}: parents {short_list(nodes['parent'][orphans])} "
            "are not codes of the hierarchy"
        )
    return nodes
