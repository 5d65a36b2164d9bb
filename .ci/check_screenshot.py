#!/usr/bin/env python3
"""Checks the app's CI screenshot: a PNG of the window showing the map with incident markers.

Decodes the PNG with the standard library only (8-bit RGB/RGBA, the filters PNG defines) and
counts pixels in the markers' event-type colours. Exits 1, saying why, when the image is not a
map with markers.

With --same, checks instead that two screenshots of the same state are the same picture: the
app's map kept as a picture (src/ui/map_picture.rs) against the map drawn directly. The
rasteriser may round an anti-aliased edge differently in an offscreen framebuffer, so a few
pixels may differ by at most MAX_LEVELS; a stale, shifted or missing map differs far more.

Usage: check_screenshot.py FILE.png [MIN_MARKER_PIXELS]
       check_screenshot.py --same FILE_A.png FILE_B.png
"""
import struct
import sys
import zlib

# The event-type colours of src/ui/markers.rs (EVENT_COLOURS).
MARKER_COLOURS = [(0xD5, 0x5E, 0x00), (0xE6, 0x9F, 0x00), (0xC7, 0x3B, 0x8A), (0x00, 0x72, 0xB2), (0x00, 0x9E, 0x73), (0x6A, 0x4C, 0x93)]
# The Offline basemap's land and sea (src/ui/offline.rs).
BASEMAP_COLOURS = [(0xF6, 0xF1, 0xE6), (0xE3, 0xDF, 0xD6), (0xB5, 0xD6, 0xE3)]
# egui's light panels; in the window they are eframe's clear colour (src/ui/app.rs, clear_color).
PANEL = (0xF8, 0xF8, 0xF8)


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour type {colour})")
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    out = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        out.append(line)
        prev = line
    return width, height, bpp, out


def near(px, colour, tolerance=6):
    return all(abs(px[k] - colour[k]) <= tolerance for k in range(3))


# How far two screenshots of one state may differ: per colour level, and in share of pixels.
MAX_LEVELS = 2
MAX_SHARE = 0.001


def same(path_a, path_b):
    wa, ha, ba, a = pixels(path_a)
    wb, hb, bb, b = pixels(path_b)
    if (wa, ha) != (wb, hb):
        sys.exit(f"{path_a} is {wa}x{ha}, {path_b} is {wb}x{hb}")
    differing, worst = 0, 0
    for row_a, row_b in zip(a, b):
        if row_a == row_b:
            continue
        for x in range(wa):
            pa, pb = row_a[x * ba:x * ba + 3], row_b[x * bb:x * bb + 3]
            if pa != pb:
                differing += 1
                worst = max(worst, max(abs(pa[k] - pb[k]) for k in range(3)))
    print(f"{path_a} vs {path_b}: {differing} pixels differ, by at most {worst} levels")
    if worst > MAX_LEVELS or differing > wa * ha * MAX_SHARE:
        sys.exit(f"{path_a} and {path_b} are not the same picture")


def main():
    if sys.argv[1] == "--same":
        same(sys.argv[2], sys.argv[3])
        return
    path = sys.argv[1]
    minimum = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    width, height, bpp, rows = pixels(path)
    markers = basemap = panels = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            px = row[x:x + 3]
            if any(near(px, c) for c in MARKER_COLOURS):
                markers += 1
            elif any(near(px, c, 2) for c in BASEMAP_COLOURS):
                basemap += 1
            elif near(px, PANEL, 2):
                panels += 1
    print(f"{path}: {width}x{height}, {markers} marker pixels, {basemap} basemap pixels, {panels} panel pixels")
    if panels < width * height // 10:
        sys.exit(f"{path}: the panels are not their colour (is the window cleared with it?)")
    if basemap < width * height // 5:
        sys.exit(f"{path}: the map is not on the screenshot")
    if markers < minimum:
        sys.exit(f"{path}: fewer than {minimum} marker pixels: no incidents on the map")


if __name__ == "__main__":
    main()
