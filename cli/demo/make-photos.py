"""Draws the demo's sample field photos (the repo's own making): simple scenes of the hazards
the demo inspection finds, as a phone camera would save them (JPEG with EXIF: orientation,
capture time, GPS near the demo venue). Deterministic; re-run to regenerate:

    python3 make-photos.py            # needs Pillow; writes photos/*.jpg
"""

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).parent / "photos"
W, H = 1280, 960


def base(seed, wall, floor):
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H), wall)
    d = ImageDraw.Draw(img)
    d.rectangle([0, int(H * 0.7), W, H], fill=floor)
    for _ in range(2500):  # plaster and tile texture, so the JPEG is photo-like
        x, y = rng.randrange(W), rng.randrange(H)
        c = tuple(max(0, min(255, v + rng.randint(-18, 18))) for v in (floor if y > H * 0.7 else wall))
        d.point((x, y), fill=c)
    return img, d, rng


def blocked_exit():
    img, d, rng = base(1, (196, 190, 176), (120, 112, 100))
    d.rectangle([470, 160, 810, 672], fill=(90, 70, 50), outline=(40, 30, 20), width=6)  # door
    d.rectangle([560, 90, 720, 140], fill=(20, 160, 70))  # exit sign
    d.polygon([(580, 115), (610, 100), (610, 130)], fill=(240, 240, 240))
    for i in range(7):  # cardboard boxes stacked against the door
        x, y = 430 + (i % 4) * 110 + rng.randint(-8, 8), 560 - (i // 4) * 120
        d.rectangle([x, y, x + 120, y + 112], fill=(176, 134, 82), outline=(110, 80, 40), width=3)
        d.line([x + 10, y + 56, x + 110, y + 56], fill=(150, 110, 60), width=4)
    d.line([640, 400, 700, 400], fill=(200, 200, 40), width=10)  # chain and padlock
    d.rectangle([690, 390, 720, 430], fill=(180, 170, 60))
    return img


def ebike_charging():
    img, d, rng = base(2, (210, 205, 195), (150, 150, 150))
    d.rectangle([80, 120, 300, 700], fill=(230, 230, 225), outline=(120, 120, 120), width=4)  # stairwell door
    for cx in (520, 860):  # wheels
        d.ellipse([cx - 120, 560, cx + 120, 800], outline=(30, 30, 30), width=22)
    d.line([520, 680, 690, 520, 860, 680], fill=(200, 30, 40), width=26)  # frame
    d.rectangle([640, 470, 760, 520], fill=(40, 40, 40))  # seat
    d.rectangle([1060, 400, 1110, 470], fill=(250, 250, 250), outline=(90, 90, 90), width=3)  # socket
    d.line([1085, 470, 1000, 650, 780, 600], fill=(20, 20, 20), width=8)  # charging cable
    d.rectangle([930, 620, 1010, 680], fill=(30, 30, 30))  # charger brick
    return img


def gas_alarm_unpowered():
    img, d, rng = base(3, (232, 228, 214), (170, 160, 150))
    d.rectangle([150, 450, 700, 720], fill=(180, 180, 185), outline=(90, 90, 95), width=5)  # stove
    for cx in (300, 550):
        d.ellipse([cx - 80, 480, cx + 80, 560], outline=(40, 40, 40), width=10)
    d.line([700, 600, 900, 640, 980, 860], fill=(230, 120, 30), width=14)  # gas hose
    d.rectangle([880, 180, 1040, 300], fill=(245, 245, 240), outline=(120, 120, 120), width=4)  # alarm
    d.ellipse([950, 220, 975, 245], fill=(60, 60, 60))  # dark LED: no power
    d.line([1040, 240, 1120, 250], fill=(20, 20, 20), width=5)  # unplugged lead
    return img.filter(ImageFilter.GaussianBlur(0.6))


def tangled_wiring():
    img, d, rng = base(4, (200, 196, 188), (130, 125, 118))
    d.rectangle([520, 300, 760, 520], fill=(235, 235, 230), outline=(80, 80, 80), width=4)  # power strip wall
    for _ in range(14):  # improvised wiring
        pts = [(rng.randint(300, 1000), rng.randint(120, 760)) for _ in range(5)]
        d.line(pts, fill=rng.choice([(20, 20, 20), (180, 30, 30), (30, 60, 160), (220, 200, 40)]), width=6)
    for i in range(3):  # daisy-chained strips
        d.rectangle([560 + i * 70, 560 + i * 40, 640 + i * 70, 590 + i * 40], fill=(250, 250, 245), outline=(60, 60, 60))
    return img


def exif(seed, lat, lon):
    e = Image.Exif()
    e[0x0112] = 1  # orientation
    e[0x010F], e[0x0110] = "GridPatrol demo", "drawn sample"
    ifd = e.get_ifd(0x8769)
    ifd[0x9003] = f"2026:11:28 09:{10 + seed:02d}:00"  # DateTimeOriginal
    ifd[0x9011] = "+08:00"  # OffsetTimeOriginal
    gps = e.get_ifd(0x8825)

    def dms(v):
        from fractions import Fraction

        d = int(v)
        m = int((v - d) * 60)
        s = Fraction(round(((v - d) * 60 - m) * 60 * 100), 100)
        return (Fraction(d), Fraction(m), s)

    gps[1], gps[2], gps[3], gps[4] = "N", dms(lat), "E", dms(lon)
    return e


def main():
    OUT.mkdir(exist_ok=True)
    # WGS-84, about where CY-JS-001 and CY-JS-002 are (their map points are GCJ-02).
    scenes = [
        ("blocked-exit", blocked_exit, 39.88283, 116.45621),
        ("ebike-charging", ebike_charging, 39.88283, 116.45621),
        ("gas-alarm-unpowered", gas_alarm_unpowered, 39.88283, 116.45621),
        ("tangled-wiring", tangled_wiring, 39.88327, 116.45688),
    ]
    for seed, (name, draw, lat, lon) in enumerate(scenes, 1):
        draw().save(OUT / f"{name}.jpg", quality=85, exif=exif(seed, lat, lon))
        print(OUT / f"{name}.jpg")


if __name__ == "__main__":
    main()
