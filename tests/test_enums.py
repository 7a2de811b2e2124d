"""The option enums (convwidget.enums) behave as the plain words users and older code pass and compare."""

from __future__ import annotations

import json
from enum import Enum

import pytest

from convwidget import enums

ENUMS = [getattr(enums, name) for name in enums.__all__]
MEMBERS = [member for enum in ENUMS for member in enum]


def test_every_public_name_is_a_str_enum() -> None:
    assert ENUMS
    for enum in ENUMS:
        assert issubclass(enum, str) and issubclass(enum, Enum), enum


@pytest.mark.parametrize("member", MEMBERS, ids=[f"{type(m).__name__}.{m.name}" for m in MEMBERS])
def test_member_is_its_word(member: Enum) -> None:
    word = member.value
    assert isinstance(word, str) and word
    # compares and hashes as the word, both ways round
    assert member == word and word == member
    assert member != word + "x"
    assert {word: 1}[member] == 1 and {member: 1}[word] == 1
    # prints as the word, whichever way it is formatted
    assert str(member) == word
    assert f"{member}" == word
    assert format(member, "") == word and "%s" % member == word  # noqa: UP031
    assert repr(member) == repr(word)
    assert json.dumps(member) == json.dumps(word)
    # and the word gives the member back
    assert type(member)(word) is member


@pytest.mark.parametrize("enum", ENUMS, ids=[e.__name__ for e in ENUMS])
def test_values_are_unique_and_lower_case_words(enum: type[Enum]) -> None:
    values = [m.value for m in enum]
    assert len(values) == len(set(values)) == len(enum.__members__)  # no alias hides a second name
    assert all(v == v.lower() and " " not in v for v in values), values


def test_a_word_that_is_no_member_is_refused() -> None:
    with pytest.raises(ValueError, match="tensorflow"):
        enums.Dialect("tensorflow")
    with pytest.raises(ValueError):
        enums.Layout("Channels_Last")


def test_the_words_users_pass() -> None:
    # the exact spellings of the public API and the frameworks (data_format, statuses, summary styles)
    assert {d.value for d in enums.Dialect} == {"keras", "torch"}
    assert {lay.value for lay in enums.Layout} == {"channels_last", "channels_first"}
    assert {s.value for s in enums.Status} == {"explained", "ambiguous", "mismatch", "no_params", "unknown"}
    assert {s.value for s in enums.SummaryStyle} == {"keras3", "keras2", "torch"}
    assert enums.Dialect.KERAS.other is enums.Dialect.TORCH
    assert enums.Dialect.TORCH.other is enums.Dialect.KERAS
