"""Finding key issues, States and groups in what people type, forgiving typos and aliases."""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.wordforms import script, stem, stem_variants
from storage.directory import DelegationName, IssueName, Names
from storage.models import DelegationKind

# Words that carry no name, in the six languages: dropped from names and questions alike
# before matching ("Grupo de los Cuatro" is found as "grupo cuatro").
STOPWORDS = frozenset(
    "a an and the of on in at to about for with by from or what whats does do did is are was "
    "were who whom which how say says said think thinks tell me show give please position "
    "positions stance view views "
    "le la les l du de des d un une et en au aux sur pour par que qui quoi est ce "
    "el los las del y un una sobre para por es lo "
    "в во на по о об и с со к у за от до для что как это "
    "في من على عن الى ما هو هي و".split()
)

FUZZY_CUTOFF = 85
SUGGEST_MIN_LETTERS = 4  # shorter words are too many to resemble names by chance
SUGGEST_WORDS = 12  # words of a long message looked at for suggestions: the cost stays bounded
FUZZY_FROM = 6  # characters a phrase, and a name, needs to be matched despite a typo
# (stems are shorter than words: at 5, Spanish "cambió" (cambi) was Cambodia (camboi))
MAX_TOKENS = 48
MAX_NGRAM = 6
MENTIONS_KEPT = 4096  # texts whose mentions an index remembers (people repeat questions)
# Scripts written without spaces between words (Chinese, Japanese): names are found inside runs.
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
UNSPACED = re.compile(f"[{_CJK}]")
SCRIPT_CHANGE = re.compile(rf"(?<=[^\W{_CJK}])(?=[{_CJK}])|(?<=[{_CJK}])(?=[^\W{_CJK}])")

Named = IssueName | DelegationName
ELIDED = re.compile(r"\b(\w|qu)['’](?=\w)")  # French and Italian: l'Inde, d'Italia, qu'il


