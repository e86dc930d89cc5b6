"""How far apart the four status colours stay for people who see colour differently.

Reads the status fills and inks from static/css/tables.css (light theme in `:root`, dark
theme in `:root[data-theme="dark"]`), simulates grayscale, deuteranopia and protanopia
(Machado, Oliveira and Fernandes 2009, severity 1, applied in linear sRGB), and prints
for each theme and view: every pair's CIEDE2000 difference and luminance contrast ratio,
then the WCAG contrast of each status's text on its fill and of the page's text on the
plan. Run: `python bench/status_colours.py`.
"""

import math
import re
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ("available", "occupied", "reserved", "maintenance")
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}
DISTINCT_DE = 10.0
PAGE_TEXT = [
    ("ink", "bg"), ("ink", "surface"), ("muted", "bg"), ("muted", "surface"), ("link", "surface"),
    ("link", "surface-3"), ("on-brand", "brand"), ("on-brand-muted", "brand"), ("on-brand", "brand-2"),
    ("danger-ink", "danger-bg"), ("warning-ink", "warning-bg"), ("ok-ink", "ok-bg"), ("info-ink", "info-bg"),
]  # fmt: skip  # CIEDE2000: about 2 is "just noticeable"; 10 is plainly another colour


def css_block(css: str, selector: str) -> dict[str, str]:
    """The custom properties declared in the first block whose selector is exactly `selector`."""
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    if not match:
        raise SystemExit(f"no block {selector!r} in the CSS")
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6})", match.group(1)))


def to_linear(hex_colour: str) -> tuple[float, float, float]:
    """#rrggbb to linear-light sRGB."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of a linear sRGB colour."""
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two linear sRGB colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def simulate(rgb: tuple[float, float, float], view: str) -> tuple[float, float, float]:
    """The colour as seen in `view`: normal, grayscale, deuteranopia or protanopia."""
    if view == "normal":
        return rgb
    if view == "grayscale":
        y = luminance(rgb)
        return (y, y, y)
    matrix = MACHADO[view]
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix)


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """Linear sRGB to CIELAB (D65)."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """The CIEDE2000 colour difference (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = (
        -2
        * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def report(theme: str, colours: dict[str, str]) -> bool:
    """Print one theme's figures; True when every pair is distinct and every text passes AA."""
    fills = {status: to_linear(colours[f"{status}-fill"]) for status in STATUSES}
    inks = {status: to_linear(colours[f"{status}-ink"]) for status in STATUSES}
    ok = True
    print(f"\n== {theme} theme ==")
    print("fills: " + ", ".join(f"{status} {colours[f'{status}-fill']}" for status in STATUSES))
    for view in ("normal", "grayscale", "deuteranopia", "protanopia"):
        seen = {status: simulate(rgb, view) for status, rgb in fills.items()}
        print(f"  {view}:")
        worst = math.inf
        for a, b in combinations(STATUSES, 2):
            difference = ciede2000(lab(seen[a]), lab(seen[b]))
            worst = min(worst, difference)
            ratio = contrast(seen[a], seen[b])
            print(f"    {a:>11} / {b:<11}  dE2000 {difference:5.1f}   luminance ratio {ratio:4.2f}")
        ok &= worst >= DISTINCT_DE
        print(f"    closest pair dE2000 {worst:.1f} ({'distinct' if worst >= DISTINCT_DE else 'TOO CLOSE'})")
    print("  text on its fill (WCAG, AA needs 4.5):")
    for status in STATUSES:
        ratio = contrast(inks[status], fills[status])
        ok &= ratio >= 4.5
        print(f"    {status:>11}: {colours[f'{status}-ink']} on {colours[f'{status}-fill']}  {ratio:5.2f}")
    print("  page text (WCAG):")
    for name, ground in PAGE_TEXT:
        ratio = contrast(to_linear(colours[name]), to_linear(colours[ground]))
        ok &= ratio >= 4.5
        print(f"    {name:>15} on {ground:<10} {colours[name]} on {colours[ground]}  {ratio:5.2f}")
    return ok


def main() -> int:
    """Print both themes; exit 1 when a pair is too close or a text fails AA."""
    css = (ROOT / "static/css/app.css").read_text() + (ROOT / "static/css/tables.css").read_text()
    light = {**css_block(css, ":root"), **css_block(css[css.index("/* Status colours") :], ":root")}
    dark = {**light, **css_block(css, ':root[data-theme="dark"]')}
    status_dark = css[css.index("/* Status colours") :]
    dark.update(css_block(status_dark, ':root[data-theme="dark"]'))
    ok = report("light", light) & report("dark", dark)
    print("\nall pairs distinct and all text AA" if ok else "\nSOME FIGURES MISS THE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
