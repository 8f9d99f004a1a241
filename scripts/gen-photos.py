#!/usr/bin/env python3
"""Generate the photos the evidence pipeline is tested and benchmarked on.

Two modes, both deterministic (seeded):

  gen-photos.py small DIR     tiny files (a few KB each) committed under tests/fixtures/photos/
  gen-photos.py bench DIR     12 MP and 48 MP camera-like photos for the benchmark
                              (tens of MB: generated at bench time into a gitignored folder)

Needs Pillow and numpy (scripts/bench-evidence puts both in .tools/venv).

The bench photos are not flat colour: a sky-like gradient, multi-octave value noise
("terrain"), random shapes with hard edges, and per-pixel sensor grain, so JPEG entropy
decoding costs about what it costs on a real camera file (a q90 12 MP file here is ~4-6 MB).
"""
import io
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps
from PIL.TiffImagePlugin import IFDRational

# Colours of the orientation marker's quadrants, as seen when the image is upright.
QUADRANTS = {
    "top_left": (220, 30, 30),  # red
    "top_right": (30, 190, 30),  # green
    "bottom_left": (30, 30, 220),  # blue
    "bottom_right": (235, 225, 40),  # yellow
}

# The transpose that undoes EXIF orientation n (PIL's exif_transpose applies the forward one).
INVERSE_TRANSPOSE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def make_exif(orientation=1, with_camera=True, with_time=True, with_gps=True):
    exif = Image.Exif()
    exif[0x0112] = orientation
    if with_camera:
        exif[0x010F] = "GridCam"  # Make
        exif[0x0110] = "GC-1 Field"  # Model
    if with_time:
        ifd = exif.get_ifd(0x8769)
        ifd[0x9003] = "2024:05:17 09:41:27"  # DateTimeOriginal
        ifd[0x9011] = "+08:00"  # OffsetTimeOriginal
        ifd[0x9291] = "250"  # SubSecTimeOriginal
    if with_gps:
        gps = exif.get_ifd(0x8825)
        gps[0] = b"\x02\x03\x00\x00"  # GPSVersionID
        gps[1] = "N"
        gps[2] = (IFDRational(39), IFDRational(54), IFDRational(1512, 100))  # 39.904200
        gps[3] = "E"
        gps[4] = (IFDRational(116), IFDRational(24), IFDRational(2664, 100))  # 116.407400
        gps[5] = 0  # above sea level
        gps[6] = IFDRational(435, 10)  # 43.5 m
    return exif


def quadrant_marker(width, height):
    """An upright image whose four quadrants have distinct colours (asymmetric under any flip)."""
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    w2, h2 = width // 2, height // 2
    draw.rectangle([0, 0, w2 - 1, h2 - 1], fill=QUADRANTS["top_left"])
    draw.rectangle([w2, 0, width - 1, h2 - 1], fill=QUADRANTS["top_right"])
    draw.rectangle([0, h2, w2 - 1, height - 1], fill=QUADRANTS["bottom_left"])
    draw.rectangle([w2, h2, width - 1, height - 1], fill=QUADRANTS["bottom_right"])
    return img


def value_noise(rng, width, height, cells_x, cells_y):
    """Smooth noise: a coarse random grid upsampled with bicubic interpolation, in [-1, 1]."""
    coarse = rng.random((cells_y, cells_x), dtype=np.float32) * 2.0 - 1.0
    img = Image.fromarray(coarse, mode="F").resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(img, dtype=np.float32)


def camera_like(width, height, seed):
    """A photo-like RGB image: sky gradient, terrain noise, hard-edged shapes, sensor grain."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    base = np.empty((height, width, 3), dtype=np.float32)
    sky = np.array([110.0, 160.0, 225.0], dtype=np.float32)
    ground = np.array([95.0, 110.0, 60.0], dtype=np.float32)
    mix = np.clip((y - 0.35) * 3.0, 0.0, 1.0)  # horizon at ~40 %
    for c in range(3):
        base[:, :, c] = sky[c] * (1.0 - mix) + ground[c] * mix + 20.0 * (x - 0.5)
    # Multi-octave terrain detail, stronger below the horizon.
    detail = np.zeros((height, width), dtype=np.float32)
    amplitude = 40.0
    cells = 6
    for _ in range(6):
        detail += amplitude * value_noise(rng, width, height, cells * width // height + 1, cells)
        amplitude *= 0.55
        cells *= 3
    weight = 0.35 + 0.65 * mix
    for c, k in enumerate((1.0, 0.9, 0.7)):
        base[:, :, c] += detail * weight * k
    del detail
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), mode="RGB")
    del base
    # Hard-edged shapes: buildings, signs, poles.
    draw = ImageDraw.Draw(img)
    scale = width / 4000.0
    for _ in range(int(220 * scale * scale) + 40):
        cx, cy = rng.integers(0, width), rng.integers(int(height * 0.3), height)
        w = int(rng.integers(20, 400) * scale) + 2
        h = int(rng.integers(20, 500) * scale) + 2
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.6:
            draw.rectangle([cx, cy - h, cx + w, cy], fill=colour)
        else:
            draw.ellipse([cx, cy - h, cx + w, cy], fill=colour, outline=(20, 20, 20))
    for _ in range(int(60 * scale) + 10):  # thin lines (wires, poles)
        x0, y0 = rng.integers(0, width, 2)
        draw.line([int(x0), int(y0), int(rng.integers(0, width)), int(rng.integers(0, height))],
                  fill=(30, 30, 30), width=max(1, int(3 * scale)))
    # Sensor grain, in horizontal bands to bound the temporary memory on 48 MP.
    arr = np.asarray(img, dtype=np.uint8).copy()
    band = 512
    for top in range(0, height, band):
        rows = arr[top:top + band]
        grain = rng.normal(0.0, 4.0, rows.shape).astype(np.float32)
        arr[top:top + band] = np.clip(rows.astype(np.float32) + grain, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, mode="RGB")


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bomb(width=100_000, height=100_000):
    """A well-formed, tiny PNG whose header declares width x height RGB pixels.

    Only a few zero rows are present: a decoder that allocates from the header alone
    would try to reserve width*height*3 bytes (30 GB for the default)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = (b"\x00" + b"\x00" * (width * 3)) * 2
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(rows, 9)) + png_chunk(b"IEND", b""))


