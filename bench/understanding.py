"""Understanding: accuracy on the corpus, per language and per capability, for the tuning and
the held-out parts, and the confidence "did you mean" needs.

Builds the corpus world (testkit/corpus_world.py) on a temporary SQLite database, asks every
question of testkit/corpus/*.tsv and scores each answer against what it must contain. Run:
`make bench` or `.venv/bin/python -m bench.understanding [--failures]` (`--failures` lists the
tuning part's wrong answers; the held-out part's are never shown, only counted).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import defaultdict
from pathlib import Path

from bot.core.i18n import LANGUAGES
from testkit.corpus_world import PARTS, Outcome, Question, World, build_world, evaluate, load


def table(outcomes: list[Outcome]) -> list[str]:
    """Accuracy per capability (rows) and language (columns), with totals."""
    cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for outcome in outcomes:
        question = outcome.question
        for row in (question.capability, "all"):
            for column in (question.language, "all"):
                cells[row, column].append(outcome.right)
    columns = [*LANGUAGES, "all"]
    rows = [*sorted({o.question.capability for o in outcomes}), "all"]
    lines = [f"  {'capability':<14}" + "".join(f"{c:>12}" for c in columns)]
    for row in rows:
        shown = []
        for column in columns:
            found = cells.get((row, column), [])
            shown.append(
                f"{100 * sum(found) / len(found):5.1f}% {sum(found):>2}/{len(found):<2}"
                if found
                else ""
            )
        lines.append(f"  {row:<14}" + "".join(f"{s:>12}" for s in shown))
    return lines


def typos(name: str) -> list[str]:
    """Two misspellings of a name: a letter left out, and two letters swapped, mid-word."""
    middle = len(name) // 2
    return [
        name[:middle] + name[middle + 1 :],
        name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :],
    ]


async def calibration(world: World, unknown: list[Question]) -> None:
    """How close a word must be to a name for "did you mean": names misspelled (a right
    suggestion wanted) against the tuning part's sentences that name nothing (none wanted)."""
    async with world.core.sessions() as session:
        index = (await world.core.snapshot(session)).names
    wanted = []
    for named in [*index.delegations.values(), *index.issues.values()]:
        for alias in (named.name, *named.aliases):
            if len(alias) < 6 or len(alias) > 20 or " " in alias:
                continue
            for typo in typos(alias):
                if not index.find(typo):  # not corrected at once: a suggestion's case
                    scores = [s for n, s in index.similar(typo) if n == named]
                    wanted.append(scores[0] if scores else 0.0)
    unwanted = [
        max((s for _n, s in index.similar(q.text, q.language)), default=0.0) for q in unknown
    ]
    counts = f"{len(wanted)} misspelled names, {len(unwanted)} sentences naming nothing"
    print(f'\n"did you mean": {counts}')
    print(f"  {'closeness from':<16}{'right suggestions':>20}{'suggestions for nothing':>26}")
    for cutoff in range(60, 95, 5):
        right = sum(score >= cutoff for score in wanted)
        wrong = sum(score >= cutoff for score in unwanted)
        print(f"  {cutoff:<16}{f'{right}/{len(wanted)}':>20}{f'{wrong}/{len(unwanted)}':>26}")


async def run(failures: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for part in PARTS:  # each part in a world of its own, as the README describes
            world = await build_world(f"sqlite:///{Path(folder) / f'{part}.db'}")
            questions = load(part)
            if part == "tuning":
                await calibration(world, [q for q in questions if q.capability == "unknown"])
            outcomes = await evaluate(world, questions)
            print(f"\n{part} ({len(outcomes)} questions)")
            print("\n".join(table(outcomes)))
            if failures and part == "tuning":
                for outcome in outcomes:
                    if not outcome.right:
                        q = outcome.question
                        print(f"\n  ✗ {q.language} {q.capability} line {q.line}: {q.text}")
                        print(f"    missing {outcome.missing}")
                        print("    " + outcome.reply.text[:300].replace("\n", "\n    "))
            await world.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the tuning part's misses")
    asyncio.run(run(parser.parse_args().failures))


if __name__ == "__main__":
    main()
