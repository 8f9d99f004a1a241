#!/usr/bin/env python3
"""zxing-cpp's side of the callgrind comparison (see core/examples/qr_frames.rs).

    valgrind --tool=callgrind .tools/qr-venv/bin/python tools/qr-corpus/zxing_frames.py frame_720 load CORPUS
    valgrind --tool=callgrind .tools/qr-venv/bin/python tools/qr-corpus/zxing_frames.py frame_720 decode CORPUS
"""

import json
import os
import sys

import numpy as np
import zxingcpp


def main():
    group, mode = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else "target/qr-corpus"
    with open(os.path.join(corpus, "corpus.json"), encoding="utf-8") as f:
        labels = json.load(f)["images"]
    frames = []
    for lab in labels:
        if lab["group"] == group and lab["format"] == "luma8":
            plane = np.fromfile(os.path.join(corpus, lab["file"]), np.uint8)
            plane = plane.reshape(lab["height"], lab["stride"])
            frames.append(np.ascontiguousarray(plane[:, : lab["width"]]))
    fmt = zxingcpp.BarcodeFormat.QRCode
    zxingcpp.read_barcodes(frames[0][:64, :64], formats=fmt)  # load and initialise the library
    codes = 0
    if mode == "decode":
        codes = sum(len(zxingcpp.read_barcodes(fr, formats=fmt)) for fr in frames)
    print(f"{len(frames)} frames, {codes} codes")


if __name__ == "__main__":
    main()
