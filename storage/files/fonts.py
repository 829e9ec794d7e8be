"""The fonts the map's pictures are drawn with: Noto Sans for Latin and Cyrillic, Noto Sans
Arabic, Noto Sans CJK for Chinese, each from a package pip installs, found where it put them."""

from __future__ import annotations

import importlib
import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

# (family, package, how to find its files): the packages named in pyproject.toml.
_FONTS = (
    ("Noto Sans", "fontpkg_noto_sans", "files/*.ttf"),
    ("Noto Sans Arabic", "fontpkg_noto_sans_arabic", "files/*.ttf"),
    ("Noto Sans CJK TC", "cvttf_NotoSansCJK_Regular", "*.otf"),
)
FALLBACK = "DejaVu Sans"  # matplotlib's own: Latin, Cyrillic, no Arabic joining, no Chinese
NEEDS = {"ar": "Noto Sans Arabic", "zh": "Noto Sans CJK TC", "ru": "Noto Sans"}


@cache
def families() -> tuple[str, ...]:
    """The families registered with matplotlib, in the order to try them (a glyph missing
    from one is taken from the next)."""
    from matplotlib import font_manager  # imported on first drawing: it takes a while

    found = []
    for family, package, pattern in _FONTS:
        try:
            root = Path(importlib.import_module(package).__file__ or "").parent
        except ImportError:
            log.warning("font package %s is not installed: %s will not be drawn", package, family)
            continue
        files = sorted(root.glob(pattern))
        for file in files:
            font_manager.fontManager.addfont(str(file))
        if files:
            found.append(family)
    return (*found, FALLBACK)


def covers(language: str) -> bool:
    """True when the fonts found draw text in `language`."""
    needed = NEEDS.get(language)
    return needed is None or needed in families()
