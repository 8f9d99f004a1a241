#!/usr/bin/env python3
"""Run the peer decoders (zxing-cpp from PyPI, zbar through pyzbar) over the corpus.

Writes one JSON file that the QR bench (core/benches/qr.rs) reads: per decoder and image, the decoded texts and the
fastest of --repeats decode times. Only the decode call is timed (image loading is not), on
the same luma plane our decoder gets, so the numbers compare like with like.

    python tools/qr-corpus/peers.py --corpus target/qr-corpus --out target/qr-corpus/peers.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib.metadata import version

import numpy as np
from PIL import Image


def load_luma(corpus: str, label: dict) -> np.ndarray:
    path = os.path.join(corpus, label["file"])
    if label["format"] == "luma8":
        plane = np.fromfile(path, dtype=np.uint8).reshape(label["height"], label["stride"])
        return np.ascontiguousarray(plane[:, : label["width"]])
    with Image.open(path) as im:
        return np.asarray(im.convert("L"))


def zxing_decoder():
    import zxingcpp

    fmt = zxingcpp.BarcodeFormat.QRCode

    def decode(luma):
        return [r.text for r in zxingcpp.read_barcodes(luma, formats=fmt) if r.valid]

    return f"zxing-cpp {version('zxing-cpp')}", decode


def zbar_decoder():
    from pyzbar import pyzbar

    def decode(luma):
        h, w = luma.shape
        res = pyzbar.decode((luma.tobytes(), w, h), symbols=[pyzbar.ZBarSymbol.QRCODE])
        return [r.data.decode("utf-8", errors="replace") for r in res]

    return f"zbar (pyzbar {version('pyzbar')})", decode


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    with open(os.path.join(args.corpus, "corpus.json"), encoding="utf-8") as f:
        labels = json.load(f)["images"]
    frames = [(lab["id"], load_luma(args.corpus, lab)) for lab in labels]
    out = {"decoders": {}}
    for key, factory in (("zxing-cpp", zxing_decoder), ("zbar", zbar_decoder)):
        try:
            name, decode = factory()
        except Exception as e:  # missing wheel or libzbar0: report, don't fail the whole bench
            print(f"peers: {key} unavailable: {e}", file=sys.stderr)
            continue
        decode(frames[0][1])  # warm-up (lazy initialisation inside the library)
        results, t0 = {}, time.time()
        for image_id, luma in frames:
            times, texts = [], []
            for _ in range(args.repeats):
                t = time.perf_counter()
                texts = decode(luma)
                times.append((time.perf_counter() - t) * 1000.0)
            # the fastest run: robust against other processes on a shared machine
            results[image_id] = {"texts": texts, "ms": min(times)}
        out["decoders"][key] = {"name": name, "results": results}
        print(f"peers: {name}: {len(frames)} images in {time.time() - t0:.1f} s", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
