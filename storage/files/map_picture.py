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
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    holders = [_short(name) for _group, names in picture.columns for name in names]
    rows, columns = max(len(picture.rows), 1), max(len(holders), 1)
    codes = list(COLOURS)
    grid = [
        [
            codes.index(picture.cells.get((row, column), StanceValue.NONE))
            for column in range(columns)
        ]
        for row in range(rows)
    ]
    # Margins in inches, laid out once: a layout engine would draw every label twice.
    names = 0.3 + 0.07 * max((len(h) for h in holders), default=0)
    top, bottom, labels, side = 0.95 + names, 1.15, 3.0, 0.3
    grid_width, grid_height = max(_CELL * columns, 4.0), _ROW * rows
    width, height = labels + grid_width + side, top + grid_height + bottom
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    left = side if picture.right_to_left else labels
    axes = figure.add_axes(
        (left / width, bottom / height, grid_width / width, grid_height / height)
    )
    text = {"family": list(fonts.families()), "language": picture.language}
    axes.pcolormesh(
        grid,
        cmap=ListedColormap(list(COLOURS.values())),
        vmin=-0.5,
        vmax=len(codes) - 0.5,
        edgecolors="white",
        linewidth=1.5,
    )
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    axes.set_xticks([])
    axes.set_yticks([row + 0.5 for row in range(rows)], [_wrapped(r) for r in picture.rows])
    axes.tick_params(length=0, labelsize=9)
    for label in axes.get_yticklabels():
        label.set(**text)
    for column, name in enumerate(holders):
        axes.text(
            column + 0.5, -0.15, name, rotation=90, ha="center", va="bottom", fontsize=8, **text
        )
    for spine in axes.spines.values():
        spine.set_visible(False)
    _groups(axes, picture.columns, rows, text)
    if picture.changed:
        changed_rows, changed_columns = zip(*sorted(picture.changed), strict=True)
        axes.scatter(
            [c + 0.5 for c in changed_columns], [r + 0.5 for r in changed_rows], s=18, c=CHANGED
        )
    if picture.right_to_left:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    figure.legend(
        handles=_legend(picture),
        loc="lower center",
        ncols=3 if width < 10 else 5,
        frameon=False,
        prop={"family": text["family"], "size": 9},
    )
    figure.text(0.5, 1 - 0.2 / height, picture.title, ha="center", va="top", fontsize=13, **text)
    figure.text(
        0.5,
        1 - 0.55 / height,
        picture.subtitle,
        ha="center",
        va="top",
        fontsize=9,
        color="#444444",
        **text,
    )
    out = io.BytesIO()
    # zlib's fastest levels: the map's flat colours compress almost as well, in a third the time
    extra = {"pil_kwargs": {"compress_level": 2}} if image_format == "png" else {}
    figure.savefig(out, format=image_format, dpi=100, metadata=_metadata(image_format), **extra)
    return out.getvalue()


def _groups(axes, columns: list[tuple[str, list[str]]], rows: int, text: dict) -> None:  # noqa: ANN001
    """A line between negotiating groups, and each group's name under its columns."""
    start = 0
    for group, names in columns:
        if start:
            axes.axvline(start, color="#333333", linewidth=2)
        axes.text(
            start + len(names) / 2,
            rows + 0.1,
            _short(group),
            ha="center",
            va="top",
            fontsize=8,
            **text,
        )
        start += len(names)


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
