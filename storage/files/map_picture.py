"""The convergence map as a picture (PNG or SVG, matplotlib's Agg backend): elements as rows,
States and groups as columns grouped by negotiating group, stance as colour, with a legend."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

from storage.files import fonts
from storage.models import StanceValue

COLOURS = {  # ColorBrewer RdYlGn: told apart by readers with red-green colour blindness too
    StanceValue.SUPPORTS: "#1a9850",
    StanceValue.CONDITIONAL: "#fdae61",
    StanceValue.OPPOSES: "#d73027",
    StanceValue.NONE: "#e0e0e0",
}
CHANGED = "#000000"  # the dot on a cell whose stance moved since the date asked about
_CELL = 0.26  # inches a column
_ROW = 0.42  # inches a row
_LABEL_WIDTH = 34  # characters of an element's wording a line
_NAME_LENGTH = 28  # characters of a holder's or group's name


@dataclass(frozen=True)
class MapPicture:
    """What the picture shows, already in the reader's words."""

    title: str
    subtitle: str
    rows: list[str]  # the elements, "categories-1: wording"
    columns: list[tuple[str, list[str]]]  # (negotiating group, its holders), left to right
    cells: dict[tuple[int, int], StanceValue]  # (row, column) -> stance; missing: none stated
    legend: dict[StanceValue, str]
    changed: set[tuple[int, int]] = field(default_factory=set)
    changed_label: str | None = None
    right_to_left: bool = False
    language: str = "en"  # how libraqm shapes the text (Arabic joining, right to left)


def draw(picture: MapPicture, image_format: str = "png") -> bytes:
    """The picture as PNG or SVG bytes."""
    # Imported here: matplotlib takes a while to load, and only this draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    holders = [_short(name) for _group, names in picture.columns for name in names]
    rows, columns = len(picture.rows), max(len(holders), 1)
    grid = [
        [
            to_rgb(COLOURS[picture.cells.get((row, column), StanceValue.NONE)])
            for column in range(columns)
        ]
        for row in range(max(rows, 1))
    ]
    width = max(7.5, 4.5 + _CELL * columns)
    height = 3.2 + _ROW * max(rows, 1) + 0.075 * max((len(h) for h in holders), default=0)
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    text = {"family": list(fonts.families()), "language": picture.language}
    axes = figure.add_subplot()
    axes.imshow(grid, aspect="auto", interpolation="nearest")
    axes.set_yticks(range(rows), [_wrapped(label) for label in picture.rows], fontsize=9, **text)
    axes.set_xticks(range(len(holders)), holders, rotation=90, fontsize=8, **text)
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    axes.set_xticks([x - 0.5 for x in range(1, columns)], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    axes.tick_params(which="minor", length=0)
    axes.grid(which="minor", color="white", linewidth=1.5)
    for spine in axes.spines.values():
        spine.set_visible(False)
    _groups(axes, picture.columns, text)
    if picture.changed:
        changed_rows, changed_columns = zip(*sorted(picture.changed), strict=True)
        axes.scatter(changed_columns, changed_rows, s=18, c=CHANGED, marker="o", zorder=3)
    if picture.right_to_left:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    figure.legend(
        handles=_legend(picture),
        loc="outside lower center",
        ncols=3 if width < 10 else 5,
        frameon=False,
        prop={"family": text["family"], "size": 9},
    )
    figure.suptitle(picture.title, fontsize=13, **text)
    axes.set_title(picture.subtitle, fontsize=9, color="#444444", **text)
    out = io.BytesIO()
    figure.savefig(out, format=image_format, dpi=100, metadata=_metadata(image_format))
    return out.getvalue()


def _groups(axes, columns: list[tuple[str, list[str]]], text: dict) -> None:  # noqa: ANN001
    """A line between negotiating groups, and each group's name under its columns."""
    start, centres = 0, []
    for _group, names in columns:
        if start:
            axes.axvline(start - 0.5, color="#333333", linewidth=2)
        centres.append(start + (len(names) - 1) / 2)
        start += len(names)
    below = axes.secondary_xaxis("bottom")
    below.set_xticks(centres, [_short(group) for group, _ in columns], fontsize=8, **text)
    below.tick_params(length=0)
    below.spines["bottom"].set_visible(False)


def _legend(picture: MapPicture) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list = [
        Patch(facecolor=colour, edgecolor="#999999", label=picture.legend[stance])
        for stance, colour in COLOURS.items()
    ]
    if picture.changed_label:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color="none",
                markerfacecolor=CHANGED,
                label=picture.changed_label,
            )
        )
    return handles[::-1] if picture.right_to_left else handles


def _short(name: str) -> str:
    return name if len(name) <= _NAME_LENGTH else name[: _NAME_LENGTH - 1].rstrip() + "…"


def _wrapped(label: str) -> str:
    lines = textwrap.wrap(label, _LABEL_WIDTH) or [""]
    return "\n".join([*lines[:3], "…"] if len(lines) > 3 else lines)


def _metadata(image_format: str) -> dict[str, str | None]:
    """No software version or date in the file: the same map gives the same bytes."""
    return {"Software": None} if image_format == "png" else {"Date": None, "Creator": None}
