"""The convergence map's picture for 200 States and groups x 20 elements: how long drawing
takes (PNG and SVG) and the memory it takes, against the bare library in the same run
(matplotlib drawing the same grid of colours with no labels, legend or groups).

Run: `make bench` or `.venv/bin/python -m bench.map_picture [--runs N] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

from storage.files.map_picture import COLOURS, MapPicture, draw
from storage.models import StanceValue

HOLDERS, ELEMENTS, GROUPS = 200, 20, 12
LEGEND = {value: value.value for value in StanceValue}


def big_map() -> MapPicture:
    """A map as large as the IGN gets: every Member State and a dozen groups."""
    chance = random.Random(70)
    holders = [f"Member State number {n}" for n in range(HOLDERS - GROUPS)]
    columns = [(f"Group {g}", [f"Group {g}", *holders[g::GROUPS]]) for g in range(GROUPS)]
    width = sum(len(names) for _group, names in columns)
    return MapPicture(
        title="Convergence map: categories of membership",
        subtitle="Stances as of 1 June 2016",
        rows=[
            f"categories-{n}: an element worded as a paper words it, at some length"
            for n in range(ELEMENTS)
        ],
        columns=columns,
        cells={
            (row, column): chance.choice(list(StanceValue))
            for row in range(ELEMENTS)
            for column in range(width)
        },
        legend=LEGEND,
        changed={(chance.randrange(ELEMENTS), chance.randrange(width)) for _ in range(40)},
        changed_label="changed since 1 March 2016",
    )


def bare_library(picture: MapPicture, image_format: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    width = sum(len(names) for _group, names in picture.columns)
    grid = [
        [to_rgb(COLOURS[picture.cells.get((r, c), StanceValue.NONE)]) for c in range(width)]
        for r in range(len(picture.rows))
    ]
    figure = Figure(figsize=(4.5 + 0.26 * width, 3.2 + 0.42 * len(picture.rows)), dpi=100)
    FigureCanvasAgg(figure)
    figure.add_subplot().imshow(grid, aspect="auto", interpolation="nearest")
    out = io.BytesIO()
    figure.savefig(out, format=image_format, dpi=100)
    return out.getvalue()


def timed(work: Callable[[], bytes], runs: int) -> tuple[float, int]:
    """Median seconds of `runs` calls, and the size of what one returns."""
    seconds, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(work())
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), size


def peak_memory(work: Callable[[], bytes]) -> float:
    """Megabytes Python allocated at most during one call (tracemalloc)."""
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    picture = big_map()
    draw(picture)  # fonts registered, matplotlib loaded: not part of a map's time
    bare_library(picture, "png")
    print(f"{HOLDERS} holders x {ELEMENTS} elements, median of {args.runs} runs a round")
    for image_format in ("png", "svg"):
        for round_ in range(1, args.rounds + 1):
            ours, size = timed(lambda f=image_format: draw(picture, f), args.runs)
            bare, bare_size = timed(lambda f=image_format: bare_library(picture, f), args.runs)
            print(
                f"{image_format} round {round_}: "
                f"Plenary {ours * 1000:.0f} ms ({size / 1e3:.0f} KB), "
                f"bare matplotlib {bare * 1000:.0f} ms ({bare_size / 1e3:.0f} KB), "
                f"ratio {ours / bare:.2f}"
            )
        print(
            f"{image_format} peak Python memory: Plenary "
            f"{peak_memory(lambda f=image_format: draw(picture, f)):.1f} MB, bare matplotlib "
            f"{peak_memory(lambda f=image_format: bare_library(picture, f)):.1f} MB"
        )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
