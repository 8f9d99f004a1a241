"""Pixel-level rendering for the corpus generator: backgrounds, projected QR symbols, camera effects.

Everything works on float32 luma arrays in 0..255 and takes an explicit numpy Generator, so a
given seed always produces the same pixels.
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

QUIET = 4  # quiet-zone width in modules, as printed on our venue stickers


# --- geometry ---------------------------------------------------------------------------------

def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """3x3 matrix mapping the four `src` points onto the four `dst` points."""
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(rows, dtype=np.float64))
    h = vt[-1].reshape(3, 3)
    return h / h[2, 2]


def apply_h(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.c_[pts, np.ones(len(pts))] @ h.T
    return p[:, :2] / p[:, 2:3]


def code_quad(rng, center, extent, angle_deg, tilt_deg=0.0):
    """Image corners (TL, TR, BR, BL) of a square of side `extent` px, rotated and optionally tilted
    in 3D (perspective), centred on `center`."""
    corners = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], dtype=np.float64) * 0.5
    if tilt_deg:
        ax = math.radians(tilt_deg) * rng.uniform(-1, 1)
        ay = math.radians(tilt_deg) * rng.choice([-1, 1]) * rng.uniform(0.6, 1.0)
        rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
        ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
        corners = corners @ (ry @ rx).T
        dist = rng.uniform(1.2, 2.0)  # camera distance in symbol widths: stronger keystone when close
        corners = corners[:, :2] * (dist / (dist + corners[:, 2:3]))
    else:
        corners = corners[:, :2]
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return corners @ rot.T * extent + np.asarray(center, dtype=np.float64)


# --- symbol rendering ---------------------------------------------------------------------------

def draw_symbol(canvas, modules, quad, dark, light, supersample=3):
    """Composite a QR symbol (with its quiet zone) whose outer corners land on `quad`.

    `modules` holds each module's darkness in 0..1 (1 = dark; occluders use grey values).

    Returns the image positions of the symbol's own corners (without quiet zone), TL, TR, BR, BL.
    """
    n = modules.shape[0]
    side = n + 2 * QUIET
    square = np.array([[0, 0], [side, 0], [side, side], [0, side]], dtype=np.float64)
    h = homography(square, quad)
    h_inv = np.linalg.inv(h)
    hgt, wid = canvas.shape
    x0 = max(int(math.floor(quad[:, 0].min())) - 1, 0)
    x1 = min(int(math.ceil(quad[:, 0].max())) + 1, wid)
    y0 = max(int(math.floor(quad[:, 1].min())) - 1, 0)
    y1 = min(int(math.ceil(quad[:, 1].max())) + 1, hgt)
    offs = (np.arange(supersample) + 0.5) / supersample
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    cover = np.zeros(ys.shape)
    darkness = np.zeros(ys.shape)
    padded = np.pad(np.asarray(modules, dtype=np.float32), QUIET, constant_values=0.0)
    for oy in offs:
        for ox in offs:
            px, py = xs + ox, ys + oy
            den = h_inv[2, 0] * px + h_inv[2, 1] * py + h_inv[2, 2]
            u = (h_inv[0, 0] * px + h_inv[0, 1] * py + h_inv[0, 2]) / den
            v = (h_inv[1, 0] * px + h_inv[1, 1] * py + h_inv[1, 2]) / den
            inside = (u >= 0) & (u < side) & (v >= 0) & (v < side)
            ui = np.clip(u.astype(np.int64), 0, side - 1)
            vi = np.clip(v.astype(np.int64), 0, side - 1)
            cover += inside
            darkness += inside * padded[vi, ui]
    k = supersample * supersample
    cover /= k
    darkness /= k
    code = light - (light - dark) * np.divide(darkness, cover, out=np.zeros_like(cover), where=cover > 0)
    region = canvas[y0:y1, x0:x1]
    canvas[y0:y1, x0:x1] = region * (1 - cover) + code * cover
    inner = np.array([[QUIET, QUIET], [QUIET + n, QUIET], [QUIET + n, QUIET + n], [QUIET, QUIET + n]])
    return apply_h(h, inner.astype(np.float64))


# --- backgrounds ----------------------------------------------------------------------------------

def smooth_noise(rng, h, w, cells):
    """Low-frequency noise in 0..1: random values on a coarse grid, bicubically enlarged."""
    small = rng.random((max(cells * h // w, 2), max(cells, 2))).astype(np.float32)
    img = Image.fromarray(small, mode="F").resize((w, h), Image.BICUBIC)
    return np.clip(np.asarray(img, dtype=np.float32), 0, 1)


def background(rng, h, w, kind):
    """A background of the given kind: plain, paper, wall, bricks, text, stripes, checker."""
    base = rng.uniform(120, 220)
    if kind == "plain":
        return np.full((h, w), base, np.float32) + 12 * smooth_noise(rng, h, w, 3)
    if kind == "paper":
        return base + 25 * smooth_noise(rng, h, w, 40) + 10 * smooth_noise(rng, h, w, 4)
    if kind == "wall":
        return base - 30 + 60 * smooth_noise(rng, h, w, 8) + 20 * smooth_noise(rng, h, w, 120)
    ys, xs = np.mgrid[0:h, 0:w]
    if kind == "bricks":
        bh = rng.integers(14, 40)
        bw = bh * 2 + rng.integers(0, 20)
        row = ys // bh
        mortar = ((ys % bh) < 3) | (((xs + (row % 2) * bw // 2) % bw) < 3)
        img = base - 20 * smooth_noise(rng, h, w, 30)
        return np.where(mortar, base - rng.uniform(60, 110), img).astype(np.float32)
    if kind == "stripes":
        period = rng.uniform(4, 30)
        ang = rng.uniform(0, math.pi)
        t = (xs * math.cos(ang) + ys * math.sin(ang)) / period
        return (base - 70 * (np.sin(2 * math.pi * t) > 0.3)).astype(np.float32)
    if kind == "checker":
        cell = int(rng.integers(3, 16))
        return (base - 90 * (((xs // cell) + (ys // cell)) % 2)).astype(np.float32)
    if kind == "text":
        img = np.full((h, w), base, np.float32)
        line_h = int(rng.integers(10, 26))
        for y in range(int(rng.integers(2, 10)), h - line_h, line_h + int(rng.integers(4, 12))):
            x = int(rng.integers(2, 20))
            while x < w - 10:
                gw = int(rng.integers(int(line_h * 0.5), line_h))
                glyph = rng.random((4, 4)) < 0.45  # blocky "hanzi" made of strokes
                gy = np.repeat(np.repeat(glyph, line_h // 4 + 1, 0), gw // 4 + 1, 1)[:line_h, :gw]
                gy = gy[: h - y, : w - x]
                img[y:y + gy.shape[0], x:x + gy.shape[1]][gy] = base - 120
                x += gw + int(rng.integers(2, 6)) + (int(rng.integers(10, 40)) if rng.random() < 0.1 else 0)
        return img
    raise ValueError(kind)


TEXTURES = ["paper", "wall", "bricks", "stripes", "checker", "text"]


def decoy_symbol(rng, n):
    """A QR look-alike: real finder patterns and timing, random data, no valid format or codewords."""
    m = rng.random((n, n)) < 0.5
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        f = np.ones((7, 7), bool)
        f[1:6, 1:6] = False
        f[2:5, 2:5] = True
        m[r0:r0 + 7, c0:c0 + 7] = f
        r_sep = slice(max(r0 - 1, 0), min(r0 + 8, n))
        c_sep = slice(max(c0 - 1, 0), min(c0 + 8, n))
        m[r_sep, c0 + 7 if c0 == 0 else c0 - 1] = False
        m[r0 + 7 if r0 == 0 else r0 - 1, c_sep] = False
    m[6, 8:n - 8] = np.arange(8, n - 8) % 2 == 0
    m[8:n - 8, 6] = np.arange(8, n - 8) % 2 == 0
    return m


# --- camera effects -------------------------------------------------------------------------------

def gaussian_blur(img, sigma):
    if sigma <= 0.05:
        return img
    r = max(1, int(math.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = np.pad(img, ((0, 0), (r, r)), mode="reflect")
    out = sum(k[i] * out[:, i:i + img.shape[1]] for i in range(2 * r + 1))
    out = np.pad(out, ((r, r), (0, 0)), mode="reflect")
    return sum(k[i] * out[i:i + img.shape[0], :] for i in range(2 * r + 1)).astype(np.float32)


def shadow(rng, img):
    """Multiply by a soft-edged cast shadow (a half plane) and a gentle illumination gradient."""
    h, w = img.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    d = (xs - cx) * math.cos(ang) + (ys - cy) * math.sin(ang)
    soft = rng.uniform(2, 25)
    depth = rng.uniform(0.25, 0.55)
    mask = 1 - (1 - depth) / (1 + np.exp(np.clip(-d / soft, -50, 50)))
    grad = 1 + rng.uniform(-0.25, 0.25) * (xs / w - 0.5) + rng.uniform(-0.25, 0.25) * (ys / h - 0.5)
    return img * mask * grad


def add_noise(rng, img, sigma):
    return img + rng.normal(0, sigma, img.shape).astype(np.float32)


def to_u8(img):
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def jpeg_roundtrip(img_u8, quality):
    buf = io.BytesIO()
    Image.fromarray(img_u8, mode="L").save(buf, format="JPEG", quality=int(quality))
    return buf.getvalue()
