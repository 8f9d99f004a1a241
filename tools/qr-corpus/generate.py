#!/usr/bin/env python3
"""Generate the labelled QR corpus used by the QR bench (`scripts/bench-qr`) (GridPatrol, QR scan-to-inspect).

Every image gets a JSON label beside it listing the exact payloads it contains, the code corners,
and tags (what makes it hard). The corpus is fully determined by --seed: image i draws from
numpy.random.default_rng([seed, i]), so images do not depend on each other or on run order.

    python tools/qr-corpus/generate.py --out target/qr-corpus

Formats: PNG (luma or RGB), JPEG, and raw camera luma planes (`.y`, row stride = width + 64,
padding bytes filled with junk) for the 1280x720 and 1920x1080 frame groups.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render as R  # noqa: E402
from qrsym import Symbol  # noqa: E402

SEED = 20261128
URL_PREFIX = "https://gp.example.cn/q/"
OTHER_TEXTS = [
    "GP:VENUE:110101-003-0042",
    "网格巡查 东城区东华门街道 第3网格 餐饮店 消防通道检查",
    "WIFI:T:WPA;S:grid-office-3;P:Beijing-2026;;",
    "110101003004200017",
    "HTTPS://GP.EXAMPLE.CN/R/7Q2ZK",
    "tel:010-65123456",
    "安全隐患上报 https://gp.example.cn/r/a1b2c3",
]

# group -> number of images. About 480 in all.
GROUPS = {
    "clean": 20, "small_modules": 40, "large_modules": 20, "rotation": 30, "perspective": 30,
    "blur": 30, "noise": 30, "low_contrast": 30, "shadow": 30, "jpeg": 30, "inverted": 30,
    "occlusion": 25, "textured": 30, "multi": 30, "no_code": 35, "frame_720": 20, "frame_1080": 20,
}
FRAME_SIZES = {"frame_720": (1280, 720), "frame_1080": (1920, 1080)}
STRIDE_PAD = 64


def make_payload(rng) -> str:
    if rng.random() < 0.8:
        token = base64.urlsafe_b64encode(rng.bytes(68)).rstrip(b"=").decode()  # 91 chars
        return URL_PREFIX + token
    return OTHER_TEXTS[int(rng.integers(len(OTHER_TEXTS)))]


def module_tag(px: float) -> str:
    return "mod<2" if px < 2 else "mod2-3" if px < 3 else "mod3-5" if px < 5 else "mod5+"


class Scene:
    """One image under construction: a canvas plus the codes placed on it."""

    def __init__(self, rng, h, w, bg="plain"):
        self.rng = rng
        self.canvas = R.background(rng, h, w, bg).astype(np.float32)
        self.codes = []
        self.taken = []  # (cx, cy, radius) of placed codes, to keep several codes apart

    def place(self, payload, module_px, angle=0.0, tilt=0.0, inverted=False, contrast=None,
              error=None, occlude=False, cell=None):
        """Draw one code; `cell` = (x0, y0, x1, y1) confines its centre's search area."""
        rng = self.rng
        error = error or rng.choice(["L", "M", "M", "Q", "H"])
        sym = Symbol(payload, error)
        extent = (sym.size + 2 * R.QUIET) * module_px
        h, w = self.canvas.shape
        radius = extent * 0.72
        x0, y0, x1, y1 = cell or (0, 0, w, h)
        for _ in range(200):
            c = (rng.uniform(x0 + radius, max(x1 - radius, x0 + radius + 1)),
                 rng.uniform(y0 + radius, max(y1 - radius, y0 + radius + 1)))
            if all(math.hypot(c[0] - x, c[1] - y) > radius + r for x, y, r in self.taken):
                break
        else:
            return False
        self.taken.append((c[0], c[1], radius))
        light = rng.uniform(185, 240)
        dark = light - (contrast if contrast is not None else rng.uniform(140, 200))
        dark = max(dark, 5.0)
        if inverted:
            dark, light = light, dark
        quad = R.code_quad(rng, c, extent, angle, tilt)
        modules = sym.modules.astype(np.float32)
        if occlude and not self._occlude(sym, modules):
            return False
        corners = R.draw_symbol(self.canvas, modules, quad, dark, light)
        self.codes.append({
            "payload": payload, "corners": np.round(corners, 2).tolist(),
            "module_px": round(float(module_px), 3), "version": sym.version, "ec": sym.error,
            "inverted": bool(inverted),
        })
        return True

    def _occlude(self, sym, modules) -> bool:
        """Cover part of the data area with an elliptical blob that damages at most 75 % of the
        correction capacity of any RS block and no function pattern."""
        rng, n = self.rng, sym.size
        vv, uu = np.mgrid[0:n, 0:n] + 0.5
        for _ in range(400):
            cu, cv = rng.uniform(8, n - 8, 2)
            ru, rv = rng.uniform(1.5, n * 0.22, 2)
            # a module is damaged if the blob touches it (radius grown by half a diagonal)
            hit = ((uu - cu) / (ru + 0.71)) ** 2 + ((vv - cv) / (rv + 0.71)) ** 2 <= 1
            if hit.sum() < 0.04 * n * n or sym.function_damage(hit):
                continue
            if sym.worst_block_damage(hit) <= 0.75:
                inside = ((uu - cu) / ru) ** 2 + ((vv - cv) / rv) ** 2 <= 1
                modules[inside] = rng.choice([0.0, 1.0, rng.uniform(0.3, 0.7)])
                return True
        return False

    def finish(self, blur=0.0, noise=2.0, shadow=False):
        img = self.canvas
        if shadow:
            img = R.shadow(self.rng, img)
        img = R.gaussian_blur(img, blur)
        return R.to_u8(R.add_noise(self.rng, img, noise))


