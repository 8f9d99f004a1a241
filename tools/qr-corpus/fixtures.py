#!/usr/bin/env python3
"""Generate the few small, committed decoder test fixtures (tests/fixtures/qr/).

Unlike the bench corpus these are committed, so they are kept to a few KB each: no sensor noise
(noise does not compress), small canvases. Each image has a JSON label beside it, in the same
format as the corpus labels.

    python tools/qr-corpus/fixtures.py --out tests/fixtures/qr
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render as R  # noqa: E402
from generate import URL_PREFIX, Scene  # noqa: E402

SEED = 4242
TOKEN = "q1Lh0xV3pN8dS2mYc7TbWf5rKj9uEa4gZo6iHw-_sQ0eRnP3vBx8CkJt1LyMz7AhDs2FqGu5XbOw9NcIe4VpTjKr6Wd"


def scene(rng, w, h, bg="plain"):
    s = Scene(rng, h, w, bg)
    s.canvas[:] = np.round(s.canvas.mean())  # a flat background compresses well
    return s


def save(out_dir, name, luma, codes, tags, fmt="png"):
    label = {"id": name, "tags": tags, "width": int(luma.shape[1]), "height": int(luma.shape[0]),
             "payloads": [c["payload"] for c in codes], "codes": codes}
    luma = (luma // 4 * 4).astype(np.uint8)  # 64 grey levels: smaller files, same codes
    if fmt == "png":
        label["file"] = name + ".png"
        Image.fromarray(luma, mode="L").save(os.path.join(out_dir, label["file"]), optimize=True)
    else:
        label["file"] = name + ".jpg"
        buf = io.BytesIO()
        Image.fromarray(luma, mode="L").save(buf, format="JPEG", quality=40)
        with open(os.path.join(out_dir, label["file"]), "wb") as f:
            f.write(buf.getvalue())
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(label, f, ensure_ascii=False, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    url = URL_PREFIX + TOKEN

    rng = np.random.default_rng([SEED, 1])
    s = scene(rng, 300, 300)
    s.place(url, 2.6, angle=27.0, error="M")
    save(args.out, "url_rotated", s.finish(blur=0.0, noise=0), s.codes, ["rotation"])

    rng = np.random.default_rng([SEED, 2])
    s = scene(rng, 300, 300)
    s.place(url, 2.6, angle=-8.0, inverted=True, error="M")
    save(args.out, "url_inverted", s.finish(blur=0.0, noise=0), s.codes, ["inverted"])

    rng = np.random.default_rng([SEED, 3])
    s = scene(rng, 520, 260)
    s.place(url, 2.2, angle=5.0, error="L", cell=(0, 0, 260, 260))
    s.place("网格巡查 东城区东华门街道 第3网格", 3.0, angle=-12.0, error="M", cell=(260, 0, 520, 260))
    save(args.out, "two_codes", s.finish(blur=0.0, noise=0), s.codes, ["multi"])

    rng = np.random.default_rng([SEED, 4])
    s = scene(rng, 300, 300)
    s.place(url, 3.2, angle=30.0, tilt=40.0, error="Q")
    save(args.out, "url_perspective", s.finish(blur=0.0, noise=0), s.codes, ["perspective"])

    rng = np.random.default_rng([SEED, 5])
    s = scene(rng, 300, 300)
    s.place("GP:VENUE:110101-003-0042", 4.0, angle=3.0, contrast=40.0, error="M")
    save(args.out, "low_contrast", s.finish(blur=0.6, noise=0), s.codes, ["low_contrast"], fmt="jpeg")

    rng = np.random.default_rng([SEED, 6])
    s = scene(rng, 300, 300)
    m = R.decoy_symbol(rng, 33).astype(np.float32)
    R.draw_symbol(s.canvas, m, R.code_quad(rng, (150, 150), (33 + 8) * 5.0, 10.0), 30.0, 220.0)
    save(args.out, "decoy_no_code", s.finish(blur=0.0, noise=0), [], ["no_code", "decoy"])
    print(f"fixtures written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
