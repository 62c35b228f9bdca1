"""Draw the two Teams app icons (no image library needed): `python teams/make_icons.py`.

color.png: 192x192, a white calendar page with a green tick on the accent blue.
outline.png: 32x32, the same calendar in white on transparent (Teams requires only those two).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

Pixel = tuple[int, int, int, int]

BLUE: Pixel = (11, 83, 148, 255)
WHITE: Pixel = (255, 255, 255, 255)
GREEN: Pixel = (46, 160, 67, 255)
CLEAR: Pixel = (0, 0, 0, 0)


def png(size: int, paint: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG; `paint(x, y)` gets coordinates in 0..1 (pixel centres)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(paint((x + 0.5) / size, (y + 0.5) / size)) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _inside(x: float, y: float, left: float, top: float, right: float, bottom: float) -> bool:
    return left <= x <= right and top <= y <= bottom


def _near_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float], width: float) -> bool:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= width * width


def _tick(x: float, y: float, width: float) -> bool:
    return _near_segment(x, y, (0.34, 0.58), (0.45, 0.69), width) or _near_segment(
        x, y, (0.45, 0.69), (0.67, 0.45), width
    )


def color(x: float, y: float) -> Pixel:
    if _tick(x, y, 0.045):
        return GREEN
    if _inside(x, y, 0.22, 0.24, 0.78, 0.80):
        return BLUE if _inside(x, y, 0.22, 0.34, 0.78, 0.37) else WHITE  # the page, with a line under its header
    if _inside(x, y, 0.32, 0.16, 0.37, 0.28) or _inside(x, y, 0.63, 0.16, 0.68, 0.28):
        return WHITE  # the rings
    return BLUE


def outline(x: float, y: float) -> Pixel:
    frame = _inside(x, y, 0.12, 0.18, 0.88, 0.88) and not _inside(x, y, 0.2, 0.36, 0.8, 0.8)
    rings = _inside(x, y, 0.28, 0.06, 0.38, 0.22) or _inside(x, y, 0.62, 0.06, 0.72, 0.22)
    return WHITE if frame or rings or _tick(x, y, 0.06) else CLEAR


def main() -> None:
    here = Path(__file__).parent
    (here / "color.png").write_bytes(png(192, color))
    (here / "outline.png").write_bytes(png(32, outline))


if __name__ == "__main__":
    main()
