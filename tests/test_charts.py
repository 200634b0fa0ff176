"""The chart helpers' arithmetic: partial periods, moving averages, co-occurrence shares, CSV settings."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd

from kb.backends.base import TrendPoint
from kb.periods import period_end
from ui.charts import cooccurrence_shares, partial_note, smoothed, trend_frame, with_settings


def test_period_end_is_the_last_day_of_each_kind_of_period():
    assert period_end("2024-02", "month") == date(2024, 2, 29)
    assert period_end("2023-12", "month") == date(2023, 12, 31)
    assert period_end("2024-Q1", "quarter") == date(2024, 3, 31)
    assert period_end("2024-Q4", "quarter") == date(2024, 12, 31)
    assert period_end("2024", "year") == date(2024, 12, 31)
    assert period_end("2024-03-04", "week") == date(2024, 3, 10)
    assert period_end("mle-newsletter-5", "issue") is None


def _points(values: list[int], months: list[str]) -> list[TrendPoint]:
    return [TrendPoint("llms", m, date.fromisoformat(f"{m}-01"), v, 10) for v, m in zip(values, months)]


def test_only_a_period_running_past_the_last_issue_is_partial():
    months = ["2026-01", "2026-02", "2026-03"]
    frame = trend_frame(_points([70, 73, 15], months), "month", str.upper, archive_end=date(2026, 3, 22))
    assert frame["partial"].tolist() == [False, False, True]
    assert partial_note(frame, date(2026, 3, 22)) == (
        "The last period runs only to 22 Mar 2026, the last issue: drawn dashed, not comparable yet.")
    whole = trend_frame(_points([70, 73, 15], months), "month", str.upper, archive_end=date(2026, 3, 31))
    assert not whole["partial"].any() and partial_note(whole, date(2026, 3, 31)) is None


def test_a_moving_average_leaves_the_partial_period_alone():
    frame = trend_frame(_points([3, 6, 9, 1], ["2026-01", "2026-02", "2026-03", "2026-04"]), "month", str,
                        archive_end=date(2026, 4, 2))
    out = smoothed(frame, "items")
    assert out["items"].tolist() == [3.0, 4.5, 6.0, 1.0]
    assert frame["items"].tolist() == [3, 6, 9, 1], "the input is not changed"


def test_cooccurrence_shares_are_per_row_without_the_diagonal():
    counts = pd.DataFrame([[10, 4], [4, 5]], index=["A", "B"], columns=["A", "B"])
    shares = cooccurrence_shares(counts)
    assert math.isnan(shares.at["A", "A"]) and math.isnan(shares.at["B", "B"])
    assert (shares.at["A", "B"], shares.at["B", "A"]) == (0.4, 0.8)


def test_a_csv_carries_the_settings_that_made_it():
    frame = pd.DataFrame({"name": ["LLMs"], "items": [3]})
    out = with_settings(frame, {"interval": "month", "names": ["LLMs", "GPT-3"]})
    assert out.to_dict("records") == [{"name": "LLMs", "items": 3, "interval": "month", "names": "LLMs; GPT-3"}]


def test_years_without_any_issue_break_the_line_instead_of_joining_across_them():
    from ui.charts import line_chart

    points = [TrendPoint("q", "2021", date(2021, 1, 1), 1, 5), TrendPoint("q", "2024", date(2024, 1, 1), 2, 9)]
    fig = line_chart(trend_frame(points, "year", str), "year", "items")
    (trace,) = fig.data
    assert [str(x) for x in trace.x] == ["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]
    assert [None if math.isnan(y) else y for y in trace.y] == [1.0, None, None, 2.0]
    assert fig.layout.xaxis.tickformat == "%Y"
