"""What an archive repeats is learned from the archive (issue 9): standing blocks go,
stories and short-lived listings stay, and an issue is never emptied."""
from __future__ import annotations

from datetime import date, timedelta

from indexer.parsers.template import learn_template
from kb.models import Issue, Item

START = date(2024, 1, 7)


def issue(n: int, *items: Item, weeks: int = 1) -> Issue:
    return Issue(publication="P", source=f"{n}.md", number=n, title=f"#{n}",
                 date=START + timedelta(weeks=n * weeks), items=tuple(items))


def story(n: int) -> Item:
    return Item(title=f"Story {n}", text=f"What happened in week {n}, told in a few words.", url=f"https://example.com/{n}")


SUPPORT = Item(title="Support us", text="Forward this email to a friend who would enjoy reading it every week.",
               url=None)
MEETUP = Item(title="Rust meetup", text="", url="https://example.com/meetup")


def test_a_block_repeated_for_months_is_template_and_stories_are_not():
    issues = [issue(n, story(n), SUPPORT, weeks=4) for n in range(3)]
    template = learn_template(issues)
    assert template.why(SUPPORT) == "repeated in 3 of 3 issues"
    assert template.why(story(1)) is None
    assert [i.title for i in template.strip(issues[0]).items] == ["Story 0"]


def test_a_listing_that_runs_a_few_weeks_stays_but_one_that_runs_for_months_goes():
    weekly = [issue(n, story(n), *([MEETUP] if n in (3, 4, 5) else [])) for n in range(10)]
    assert learn_template(weekly).why(MEETUP) is None  # three weeks in a row: an ongoing listing
    monthly = [issue(n, story(n), *([MEETUP] if n in (0, 4, 8) else []), weeks=4) for n in range(10)]
    assert learn_template(monthly).why(MEETUP) == "repeated in 3 of 10 issues"


def test_a_section_listed_unchanged_in_consecutive_issues_is_standing():
    talks = [Item(title=t, text="", url=f"https://conf.example.com/{t}", section="Talks") for t in ("a", "b")]
    issues = [issue(n, story(n), Item(title=f"Fresh {n}", text="", url=f"https://x.example/{n}", section="News"),
                    *(talks if n in (4, 5) else [])) for n in range(8)]
    template = learn_template(issues)
    assert all(template.why(t) for t in talks)
    assert template.why(issues[4].items[1]) is None


def test_the_same_issue_twice_is_a_duplicate_not_a_template():
    items = [Item(title=t, text="", url=f"https://x.example/{t}", section="Papers") for t in ("a", "b", "c")]
    issues = [issue(1, *items), issue(2, *items), issue(3, story(3))]
    assert not any(learn_template(issues).why(i) for i in items)


def test_nothing_is_learned_from_fewer_than_three_issues_and_no_issue_is_emptied():
    assert learn_template([issue(0, SUPPORT), issue(1, SUPPORT)]).why(SUPPORT) is None
    issues = [issue(n, SUPPORT, weeks=4) for n in range(3)]
    assert learn_template(issues).strip(issues[0]).items == (SUPPORT,)
