"""The scale benchmark's synthetic archive (issue 11): deterministic, shaped like the real one,
and written through the real backend."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import profile_from, sample_profile, synthetic_issues
from kb.backends.sqlite import SQLiteBackend

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def profile():
    return sample_profile(DATA)


def test_the_same_profile_size_and_seed_give_the_same_archive(profile):
    first = list(synthetic_issues(profile, 400, seed=3))
    assert first == list(synthetic_issues(profile, 400, seed=3))
    assert [i.items[0].text for i in first[:5]] != [i.items[0].text for i in list(synthetic_issues(profile, 400, seed=4))[:5]]


def test_the_archive_has_the_requested_items_newsletters_and_weekly_numbering(profile):
    issues = list(synthetic_issues(profile, 1000, newsletters=4))
    assert sum(len(i.items) for i in issues) == 1000
    letters = sorted({i.publication for i in issues})
    assert len(letters) == 4
    for letter in letters:
        own = [i for i in issues if i.publication == letter]
        assert [i.number for i in own] == list(range(1, len(own) + 1))  # each newsletter numbers from 1
        assert all((b.date - a.date).days == 7 for a, b in zip(own, own[1:]))  # weekly
    assert len({i.id for i in issues}) == len(issues) and all(i.fingerprint for i in issues)


def test_mentions_point_at_their_names_and_follow_the_real_names(profile):
    issues = list(synthetic_issues(profile, 600))
    mentions = [(item.text, m) for issue in issues for item in issue.items for m in item.mentions]
    assert mentions, "the sample's names are drawn into the texts"
    assert all(text[m.start:m.end] == m.text for text, m in mentions)
    real = {n[2] for n in profile.names}
    assert {m.entity_id for _, m in mentions} <= real
    words = set(profile.words)
    assert all(w.lower() in words for issue in issues[:20] for item in issue.items for w in item.title.split())


def test_a_synthetic_archive_is_written_and_searched_through_the_backend(profile, tmp_path):
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    issues = list(synthetic_issues(profile, 300, newsletters=3))
    backend.write_issues(issues)
    assert backend.count_items() == 300
    assert len(backend.list_issues()) == len(issues)


def test_a_profile_needs_items_with_words():
    with pytest.raises(ValueError, match="no items"):
        profile_from([])