def build(group: str, rng):
    """Returns (luma uint8 array, codes, extra tags, output format)."""
    u = rng.uniform
    fmt, extra = "png", []
    mp = u(2.5, 6.0)
    kw = {"angle": u(-8, 8)}
    blur, noise, shadow, bg = u(0.3, 0.7), u(1, 4), False, rng.choice(["plain", "paper"])
    n_codes, size = 1, None
    if group == "clean":
        mp, kw["angle"], blur, noise = u(3, 8), 0.0, 0.3, 1.0
    elif group == "small_modules":
        mp, blur = u(1.5, 2.2), u(0.4, 0.7)
    elif group == "large_modules":
        mp = u(6, 10)
    elif group == "rotation":
        mp, kw["angle"] = u(2, 5), u(0, 360)
    elif group == "perspective":
        mp, kw["tilt"], kw["angle"] = u(3, 6), u(30, 55), u(-30, 30)
    elif group == "blur":
        mp = u(3, 6)
        blur = mp * u(0.3, 0.6)
    elif group == "noise":
        noise = u(15, 40)
    elif group == "low_contrast":
        kw["contrast"] = u(12, 35)
    elif group == "shadow":
        shadow = True
    elif group == "jpeg":
        fmt, mp = "jpeg", u(2, 4)
    elif group == "inverted":
        kw["inverted"], kw["angle"], noise = True, u(0, 360), u(2, 10)
    elif group == "occlusion":
        kw["occlude"], kw["error"] = True, rng.choice(["Q", "H"])
    elif group == "textured":
        mp, bg = u(2, 5), rng.choice(R.TEXTURES)
    elif group == "multi":
        n_codes, mp = int(rng.integers(2, 5)), u(2, 4)
        kw["angle"] = u(0, 360) if rng.random() < 0.5 else u(-10, 10)
    elif group == "no_code":
        n_codes, bg = 0, rng.choice(["plain"] + R.TEXTURES)
    elif group in FRAME_SIZES:
        fmt, size = "luma8", FRAME_SIZES[group]
        r = rng.random()
        n_codes = 0 if r < 0.15 else 2 if r < 0.3 else 1
        scale = size[0] / 1280
        mp = u(1.6, 5.0) * scale
        kw["angle"] = u(0, 360) if rng.random() < 0.25 else u(-20, 20)
        kw["tilt"] = u(0, 25)
        blur, noise, shadow = u(0.6, 1.5), u(3, 8), rng.random() < 0.3
        bg = rng.choice(["wall", "paper", "bricks", "text"])
    else:
        raise ValueError(group)

    payloads = []
    while len(payloads) < n_codes:
        p = make_payload(rng)
        if p not in payloads:
            payloads.append(p)
    est = max((Symbol(p, "H").size + 8) * mp for p in payloads) if payloads else u(200, 500)
    if group == "multi":
        size = (int(est * u(3.0, 3.4)), int(est * u(3.0, 3.3)))
    elif size is None:
        side = int(max(est * u(1.4, 2.0), 240))
        size = (side + int(u(0, 120)), side)
    scene = Scene(rng, size[1], size[0], bg)
    mixed = group == "multi" and rng.random() < 0.3
    if mixed:
        extra.append("mixed_polarity")  # the last code is printed light-on-dark
    for i, p in enumerate(payloads):
        inverted = kw.get("inverted", False) or (mixed and i == len(payloads) - 1)
        args = {**kw, "inverted": inverted}
        if group == "multi":  # one code per quadrant, so they never overlap
            w, h = size
            args["cell"] = ((i % 2) * w / 2, (i // 2) * h / 2, (i % 2 + 1) * w / 2, (i // 2 + 1) * h / 2)
        for _ in range(20):  # occlusion may need a few blobs; placement a few tries
            if scene.place(p, mp, **args):
                break
        else:
            raise RuntimeError(f"could not place a code in a {group} image")
    if group == "no_code":
        for _ in range(int(rng.integers(1, 4)) if rng.random() < 0.5 else 0):
            extra.append("decoy")
            n = int(rng.choice([21, 25, 29, 33, 37, 41, 45]))
            m = R.decoy_symbol(rng, n).astype(np.float32)
            quad = R.code_quad(rng, (u(0.3, 0.7) * size[0], u(0.3, 0.7) * size[1]),
                               (n + 8) * u(2.5, 5), u(0, 360))
            R.draw_symbol(scene.canvas, m, quad, u(20, 60), u(190, 235))
    luma = scene.finish(blur=blur, noise=noise, shadow=shadow)
    return luma, scene.codes, extra, fmt


def write_sample(out_dir, idx, group, rng):
    luma, codes, extra, fmt = build(group, rng)
    h, w = luma.shape
    name = f"{idx:04d}_{group}"
    label = {"id": name, "group": group, "width": w, "height": h, "format": fmt}
    if fmt == "png" and group == "clean" and idx % 2 == 0:
        tint = np.array([rng.uniform(0.8, 1.0), rng.uniform(0.85, 1.0), rng.uniform(0.6, 1.0)])
        rgb = np.clip(luma[:, :, None] * tint, 0, 255).astype(np.uint8)
        Image.fromarray(rgb, mode="RGB").save(os.path.join(out_dir, name + ".png"))
        extra.append("rgb")
        label["file"] = name + ".png"
    elif fmt == "png":
        Image.fromarray(luma, mode="L").save(os.path.join(out_dir, name + ".png"))
        label["file"] = name + ".png"
    elif fmt == "jpeg":
        q = int(rng.integers(5, 31))
        with open(os.path.join(out_dir, name + ".jpg"), "wb") as f:
            f.write(R.jpeg_roundtrip(luma, q))
        label["file"], label["jpeg_quality"] = name + ".jpg", q
    else:
        stride = w + STRIDE_PAD
        plane = rng.integers(0, 256, (h, stride), dtype=np.uint8)  # junk in the row padding
        plane[:, :w] = luma
        plane.tofile(os.path.join(out_dir, name + ".y"))
        label["file"], label["stride"] = name + ".y", stride
    tags = [group] + extra
    if any(c["inverted"] for c in codes) and "inverted" not in tags:
        tags.append("inverted")
    tags += sorted({module_tag(c["module_px"]) for c in codes})
    tags.append("no_code" if not codes else "multi" if len(codes) > 1 else "single")
    label["tags"] = list(dict.fromkeys(tags))
    label["payloads"] = [c["payload"] for c in codes]
    label["codes"] = codes
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(label, f, ensure_ascii=False, indent=1)
    return label


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--only", help="comma-separated groups (for debugging)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    labels, idx, t0 = [], 0, time.time()
    for group, count in GROUPS.items():
        for _ in range(count):
            if only is None or group in only:
                labels.append(write_sample(args.out, idx, group, np.random.default_rng([args.seed, idx])))
            idx += 1
    index = {"seed": args.seed, "generator": "tools/qr-corpus/generate.py", "images": labels}
    with open(os.path.join(args.out, "corpus.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False)
    print(f"wrote {len(labels)} images to {args.out} in {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
