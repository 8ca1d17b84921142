"""Shrink screenshots for the documents: 256-colour palette PNG, optimized (the console's flat UI loses nothing).

    .venv/bin/python docs/tools/shrink_png.py docs/images/manual/*.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image


def shrink(path: Path) -> tuple[int, int]:
    before = path.stat().st_size
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, format="PNG", optimize=True)
    return before, path.stat().st_size


def main(paths: list[str]) -> int:
    total_before = total_after = 0
    for name in paths:
        before, after = shrink(Path(name))
        total_before += before
        total_after += after
        print(f"{name}: {before // 1024} KB -> {after // 1024} KB")
    print(f"total: {total_before // 1024} KB -> {total_after // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
