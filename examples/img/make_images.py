#!/usr/bin/env python3
"""Draws the sample site's pictures from nothing but arithmetic.

PNG is written here with zlib; the JPEG and WebP files are encoded from the
same pixels by cjpeg (libjpeg-turbo-progs) and cwebp (webp).  Run from
examples/: python3 img/make_images.py
"""
import math
import os
import struct
import subprocess
import tempfile
import zlib


def png(path, w, h, px):
    raw = b"".join(b"\x00" + bytes(px[y * w * 3:(y + 1) * w * 3]) for y in range(h))

    def chunk(tag, data):
        c = struct.pack(">I", len(data)) + tag + data
        return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def ppm(path, w, h, px):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        f.write(bytes(px))


def mountains(w, h, top, bottom, ridge):
    """A sky gradient from TOP to BOTTOM with two ridges of hills."""
    px = []
    for y in range(h):
        for x in range(w):
            t = y / (h - 1)
            c = [int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)]
            far = h * 0.55 + math.sin(x / 37.0) * 14 + math.sin(x / 11.0) * 4
            near = h * 0.72 + math.sin(x / 53.0 + 1.3) * 18 + math.sin(x / 7.0) * 2
            if y > near:
                c = [max(0, v - 30) for v in ridge]
            elif y > far:
                c = list(ridge)
            px.extend(c)
    return px


def bars(w, h, values):
    """A white chart with blue bars and a grey baseline."""
    px = [255] * (w * h * 3)
    n = len(values)
    slot = w // n
    for i, v in enumerate(values):
        bh = int((h - 20) * v)
        for y in range(h - 10 - bh, h - 10):
            for x in range(i * slot + 8, (i + 1) * slot - 8):
                o = (y * w + x) * 3
                px[o:o + 3] = [40 + i * 25, 110, 200 - i * 10]
    for x in range(w):
        o = ((h - 10) * w + x) * 3
        px[o:o + 3] = [120, 120, 120]
    return px


def rings(w, h):
    """Concentric rings, like a cup of tea seen from above."""
    px = []
    cx, cy = w / 2, h / 2
    for y in range(h):
        for x in range(w):
            r = math.hypot(x - cx, y - cy)
            k = (math.sin(r / 4.0) + 1) / 2
            if r > min(w, h) * 0.45:
                px.extend([235, 228, 210])
            else:
                px.extend([int(120 + 80 * k), int(80 + 60 * k), int(30 + 20 * k)])
    return px


def jpeg(path, w, h, px, quality):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.ppm")
        ppm(src, w, h, px)
        with open(path, "wb") as out:
            subprocess.run(["cjpeg", "-quality", str(quality), "-optimize", src],
                           check=True, stdout=out)


def webp(path, w, h, px, quality):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.ppm")
        ppm(src, w, h, px)
        subprocess.run(["cwebp", "-quiet", "-q", str(quality), src, "-o", path], check=True)


def main():
    os.makedirs("img", exist_ok=True)
    png("img/chart-bandwidth.png", 320, 160, bars(320, 160, [0.35, 0.5, 0.8, 0.95]))
    png("_posts/img/notebook.png", 200, 120, bars(200, 120, [0.9, 0.6, 0.3]))
    for name, top, bottom, ridge in [
        ("img/header-winter.jpg", (150, 180, 215), (235, 240, 245), (90, 100, 120)),
        ("img/header-spring.jpg", (120, 190, 230), (250, 235, 200), (70, 130, 80)),
        ("img/header-night.jpg", (10, 20, 50), (60, 60, 110), (20, 25, 35)),
    ]:
        jpeg(name, 600, 200, mountains(600, 200, top, bottom, ridge), 70)
    jpeg("img/tea.jpg", 240, 240, rings(240, 240), 75)
    webp("img/sunset.webp", 300, 180,
         mountains(300, 180, (250, 200, 150), (250, 240, 220), (120, 80, 60)), 70)


if __name__ == "__main__":
    main()
