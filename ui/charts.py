"""Trend data → tables and Plotly figures (pure functions; pages stay short).

Every chart must read truthfully: per-issue points sit at their issue's date (issue numbers of
different newsletters are different scales), counts get whole-number ticks, and a last period
that runs past the archive's last issue is drawn dashed and labelled, so it never reads as a
collapse.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Mapping, Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from kb.backends.base import TrendPoint
from kb.periods import period_end

__all__ = [
    "trend_frame",
    "smoothed",
    "partial_note",
    "day_label",
    "line_chart",
    "type_mix_chart",
    "items_per_issue_chart",
    "cooccurrence_frame",
    "cooccurrence_shares",
    "heatmap",
    "with_settings",
    "SMOOTHING",
]

SMOOTHING = 3  # periods in a moving average
COLORS = px.colors.qualitative.Plotly
FRAME_COLUMNS = ["id", "name", "publication", "period", "label", "x", "items", "total", "share", "estimated", "partial"]


def trend_frame(
    points: Sequence[TrendPoint],
    interval: str,
    name_of: Callable[[str], str],
    *,
    archive_end: date | None = None,
    issue_names: Mapping[str, str] | None = None,
    split: bool = False,
) -> pd.DataFrame:
    """One row per (series, period): items, share of the period's items, where it sits on the
    time axis (`x`: the period's first day, or the issue's date), how it is called (`label`:
    "2021-08", or "MLE Newsletter #5") and whether the period runs past `archive_end`.
    With `split`, each newsletter of a key is a series of its own ("LLMs · MLE Newsletter")."""
    rows = []
    for p in points:
        end = period_end(p.period, interval) if interval != "issue" else None
        rows.append({
            "id": p.key,
            "name": f"{name_of(p.key)} · {p.publication}" if split and p.publication else name_of(p.key),
            "publication": p.publication or "",
            "period": p.period,
            "label": issue_names.get(p.period, p.period) if interval == "issue" and issue_names else p.period,
            "x": p.period_start,
            "items": p.items,
            "total": p.total,
            "share": round(p.items / p.total, 4) if p.total else 0.0,
            "estimated": p.date_estimated,
            "partial": bool(end and archive_end and end > archive_end),
        })
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def smoothed(frame: pd.DataFrame, measure: str, window: int = SMOOTHING) -> pd.DataFrame:
    """The measure as a moving average over `window` periods of each series (a partial last
    period is left out of its neighbours' averages and keeps its own value)."""
    out = frame.astype({measure: float})
    full = ~out["partial"]
    averaged = out[full].groupby("name", sort=False)[measure].transform(lambda v: v.rolling(window, min_periods=1).mean())
    out.loc[full, measure] = averaged.round(4)
    return out


def partial_note(frame: pd.DataFrame, archive_end: date | None) -> str | None:
    """ "The last period runs to 22 Mar 2026 (the last issue): drawn dashed." or None."""
    if archive_end is None or frame.empty or not frame["partial"].any():
        return None
    return f"The last period runs only to {day_label(archive_end)}, the last issue: drawn dashed, not comparable yet."


def day_label(day: date) -> str:
    """ "22 Mar 2026" """
    return f"{day.day} {day:%b %Y}"


def _count_ticks(fig: go.Figure, values: pd.Series, measure: str) -> go.Figure:
    if measure == "share":
        fig.update_yaxes(rangemode="tozero", tickformat=".0%")
    else:  # whole numbers only: a small maximum would otherwise get ticks at 0.5, 1.5 ...
        top = values.max() if len(values) else 0
        fig.update_yaxes(rangemode="tozero", tickformat=",d", dtick=1 if top <= 10 else None)
    fig.update_layout(legend_title_text="", margin=dict(l=10, r=10, t=30, b=10))
    return fig


def line_chart(frame: pd.DataFrame, interval: str, measure: str, archive_end: date | None = None) -> go.Figure:
    """A line per series on a time axis; the segment into a partial last period is dashed."""
    fig = go.Figure()
    shown = frame.dropna(subset=["x"])
    y_title = {"items": "items mentioning", "share": "share of items"}[measure]
    for n, (name, series) in enumerate(shown.groupby("name", sort=False)):
        series = _with_gaps(series, interval, measure)
        color = COLORS[n % len(COLORS)]
        text = [f"{label}{' (dates estimated)' if est else ''}{' · partial' if part else ''}"
                for label, est, part in zip(series["label"], series["estimated"], series["partial"])]
        full = ~series["partial"].to_numpy()
        markers = interval == "issue" or len(series) < 40
        fig.add_trace(go.Scatter(
            x=series["x"][full], y=series[measure][full], name=name, legendgroup=name, text=[t for t, f in zip(text, full) if f],
            mode="lines+markers" if markers else "lines", line=dict(color=color),
            hovertemplate="%{text}<br>%{y}<extra>%{fullData.name}</extra>",
        ))
        if not full.all():
            tail = series.iloc[max(0, int(full.sum()) - 1):]
            fig.add_trace(go.Scatter(
                x=tail["x"], y=tail[measure], name=f"{name} (partial)", legendgroup=name, showlegend=False,
                text=text[len(text) - len(tail):], mode="lines+markers", line=dict(color=color, dash="dash"),
                marker=dict(symbol="circle-open"), hovertemplate="%{text}<br>%{y}<extra>%{fullData.name}</extra>",
            ))
    partial = shown[shown["partial"]]
    if not partial.empty and archive_end is not None:
        fig.add_annotation(x=partial["x"].iloc[0], y=partial[measure].max(), text=f"to {day_label(archive_end)}",
                           showarrow=True, arrowhead=0, ax=0, ay=-30, font=dict(size=11, color="gray"))
    fig.update_xaxes(title_text="issue date" if interval == "issue" else "period")
    if interval == "year":
        fig.update_xaxes(tickformat="%Y", dtick="M12")
    fig.update_yaxes(title_text=y_title)
    return _count_ticks(fig, shown[measure], measure)


_FREQ = {"month": "MS", "quarter": "QS", "year": "YS"}


def _with_gaps(series: pd.DataFrame, interval: str, measure: str) -> pd.DataFrame:
    """The series with an empty row for every period between its first and last that has no
    issue at all, so the line breaks there: no issue is no data, not zero."""
    if interval not in _FREQ or series.empty:
        return series
    starts = pd.to_datetime(series["x"])
    every = pd.date_range(starts.min(), starts.max(), freq=_FREQ[interval])
    missing = every.difference(starts)
    if missing.empty:
        return series
    blank = pd.DataFrame({"x": [d.date() for d in missing], measure: float("nan"), "label": "", "estimated": False,
                          "partial": False})
    out = pd.concat([series.astype({measure: float}), blank], ignore_index=True)
    return out.assign(_at=pd.to_datetime(out["x"])).sort_values("_at").drop(columns="_at")


def type_mix_chart(frame: pd.DataFrame, interval: str, measure: str, archive_end: date | None = None) -> go.Figure:
    shown = frame.dropna(subset=["x"])
    fig = px.area(
        shown, x="x", y=measure, color="name",
        hover_data={"label": True, "x": False},
        labels={"x": "issue date" if interval == "issue" else "period", "items": "items mentioning the type",
                "share": "share of items", "name": ""},
    )
    partial = shown[shown["partial"]]
    if not partial.empty and archive_end is not None:
        fig.add_vrect(x0=partial["x"].min(), x1=archive_end, fillcolor="gray", opacity=0.15, line_width=0,
                      annotation_text=f"partial: to {day_label(archive_end)}", annotation_position="top left")
    return _count_ticks(fig, shown[measure], measure)


def items_per_issue_chart(frame: pd.DataFrame) -> go.Figure:
    """Each issue's size at its date, one colour per newsletter."""
    totals = frame.drop_duplicates(["period", "publication"]).dropna(subset=["x"])
    fig = px.bar(totals, x="x", y="total", color="publication",
                 hover_data={"label": True, "estimated": True, "x": False},
                 labels={"x": "issue date", "total": "items", "publication": ""})
    return _count_ticks(fig, totals["total"], "items")


def cooccurrence_frame(matrix: dict[tuple[str, str], int], keys: Sequence[str], name_of: Callable[[str], str]) -> pd.DataFrame:
    names = [name_of(k) for k in keys]
    return pd.DataFrame([[matrix.get((a, b), 0) for b in keys] for a in keys], index=names, columns=names)


def cooccurrence_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Of the row's items, the share that also mention the column's; the diagonal (a name
    with itself, always 100 %) is left empty so it does not set the colour scale."""
    own = pd.Series([counts.iat[i, i] for i in range(len(counts))], index=counts.index)
    shares = counts.div(own.where(own > 0), axis=0).round(3)
    for i in range(len(shares)):
        shares.iat[i, i] = float("nan")
    return shares


def heatmap(shares: pd.DataFrame, counts: pd.DataFrame) -> go.Figure:
    text = [[("" if i == j else f"{counts.iat[i, j]} ({shares.iat[i, j]:.0%})" if pd.notna(shares.iat[i, j]) else "")
             for j in range(len(counts.columns))] for i in range(len(counts))]
    fig = go.Figure(go.Heatmap(
        z=shares.to_numpy(), x=list(counts.columns), y=list(counts.index), text=text, texttemplate="%{text}",
        # scaled to the largest share shown: with the diagonal out, the pairs set the colours
        colorscale="Blues", zmin=0, zmax=max(float(shares.max().max()), 0.01) if shares.notna().any().any() else 1,
        colorbar=dict(title="share", tickformat=".0%"),
        hovertemplate="%{y} items that mention %{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin=dict(l=10, r=10, t=30, b=10))
    return fig


def with_settings(frame: pd.DataFrame, settings: dict[str, object]) -> pd.DataFrame:
    """The frame with one column per setting that produced it, so a downloaded CSV says how
    it was made (interval, measure, periods ...)."""
    out = frame.copy()
    for name, value in settings.items():
        out[name] = value if not isinstance(value, (list, tuple)) else "; ".join(map(str, value))
    return out
