"""Period labels shared by both backends' trend answers."""
from __future__ import annotations

from datetime import date

__all__ = ["period_start", "period_end", "period_label"]


def period_label(day: date, interval: str) -> str:
    """The label a backend uses for the period containing `day` (weeks start on Monday)."""
    if interval == "year":
        return f"{day.year:04d}"
    if interval == "quarter":
        return f"{day.year:04d}-Q{(day.month + 2) // 3}"
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if interval == "week":
        return date.fromordinal(day.toordinal() - day.weekday()).isoformat()
    raise ValueError(f"no calendar label for interval {interval!r}")


def period_start(label: str, interval: str) -> date | None:
    """First day of a period label made by period_label (None for issue periods)."""
    if interval == "year":
        return date(int(label), 1, 1)
    if interval == "quarter":
        year, q = label.split("-Q")
        return date(int(year), 3 * int(q) - 2, 1)
    if interval == "month":
        year, month = label.split("-")
        return date(int(year), int(month), 1)
    if interval == "week":
        return date.fromisoformat(label)
    return None


def period_end(label: str, interval: str) -> date | None:
    """Last day of a period label made by period_label (None for issue periods): a period
    ending after the archive's last issue is partial, and charts must say so."""
    start = period_start(label, interval)
    if start is None:
        return None
    if interval == "year":
        return date(start.year, 12, 31)
    if interval == "week":
        return date.fromordinal(start.toordinal() + 6)
    months = 3 if interval == "quarter" else 1
    year, month = divmod(start.month - 1 + months, 12)
    return date.fromordinal(date(start.year + year, month + 1, 1).toordinal() - 1)
