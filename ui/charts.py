"""Trend data → tables and Plotly figures (pure functions; pages stay short)."""
from __future__ import annotations

from typing import Callable, Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from kb.backends.base import TrendPoint

__all__ = ["trend_frame", "line_chart", "type_mix_chart", "items_per_issue_chart", "cooccurrence_frame", "heatmap"]


def trend_frame(points: Sequence[TrendPoint], interval: str, name_of: Callable[[str], str]) -> pd.DataFrame:
    """One row per (series, period): items, share of the period's items, and an x value."""
    return pd.DataFrame(
        {
            "id": [p.key for p in points],
            "name": [name_of(p.key) for p in points],
            "period": [p.period for p in points],
            "x": [
                p.issue_number if interval == "issue" and p.issue_number is not None else (p.period_start or p.period)
                for p in points
            ],
            "items": [p.items for p in points],
            "total": [p.total for p in points],
            "share": [round(p.items / p.total, 4) if p.total else 0.0 for p in points],
            "estimated": [p.date_estimated for p in points],
        },
        columns=["id", "name", "period", "x", "items", "total", "share", "estimated"],
    )


def _axes(fig: go.Figure, interval: str, measure: str) -> go.Figure:
    fig.update_layout(legend_title_text="", margin=dict(l=10, r=10, t=30, b=10))
    fig.update_yaxes(rangemode="tozero", tickformat=".0%" if measure == "share" else ",d")
    if interval == "issue":
        fig.update_xaxes(tickformat="d")
    return fig


def line_chart(frame: pd.DataFrame, interval: str, measure: str) -> go.Figure:
    fig = px.line(
        frame, x="x", y=measure, color="name",
        markers=interval == "issue" or frame["x"].nunique() < 40,
        hover_data={"period": True, "estimated": True, "x": False},
        labels={"x": "issue" if interval == "issue" else "period", "items": "items mentioning",
                "share": "share of items", "name": ""},
    )
    return _axes(fig, interval, measure)


def type_mix_chart(frame: pd.DataFrame, interval: str, measure: str) -> go.Figure:
    fig = px.area(
        frame, x="x", y=measure, color="name",
        hover_data={"period": True, "x": False},
        labels={"x": "issue" if interval == "issue" else "period", "items": "items mentioning the type",
                "share": "share of items", "name": ""},
    )
    return _axes(fig, interval, measure)


def items_per_issue_chart(frame: pd.DataFrame) -> go.Figure:
    totals = frame.drop_duplicates("period")
    fig = px.bar(totals, x="x", y="total", hover_data={"period": True, "estimated": True, "x": False},
                 labels={"x": "issue", "total": "items"})
    return _axes(fig, "issue", "items")


def cooccurrence_frame(matrix: dict[tuple[str, str], int], keys: Sequence[str], name_of: Callable[[str], str]) -> pd.DataFrame:
    names = [name_of(k) for k in keys]
    return pd.DataFrame([[matrix.get((a, b), 0) for b in keys] for a in keys], index=names, columns=names)


def heatmap(frame: pd.DataFrame) -> go.Figure:
    fig = px.imshow(frame, text_auto=True, color_continuous_scale="Blues", labels={"color": "items"})
    fig.update_layout(margin=dict(l=10, r=10, t=30, b=10))
    return fig
