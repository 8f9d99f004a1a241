#!/usr/bin/env python3
"""Pillow's best effort at the evidence pipeline, as the benchmark's comparison point.

  pillow-normalize.py SRC OUTDIR   ->  OUTDIR/evidence.jpg (long edge 1600, q80, no EXIF)
                                       OUTDIR/thumb.jpg    (long edge 320, q80)

draft() makes libjpeg decode at 1/2, 1/4 or 1/8 scale in the DCT (as our pipeline does);
it must be given the target box in the image's own aspect, or it will not reduce at all.
"""
import sys

from PIL import Image, ImageOps


def fit(width, height, long_edge):
    if max(width, height) <= long_edge:
        return width, height
    if width >= height:
        return long_edge, max(1, round(height * long_edge / width))
    return max(1, round(width * long_edge / height)), long_edge


def main():
    src, out = sys.argv[1], sys.argv[2]
    with Image.open(src) as im:
        im.draft("RGB", fit(*im.size, 1600))
        im = ImageOps.exif_transpose(im)
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB") if im.mode != "RGBA" else _over_white(im)
        im.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
        im.save(f"{out}/evidence.jpg", quality=80)  # no exif= argument: none is written
        thumb = im.copy()
        thumb.thumbnail((320, 320), Image.Resampling.LANCZOS)
        thumb.save(f"{out}/thumb.jpg", quality=80)


def _over_white(im):
    background = Image.new("RGB", im.size, (255, 255, 255))
    background.paste(im, mask=im.getchannel("A"))
    return background


if __name__ == "__main__":
    main()
