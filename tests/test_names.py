"""Names: aliases, typos and the words people put around them."""

from bot.names import NameIndex
from storage.directory import DelegationName, Names
from storage.models import DelegationKind


def index(*delegations: tuple[str, tuple[str, ...]]) -> NameIndex:
    names = tuple(
        DelegationName(n, f"d{n}", name, DelegationKind.MEMBER_STATE, aliases, None)
        for n, (name, aliases) in enumerate(delegations)
    )
    return NameIndex(Names(issues=(), delegations=names, members={}))


def test_short_aliases_that_look_like_words_are_found():
    names = index(("United States of America", ("US", "USA")), ("India", ()))
    assert [d[0].name for d in names.mentions("what does the US say?").delegations] == [
        "United States of America"
    ]


def test_a_name_matching_a_longer_name_is_not_a_mention():
    names = index(("Niger", ()), ("Nigeria", ()))
    assert [d[0].name for d in names.mentions("Nigeria on the veto").delegations] == ["Nigeria"]
