"""Browsing helpers: issue order, previous/next, sections and an issue's entities."""
from __future__ import annotations

from datetime import date

from kb.backends.base import IssueSummary
from kb.browse import (
    counted,
    EntityCount,
    issue_entities,
    issue_name,
    item_hit,
    neighbours,
    newest_first,
    page_count,
    sections_of,
)
from kb.models import Issue, Item
from tests.test_backend_contract import archive, item


def summary(publication: str, number: int | None, day: date | None, issue_id: str = "") -> IssueSummary:
    return IssueSummary(
        id=issue_id or f"{publication}-{number}", publication=publication, number=number, title="",
        date=day, date_estimated=False, items=1, source="", fingerprint="",
    )


WEEKLY = [
    summary("weekly", 1, date(2021, 1, 1)),
    summary("weekly", 2, date(2021, 1, 8)),
    summary("weekly", 4, date(2021, 1, 22)),  # 3 is missing from the archive
    summary("daily", 3, date(2021, 1, 15)),
]


def test_neighbours_go_by_number_within_the_newsletter():
    around_2 = neighbours(WEEKLY, "weekly-2")
    assert (around_2.previous.id, around_2.next.id) == ("weekly-1", "weekly-4")
    assert neighbours(WEEKLY, "weekly-1").previous is None
    assert neighbours(WEEKLY, "weekly-4").next is None


def test_unnumbered_issues_go_by_date():
    letters = [
        summary("letter", None, date(2021, 3, 1), "letter-a"),
        summary("letter", None, date(2021, 2, 1), "letter-b"),
        summary("letter", None, None, "letter-undated"),
    ]
    assert neighbours(letters, "letter-a").previous.id == "letter-b"
    assert neighbours(letters, "letter-b").next.id == "letter-a"
    assert neighbours(letters, "letter-undated").previous is None
    assert neighbours(letters, "not-there").next is None


def test_newest_first_puts_undated_issues_last():
    undated = summary("weekly", 9, None)
    assert [s.id for s in newest_first([*WEEKLY, undated])] == ["weekly-4", "daily-3", "weekly-2", "weekly-1", "weekly-9"]


def test_issue_name():
    assert issue_name("Deep Learning Weekly", 214) == "Deep Learning Weekly #214"
    assert issue_name("Letter", None, "Spring edition") == "Spring edition"


def test_sections_keep_reading_order_in_runs():
    issue = Issue(publication="p", source="s", items=(
        Item("a"), Item("b", section="Tools"), Item("c", section="Tools"), Item("d"), Item("e", section="Papers"),
    ))
    runs = [(s.name, [i.title for i in s.items]) for s in sections_of(issue)]
    assert runs == [(None, ["a"]), ("Tools", ["b", "c"]), (None, ["d"]), ("Papers", ["e"])]


def test_issue_entities_count_items_not_mentions():
    counts = issue_entities(archive()[1])
    assert counts[:2] == [EntityCount("gpt-3", "MODEL", 1), EntityCount("openai", "ORG", 1)]
    assert EntityCount("new:quokkaflow", "PRODUCT", 1) in counts
    repeated = Issue(publication="p", source="s", items=(
        item("Tesla and Dojo", "Tesla again.", None, ("Tesla", "ORG", "tesla"), ("Dojo", "HARDWARE", "dojo")),
        item("Tesla news", "", None, ("Tesla", "ORG", "tesla")),
    )).with_ids()
    assert issue_entities(repeated) == [EntityCount("tesla", "ORG", 2), EntityCount("dojo", "HARDWARE", 1)]


def test_item_hit_escapes_text_and_keeps_entities_in_order():
    one = archive()[0]
    hit = item_hit(one, one.items[1])
    assert hit.title == "Tesla Dojo chip design" and hit.issue_number == 1 and hit.section == "Mobile & Edge"
    assert "&lt;fast &amp; big&gt;" in hit.snippet
    assert hit.entities == (("tesla", "ORG"), ("dojo", "HARDWARE"))


def test_page_count():
    assert [page_count(n, 10) for n in (0, 1, 10, 11, 25)] == [1, 1, 1, 2, 3]


def test_counted():
    assert [counted(1, "issue"), counted(0, "item"), counted(20, "item")] == ["1 issue", "0 items", "20 items"]


def test_issue_headings_replace_titles_that_only_name_the_issue():
    from kb.browse import issue_headings

    def listed(id_, publication, number, title, summary=""):
        return IssueSummary(id_, publication, number, title, None, False, 1, "", "", summary)

    issues = [
        listed("m54", "MLE Newsletter", 54, "MLE Newsletter Issue #54", "Towards system 2, AI Index 2019"),
        listed("m55", "MLE Newsletter", 55, "MLE Newsletter Issue #55"),
        listed("w1", "ML Articles Weekly", 1, "ML newsletter"),
        listed("w2", "ML Articles Weekly", 2, "ML newsletter"),
        listed("d1", "Deep Learning Weekly", 214, "Announcing Jurassic-1 and Dojo"),
        listed("o7", "Other Letter", 7, "Other Letter #7"),
    ]
    leads = {"m55": "Serving LLMs", "w1": "PyTorch 1.0", "w2": "TPU pods", "o7": "Tesla opens Dojo", "d1": "x"}
    assert issue_headings(issues, leads) == {
        "m54": "Towards system 2, AI Index 2019",  # the newsletter's name and a number: its summary
        "m55": "Serving LLMs",  # no summary: its first item
        "w1": "PyTorch 1.0", "w2": "TPU pods",  # one title for every issue of the newsletter
        "d1": "Announcing Jurassic-1 and Dojo",  # a real title stays
        "o7": "Tesla opens Dojo",
    }