def check_orientation_fixture(path, upright):
    """Pillow is the oracle: its exif_transpose of the stored pixels must give the upright marker."""
    with Image.open(path) as im:
        shown = ImageOps.exif_transpose(im).convert("RGB")
    assert shown.size == upright.size, (path, shown.size)
    w, h = shown.size
    for (name, colour), (fx, fy) in zip(QUADRANTS.items(), ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))):
        got = shown.getpixel((int(w * fx), int(h * fy)))
        assert all(abs(a - b) < 40 for a, b in zip(got, colour)), (path, name, got, colour)


def small(out):
    out.mkdir(parents=True, exist_ok=True)
    upright = quadrant_marker(48, 32)
    for n in range(1, 9):
        stored = upright if INVERSE_TRANSPOSE[n] is None else upright.transpose(INVERSE_TRANSPOSE[n])
        path = out / f"orientation_{n}.jpg"
        stored.save(path, quality=90, exif=make_exif(n, with_camera=False, with_time=False, with_gps=False))
        check_orientation_fixture(path, upright)

    quadrant_marker(64, 48).save(out / "exif_full.jpg", quality=85, exif=make_exif(1))
    quadrant_marker(64, 48).save(out / "no_exif.jpg", quality=85)
    # Progressive, EXIF orientation 6 (phone held upright): stored 64x48, shown 48x64.
    prog_upright = quadrant_marker(48, 64)
    prog_upright.transpose(INVERSE_TRANSPOSE[6]).save(
        out / "progressive_orientation_6.jpg", quality=85, progressive=True, exif=make_exif(6))
    check_orientation_fixture(out / "progressive_orientation_6.jpg", prog_upright)
    # Adobe (inverted) CMYK, as Photoshop and Pillow write it.
    quadrant_marker(64, 48).convert("CMYK").save(out / "cmyk.jpg", quality=90)
    quadrant_marker(64, 48).convert("L").save(out / "gray.jpg", quality=90)

    # RGBA: left half opaque red, right half fully transparent (must come out white).
    rgba = Image.new("RGBA", (64, 48), (220, 30, 30, 255))
    ImageDraw.Draw(rgba).rectangle([32, 0, 63, 47], fill=(0, 0, 0, 0))
    rgba.save(out / "alpha.png")
    quadrant_marker(64, 48).save(out / "rgb.png")
    pal = quadrant_marker(64, 48).convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    pal.save(out / "palette.png")
    quadrant_marker(64, 48).convert("I;16").save(out / "gray16.png")

    (out / "bomb.png").write_bytes(png_bomb())

    noisy = camera_like(160, 120, seed=7)
    buf = io.BytesIO()
    noisy.save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    (out / "truncated.jpg").write_bytes(data[: len(data) * 6 // 10])
    (out / "not_image.jpg").write_bytes(b"This is a text file with a .jpg name, not a photo.\n" * 4)
    (out / "empty.jpg").write_bytes(b"")
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:8d}  {p}")


def bench(out):
    out.mkdir(parents=True, exist_ok=True)
    specs = [("12mp", 4000, 3000, 12), ("48mp", 8000, 6000, 48)]
    for name, w, h, seed in specs:
        baseline = out / f"photo_{name}.jpg"
        progressive = out / f"photo_{name}_progressive.jpg"
        if baseline.exists() and progressive.exists():
            continue
        img = camera_like(w, h, seed)
        exif = make_exif(6)  # a phone held upright: stored landscape, shown portrait
        img.save(baseline, quality=92, subsampling="4:2:0", exif=exif)
        img.save(progressive, quality=92, subsampling="4:2:0", progressive=True, exif=exif)
        if name == "12mp":
            img.convert("CMYK").save(out / f"photo_{name}_cmyk.jpg", quality=92, exif=make_exif(1))
            img.save(out / f"photo_{name}.png", compress_level=6)
        del img
    for p in sorted(out.iterdir()):
        if p.suffix in (".jpg", ".png"):
            print(f"{p.stat().st_size / 1048576:8.1f} MiB  {p}")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("small", "bench"):
        sys.exit(__doc__)
    {"small": small, "bench": bench}[sys.argv[1]](Path(sys.argv[2]))


if __name__ == "__main__":
    main()
