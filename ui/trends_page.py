"""Trends: how often entities and topics were covered, compared, ranked and crossed.

One view at a time (`?view=`): only what is on screen is computed.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kb.service import MIN_SUPPORT
from ui.charts import (cooccurrence_frame, cooccurrence_shares, heatmap, items_per_issue_chart, line_chart,
                       partial_note, smoothed, trend_frame, type_mix_chart, with_settings)
from ui.params import param_date, param_int, param_list, param_str, set_params
from ui.render import entity_url
from ui.state import get_kb, settings

INTERVALS = {"issue": "Per issue", "month": "Per month", "quarter": "Per quarter", "year": "Per year"}
VIEWS = {"compare": "Compare", "rising": "Rising & falling", "mix": "Type mix", "cross": "Co-occurrence",
         "issues": "Items per issue"}
SMOOTHABLE = ("month", "quarter")
service = get_kb(settings()).service


def csv_button(frame: pd.DataFrame, name: str, settings_used: dict[str, object]) -> None:
    data = with_settings(frame, settings_used).to_csv(index=False)
    st.download_button(f"Download {name}.csv", data, f"{name}.csv", "text/csv", key=f"csv-{name}")


st.title("Trends")
wanted_view = param_str("view", "compare")
view = st.segmented_control("View", list(VIEWS), format_func=VIEWS.get, required=True,
                            default=wanted_view if wanted_view in VIEWS else "compare", key=f"view-{wanted_view}")
choices = service.choices
wanted = []
for name in param_list("entities"):
    try:
        wanted.append(service.resolve(name))
    except LookupError:
        st.warning(f"Unknown entity or topic in the link: {name!r}")
archive_end = service.archive_end()
last = archive_end or date.today()
defaults = {"b_from": last - timedelta(days=364), "b_to": last}
defaults |= {"a_from": defaults["b_from"] - timedelta(days=365), "a_to": defaults["b_from"] - timedelta(days=1)}
a_from, a_to, b_from, b_to = (param_date(k) or defaults[k] for k in ("a_from", "a_to", "b_from", "b_to"))
# a link can carry any dates: each period inside the dates an issue can have, first date first
EARLIEST, LATEST = date(1900, 1, 1), max(last, date.today()) + timedelta(days=366)


def inside(start: date, end: date) -> tuple[date, date]:
    start, end = (min(max(d, EARLIEST), LATEST) for d in (start, end))
    return (start, end) if start <= end else (end, start)


(a_from, a_to), (b_from, b_to) = inside(a_from, a_to), inside(b_from, b_to)
keys: list[str] = [k for k in wanted if k in choices]
interval_param = param_str("interval", "month")
interval = interval_param if interval_param in INTERVALS else "month"
measure = "share" if param_str("measure") == "share" else "items"
split = param_str("split") == "newsletter"
smooth = param_str("smooth") == "3" and interval in SMOOTHABLE
support = max(1, min(param_int("min") or MIN_SUPPORT, 1_000_000))  # rising & falling: items in one period at least

if view in ("compare", "cross"):  # a row of its own: every chosen name stays readable
    keys = st.multiselect(
        "Entities and topics", list(choices), default=keys, format_func=choices.get, filter_mode="contains",
        placeholder="Choose one or more, e.g. LLMs, OpenAI, PyTorch",
    )
if view in ("compare", "mix"):
    c1, c2, c3 = st.columns([1, 1, 2])
    interval = c1.selectbox("Interval", list(INTERVALS), format_func=INTERVALS.get, index=list(INTERVALS).index(interval))
    measure = c2.radio("Measure", ["items", "share"], index=1 if measure == "share" else 0,
                       help="Items mentioning it, or its share of all items of the period")
    if view == "compare":
        split = c3.toggle("Split by newsletter", value=split, help="A series per newsletter, for comparing them")
    smooth = view == "compare" and interval in SMOOTHABLE and c3.toggle(
        "3-period average", value=smooth, help="Each point the mean of its period and the two before: month views are noisy")
settings_used: dict[str, object] = {"interval": interval, "measure": measure,
                                    "split": "by newsletter" if split else "all newsletters"}


def newsletter_caption(frame: pd.DataFrame) -> None:
    if frame["publication"].nunique() > 1:
        st.caption("Per issue, each issue sits at its date and each newsletter has its own series: "
                   "issue numbers of different newsletters are not one scale.")


if view == "compare":
    if not keys:
        st.caption("Choose entities or topics above to chart them.")
    else:
        points = service.trend(keys, interval, by_newsletter=split)
        # per issue, a line joins issues of one newsletter only: a series per newsletter
        per_letter = split or (interval == "issue" and len({p.publication for p in points}) > 1)
        frame = trend_frame(points, interval, service.name_of, archive_end=archive_end,
                            issue_names=service.issue_names(), split=per_letter)
        if frame.empty:
            st.info("Nothing to chart: no dated issues yet." if interval != "issue" else "The index is empty.")
        else:
            shown = smoothed(frame, measure) if smooth else frame
            st.plotly_chart(line_chart(shown, interval, measure, archive_end), key="compare")
            notes = [partial_note(frame, archive_end)]
            if frame["estimated"].any():
                notes.append("Some periods include issues whose dates are estimated from their numbers.")
            if smooth:
                notes.append("Smoothed: each point is the mean of its period and the two before.")
            for note in filter(None, notes):
                st.caption(note)
            if interval == "issue":
                newsletter_caption(frame)
            csv_button(shown.drop(columns=["x"]), "trend", {**settings_used, "smoothing": "3-period average" if smooth else "none"})

elif view == "rising":
    r1, r2, r3 = st.columns([2, 2, 1])
    limits = {"min_value": EARLIEST, "max_value": LATEST, "format": "YYYY-MM-DD"}
    period_a = r1.date_input("Period A", value=(a_from, a_to), **limits)
    period_b = r2.date_input("Period B", value=(b_from, b_to), **limits)
    support = int(r3.number_input("At least (items)", min_value=1, value=support, step=1,
                                  help="In one of the two periods: fewer is noise"))
    if len(period_a) == 2 and len(period_b) == 2:
        a_from, a_to = period_a
        b_from, b_to = period_b
        moves = service.rising_falling((a_from, a_to), (b_from, b_to), size=10, min_support=support)
        used = {"period_a": f"{a_from}..{a_to}", "period_b": f"{b_from}..{b_to}", "min_items": support}
        st.caption("Ranked by relative change: items in B over items in A, each plus one (0 → 4 is ×5, 40 → 120 is ×3).")
        c_rise, c_fall = st.columns(2)
        for column, label, rows in ((c_rise, "Rising", moves.rising), (c_fall, "Falling", moves.falling)):
            table = pd.DataFrame([{"name": c.name, "page": entity_url(c.entity_id), "A": c.count_a, "B": c.count_b,
                                   "change": c.change, "ratio": round(c.ratio, 2)} for c in rows])
            column.subheader(label)
            if table.empty:
                column.caption("No change between these periods with this many items.")
                continue
            column.dataframe(table, hide_index=True, column_config={
                "page": st.column_config.LinkColumn("entity page", display_text="open"),
                "ratio": st.column_config.NumberColumn("ratio", format="×%.2f"),
            })
            with column:
                csv_button(table.drop(columns=["page"]), label.lower(), used)
    else:
        st.caption("Pick a start and an end date for both periods.")

elif view == "mix":
    frame = trend_frame(service.type_trend(interval), interval, lambda t: t, archive_end=archive_end,
                        issue_names=service.issue_names())
    if frame.empty:
        st.info("No entities in the index yet.")
    else:
        st.plotly_chart(type_mix_chart(frame, interval, measure, archive_end), key="mix")
        note = partial_note(frame, archive_end)
        if note:
            st.caption(note)
        csv_button(frame.drop(columns=["x", "id"]), "entity-types", settings_used)

elif view == "cross":
    if len(keys) < 2:
        st.caption("Choose at least two entities or topics above to see how often they appear together.")
    else:
        counts = cooccurrence_frame(service.cooccurrence(keys), keys, service.name_of)
        shares = cooccurrence_shares(counts)
        st.plotly_chart(heatmap(shares, counts), key="cross")
        st.caption("Each row: of its items, how many also mention the column's name (and the share). "
                   "The diagonal is left out; each name's own items: "
                   + ", ".join(f"{n} {counts.at[n, n]}" for n in counts.index) + ".")
        table = counts.reset_index(names="name")
        csv_button(table, "co-occurrence", {"names": [service.name_of(k) for k in keys]})

elif view == "issues":
    frame = trend_frame(service.items_per_period("issue"), "issue", lambda k: "items", issue_names=service.issue_names())
    if frame.empty:
        st.info("The index is empty.")
    else:
        st.plotly_chart(items_per_issue_chart(frame), key="per-issue")
        newsletter_caption(frame)
        csv_button(frame[["publication", "label", "period", "x", "total", "estimated"]]
                   .rename(columns={"x": "date", "total": "items", "period": "issue_id", "label": "issue"}),
                   "items-per-issue", {"interval": "issue"})

periods = {"a_from": a_from, "a_to": a_to, "b_from": b_from, "b_to": b_to}
set_params({
    "view": view if view != "compare" else None,
    "entities": keys, "interval": interval if interval != "month" else None,
    "measure": measure if measure != "items" else None,
    "split": "newsletter" if split else None, "smooth": "3" if smooth else None,
    "min": support if view == "rising" and support != MIN_SUPPORT else None,
    **{k: v for k, v in periods.items() if v != defaults[k]},
})
