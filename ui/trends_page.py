"""Trends: how often entities and topics were covered, compared, ranked and crossed."""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

import pandas as pd
from ui.charts import cooccurrence_frame, heatmap, items_per_issue_chart, line_chart, trend_frame, type_mix_chart
from ui.params import param_date, param_list, param_str, set_params
from ui.state import get_kb, settings

INTERVALS = {"issue": "Per issue", "month": "Per month", "quarter": "Per quarter", "year": "Per year"}
kb = get_kb(settings())
service = kb.service


def csv_button(frame, name: str) -> None:
    st.download_button(f"Download {name}.csv", frame.to_csv(index=False), f"{name}.csv", "text/csv", key=f"csv-{name}")


st.title("Trends")
choices = sorted((e.id for e in service.catalog), key=lambda i: service.name_of(i).casefold())
wanted = []
for name in param_list("entities"):
    try:
        wanted.append(service.resolve(name))
    except LookupError:
        st.warning(f"Unknown entity or topic in the link: {name!r}")
c1, c2, c3 = st.columns([3, 1, 1])
keys = c1.multiselect(
    "Entities and topics", choices, default=[k for k in wanted if k in choices],
    format_func=lambda i: f"{service.name_of(i)} ({service.entry(i).type.lower()})",
    placeholder="Choose one or more, e.g. LLMs, OpenAI, PyTorch",
)
interval_param = param_str("interval", "month")
interval = c2.selectbox("Interval", list(INTERVALS), format_func=INTERVALS.get,
                        index=list(INTERVALS).index(interval_param) if interval_param in INTERVALS else 1)
measure = c3.radio("Measure", ["items", "share"], index=1 if param_str("measure") == "share" else 0,
                   help="Items mentioning it, or its share of all items of the period")

dates = sorted(s.date for s in service.issues() if s.date)
last = dates[-1] if dates else date.today()
defaults = {"b_from": last - timedelta(days=364), "b_to": last}
defaults |= {"a_from": defaults["b_from"] - timedelta(days=365), "a_to": defaults["b_from"] - timedelta(days=1)}
a_from, a_to, b_from, b_to = (param_date(k) or defaults[k] for k in ("a_from", "a_to", "b_from", "b_to"))
# a link can carry any dates: each period inside the dates an issue can have, first date first
EARLIEST, LATEST = date(1900, 1, 1), max(last, date.today()) + timedelta(days=366)


def inside(start: date, end: date) -> tuple[date, date]:
    start, end = (min(max(d, EARLIEST), LATEST) for d in (start, end))
    return (start, end) if start <= end else (end, start)


(a_from, a_to), (b_from, b_to) = inside(a_from, a_to), inside(b_from, b_to)

compare, ranked, mix, cross, per_issue = st.tabs(
    ["Compare", "Rising & falling", "Type mix", "Co-occurrence", "Items per issue"]
)
with compare:
    if not keys:
        st.caption("Choose entities or topics above to chart them.")
    else:
        frame = trend_frame(service.trend(keys, interval), interval, service.name_of)
        if frame.empty:
            st.info("Nothing to chart: no dated issues yet." if interval != "issue" else "The index is empty.")
        else:
            st.plotly_chart(line_chart(frame, interval, measure), key="compare")
            if frame["estimated"].any():
                st.caption("Some periods include issues whose dates are estimated from their numbers.")
            csv_button(frame.drop(columns=["x"]), "trend")

with ranked:
    r1, r2 = st.columns(2)
    limits = {"min_value": EARLIEST, "max_value": LATEST, "format": "YYYY-MM-DD"}
    period_a = r1.date_input("Period A", value=(a_from, a_to), **limits)
    period_b = r2.date_input("Period B", value=(b_from, b_to), **limits)
    if len(period_a) == 2 and len(period_b) == 2:
        a_from, a_to = period_a
        b_from, b_to = period_b
        moves = service.rising_falling((a_from, a_to), (b_from, b_to), size=10)
        for column, label, rows in ((r1, "Rising", moves.rising), (r2, "Falling", moves.falling)):
            table = [{"name": c.name, "A": c.count_a, "B": c.count_b, "change": c.change} for c in rows]
            column.subheader(label)
            if table:
                column.dataframe(table, hide_index=True)
                csv_button(pd.DataFrame(table), label.lower())
            else:
                column.caption("No change between these periods.")
    else:
        st.caption("Pick a start and an end date for both periods.")

with mix:
    type_frame = trend_frame(service.type_trend(interval), interval, lambda t: t)
    if type_frame.empty:
        st.info("No entities in the index yet.")
    else:
        st.plotly_chart(type_mix_chart(type_frame, interval, measure), key="mix")
        csv_button(type_frame.drop(columns=["x", "id"]), "entity-types")

with cross:
    if len(keys) < 2:
        st.caption("Choose at least two entities or topics above to see how often they appear together.")
    else:
        matrix = cooccurrence_frame(service.cooccurrence(keys), keys, service.name_of)
        st.plotly_chart(heatmap(matrix), key="cross")
        st.caption("Items mentioning both; the diagonal is each one's own item count.")
        csv_button(matrix.reset_index(names="name"), "co-occurrence")

with per_issue:
    issue_frame = trend_frame(service.items_per_period("issue"), "issue", lambda k: "items")
    if issue_frame.empty:
        st.info("The index is empty.")
    else:
        st.plotly_chart(items_per_issue_chart(issue_frame), key="per-issue")
        csv_button(issue_frame[["period", "x", "total", "estimated"]].rename(columns={"x": "issue", "total": "items"}), "items-per-issue")

periods = {"a_from": a_from, "a_to": a_to, "b_from": b_from, "b_to": b_to}
set_params({
    "entities": keys, "interval": interval if interval != "month" else None,
    "measure": measure if measure != "items" else None,
    **{k: v for k, v in periods.items() if v != defaults[k]},
})