def normalize(text: str) -> str:
    """Lower case, no accents, no dots or hyphens inside names ("G-4" == "g4", "L.69" == "l69"),
    an elided article apart ("l'Inde" == "l inde")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = ELIDED.sub(r"\1 ", text)
    text = re.sub(r"(?<=\w)[.\-'’](?=\w)", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def tokens(text: str) -> list[str]:
    return [t for t in normalize(text).split() if t not in STOPWORDS][:MAX_TOKENS]


def stems(text: str, language: str) -> list[str]:
    """The words of `text` that may name something, each as its stem in `language`."""
    return [stem(word, language) for word in tokens(text)]


@dataclass(frozen=True)
class Mentions:
    issues: tuple[IssueName, ...]
    delegations: tuple[tuple[DelegationName, ...], ...]


class NameIndex:
    """Every alias of every key issue and delegation, ready for exact and fuzzy look-up."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.issues = {issue.id: issue for issue in names.issues}
        self.delegations = {d.id: d for d in names.delegations}
        self._by_alias: dict[str, list[Named]] = {}
        for issue in names.issues:
            self._add(issue, (issue.key, issue.name, *issue.aliases))
        for delegation in names.delegations:
            self._add(delegation, (delegation.key, delegation.name, *delegation.aliases))
        # A name is looked for among those in the same script; typos are forgiven in names
        # of 5 letters or more ("inde" would otherwise be found in "index").
        self._by_script: dict[str, list[str]] = {}
        for alias in self._by_alias:
            self._by_script.setdefault(script(alias), []).append(alias)
        self._fuzzy = {
            kind: [alias for alias in aliases if len(alias) >= FUZZY_FROM]
            for kind, aliases in self._by_script.items()
        }
        # Key issues are also found inside Chinese text written without spaces; States are
        # not ("中国" stands in "发展中国家", developing countries).
        unspaced = sorted(
            {
                key
                for named in (*names.issues, *self._groups(names))
                for alias in (named.name, *named.aliases)
                if UNSPACED.search(key := " ".join(tokens(alias)))
            },
            key=len,
            reverse=True,
        )
        self._unspaced = re.compile("|".join(map(re.escape, unspaced))) if unspaced else None
        # States, in Chinese, only where the sentence sets them apart: at its start or after
        # "and/with/compare", and before a particle ("日本对…", "意大利的立场", "和印度在…").
        states = sorted(
            {
                key
                for state in names.delegations
                if state.kind != DelegationKind.GROUP
                for alias in state.aliases
                if UNSPACED.search(key := " ".join(tokens(alias))) and " " not in key
            },
            key=len,
            reverse=True,
        )
        self._unspaced_states = (
            re.compile(
                "(?:^|(?<=[和与、较]))(?:"
                + "|".join(map(re.escape, states))
                + ")(?=[对的在是属和与怎关有提什何，,]|$)"
            )
            if states
            else None
        )
        self._mentions: OrderedDict[str, Mentions] = OrderedDict()

    @staticmethod
    def _groups(names: Names) -> list[DelegationName]:
        return [d for d in names.delegations if d.kind == DelegationKind.GROUP]

    def _add(self, target: Named, aliases: tuple[str, ...]) -> None:
        for alias in aliases:
            words = tokens(alias)
            for variant in stem_variants(words) if words else ():
                bucket = self._by_alias.setdefault(" ".join(variant), [])
                if target not in bucket:
                    bucket.append(target)

    def _lookup(self, phrase: str) -> tuple[list[Named], float]:
        exact = self._by_alias.get(phrase)
        if exact:
            return exact, 100.0
        if len(phrase) < FUZZY_FROM:
            return [], 0.0
        found = process.extractOne(
            phrase,
            self._fuzzy.get(script(phrase), ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
        )
        if found is None:
            return [], 0.0
        return self._by_alias[found[0]], found[1]

    def find(self, text: str, language: str = "en") -> list[list[Named]]:
        """The names mentioned in `text`, in order; each entry lists the candidates (ambiguity).
        Words are compared by their stems, Latin ones with the stemmer of `language`."""
        if UNSPACED.search(text):  # "Brazil对否决权的立场" -> "Brazil 对 否决权 的立场"
            text = SCRIPT_CHANGE.sub(" ", normalize(text))
            if self._unspaced is not None:
                text = self._unspaced.sub(r" \g<0> ", text)
            if self._unspaced_states is not None:
                text = " ".join(
                    self._unspaced_states.sub(r" \g<0> ", part) for part in text.split()
                )
        words = stems(text, language)
        candidates: list[tuple[float, int, int, int, list[Named]]] = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_NGRAM) + 1):
                targets, score = self._lookup(" ".join(words[start:end]))
                if targets:
                    candidates.append((score, end - start, start, end, targets))
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
        taken: set[int] = set()
        chosen = []
        for _score, _length, start, end, targets in candidates:
            span = set(range(start, end))
            if span & taken:
                continue
            taken |= span
            chosen.append((start, targets))
        return [targets for _start, targets in sorted(chosen, key=lambda c: c[0])]

    def mentions(self, text: str, language: str = "en") -> Mentions:
        """The key issues and the delegations (with any ambiguity) named in `text`;
        remembered, as the index never changes (a new programme makes a new index)."""
        key = f"{language}:{text}"
        known = self._mentions.get(key)
        if known is not None:
            self._mentions.move_to_end(key)
            return known
        found = self.find(text, language)
        issues = tuple(targets[0] for targets in found if isinstance(targets[0], IssueName))
        delegations = tuple(
            tuple(t for t in targets if isinstance(t, DelegationName))
            for targets in found
            if isinstance(targets[0], DelegationName)
        )
        self._mentions[key] = mentions = Mentions(issues, delegations)
        if len(self._mentions) > MENTIONS_KEPT:
            self._mentions.popitem(last=False)
        return mentions

    def similar(self, text: str, language: str = "en", limit: int = 3) -> list[tuple[Named, float]]:
        """Names that look like words of `text`, with how much (0-100, fuzz.ratio of the
        closest phrase of up to 3 words), best first: for "did you mean" suggestions."""
        words = [w for w in stems(text, language) if len(w) >= SUGGEST_MIN_LETTERS][:SUGGEST_WORDS]
        best: dict[int, tuple[Named, float]] = {}
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + 3) + 1):
                phrase = " ".join(words[start:end])
                for alias, score, _ in process.extract(
                    phrase,
                    self._fuzzy.get(script(phrase), ()),
                    scorer=fuzz.ratio,
                    limit=limit,
                    score_cutoff=50,
                ):
                    for target in self._by_alias[alias]:
                        key = id(target)
                        if key not in best or best[key][1] < score:
                            best[key] = (target, score)
        return sorted(best.values(), key=lambda found: -found[1])[:limit]

    def issues_of(self, meeting_id: int) -> list[IssueName]:
        """A meeting's key issues, in their usual order."""
        return [self.issues[i] for i in self.names.meeting_issues.get(meeting_id, ())]

    def members_of(self, group: DelegationName) -> list[DelegationName]:
        return sorted(
            (self.delegations[i] for i in self.names.members.get(group.id, ())),
            key=lambda d: d.name,
        )

    def groups_of(self, state: DelegationName) -> list[DelegationName]:
        return [
            self.delegations[g] for g, members in self.names.members.items() if state.id in members
        ]
