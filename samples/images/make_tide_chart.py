#!/usr/bin/env python3
"""Draws samples/images/tide-chart.png: two days of a semi-diurnal tide as a line chart.

Standard library only (zlib + struct), so it runs anywhere and its output is the same bytes
every time. Run from the repository root: python3 samples/images/make_tide_chart.py
"""
import math
import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 14, 26
BACKGROUND = (252, 251, 247)
GRID = (222, 220, 212)
AXIS = (90, 90, 90)
WATER = (196, 222, 240)
LINE = (22, 92, 150)
HIGH_MARK = (200, 70, 50)

pixels = [[BACKGROUND] * WIDTH for _ in range(HEIGHT)]


def plot(x, y, colour):
    if 0 <= x < WIDTH and 0 <= y < HEIGHT:
        pixels[y][x] = colour


def tide_height(hours):
    """Metres above chart datum: a 12.42-hour tide with a small spring-neap wobble."""
    return 2.6 + 1.9 * math.cos(2 * math.pi * (hours - 2.0) / 12.42) + 0.25 * math.cos(
        2 * math.pi * hours / 24.84
    )


plot_w = WIDTH - LEFT - RIGHT
plot_h = HEIGHT - TOP - BOTTOM
max_height = 5.0


def to_y(metres):
    return TOP + round(plot_h * (1 - metres / max_height))


# Horizontal grid every metre, vertical grid every six hours.
for metres in range(0, 6):
    y = to_y(metres)
    for x in range(LEFT, WIDTH - RIGHT):
        plot(x, y, GRID)
for hour in range(0, 49, 6):
    x = LEFT + round(plot_w * hour / 48)
    for y in range(TOP, HEIGHT - BOTTOM):
        plot(x, y, GRID)

# The water: fill under the curve, then the curve itself, two pixels thick.
previous = None
for x in range(LEFT, WIDTH - RIGHT):
    hours = 48 * (x - LEFT) / plot_w
    y = to_y(tide_height(hours))
    for fill_y in range(y, HEIGHT - BOTTOM):
        plot(x, fill_y, WATER)
    if previous is not None:
        for line_y in range(min(previous, y), max(previous, y) + 1):
            plot(x, line_y, LINE)
            plot(x, line_y + 1, LINE)
    previous = y

# Mark each high water with a small red diamond.
for step in range(0, 48 * 10):
    hours = step / 10
    if tide_height(hours) >= tide_height(hours - 0.1) and tide_height(hours) > tide_height(hours + 0.1):
        cx = LEFT + round(plot_w * hours / 48)
        cy = to_y(tide_height(hours))
        for dy in range(-4, 5):
            for dx in range(-4 + abs(dy), 5 - abs(dy)):
                plot(cx + dx, cy + dy, HIGH_MARK)

# Axes, with ticks for the hours and metres.
for x in range(LEFT, WIDTH - RIGHT):
    plot(x, HEIGHT - BOTTOM, AXIS)
for y in range(TOP, HEIGHT - BOTTOM + 1):
    plot(LEFT, y, AXIS)
for hour in range(0, 49, 6):
    x = LEFT + round(plot_w * hour / 48)
    for y in range(HEIGHT - BOTTOM, HEIGHT - BOTTOM + 5):
        plot(x, y, AXIS)
for metres in range(0, 6):
    for x in range(LEFT - 5, LEFT):
        plot(x, to_y(metres), AXIS)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


raw = b"".join(b"\x00" + bytes(c for pixel in row for c in pixel) for row in pixels)
png = (
    b"\x89PNG\r\n\x1a\n"
    + chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(raw, 9))
    + chunk(b"IEND", b"")
)
Path(__file__).with_name("tide-chart.png").write_bytes(png)
