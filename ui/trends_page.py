"""Trends: how often entities and topics were covered, per issue or per calendar period."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from ui.params import param_list, param_str, set_params
from ui.state import get_kb, settings

INTERVALS = {"issue": "Per issue", "month": "Per month", "quarter": "Per quarter", "year": "Per year"}
kb = get_kb(settings())
service = kb.service

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
interval = c2.selectbox(
    "Interval", list(INTERVALS), format_func=INTERVALS.get,
    index=list(INTERVALS).index(param_str("interval", "month")) if param_str("interval", "month") in INTERVALS else 1,
)
measure = c3.radio("Measure", ["items", "share"], index=1 if param_str("measure") == "share" else 0,
                   help="Items mentioning it, or its share of all items of the period")
set_params({"entities": keys, "interval": interval if interval != "month" else None,
            "measure": measure if measure != "items" else None})

if not keys:
    st.caption("Choose entities or topics to chart.")
    st.stop()

points = service.trend(keys, interval)
if not points:
    st.warning("Nothing to chart: the index has no dated issues yet." if interval != "issue" else "The index is empty.")
    st.stop()
frame = pd.DataFrame(
    {
        "name": [service.name_of(p.key) for p in points],
        "period": [p.period for p in points],
        "x": [p.issue_number if interval == "issue" and p.issue_number is not None else (p.period_start or p.period) for p in points],
        "items": [p.items for p in points],
        "share": [round(p.items / p.total, 4) if p.total else 0.0 for p in points],
        "estimated": [p.date_estimated for p in points],
    }
)
fig = px.line(
    frame, x="x", y=measure, color="name", markers=interval == "issue" or frame["x"].nunique() < 40,
    hover_data={"period": True, "estimated": True, "x": False},
    labels={"x": "issue" if interval == "issue" else "period", "items": "items mentioning", "share": "share of items", "name": ""},
)
fig.update_layout(legend_title_text="", margin=dict(l=10, r=10, t=30, b=10))
fig.update_yaxes(rangemode="tozero", tickformat=".0%" if measure == "share" else ",d")
if interval == "issue":
    fig.update_xaxes(tickformat="d")
st.plotly_chart(fig)
if frame["estimated"].any():
    st.caption("Some periods include issues whose dates are estimated from their numbers.")
with st.expander("Data"):
    st.dataframe(frame.drop(columns=["x"]), hide_index=True)
    st.download_button("Download CSV", frame.drop(columns=["x"]).to_csv(index=False), "trend.csv", "text/csv")
