"""Shareable page state: read defaults from the URL, write the current state back."""
from __future__ import annotations

from datetime import date
from typing import Mapping

import streamlit as st

__all__ = ["param_list", "param_str", "param_date", "param_int", "params_of", "url_differs", "set_params"]


def param_str(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


def param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get(name, "").split(",") if v]


def param_date(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def param_int(name: str) -> int | None:
    try:
        return int(st.query_params.get(name, ""))
    except ValueError:
        return None


def params_of(values: Mapping[str, object]) -> dict[str, str]:
    """The URL form of a page state: empty values left out, lists comma-separated."""
    clean: dict[str, str] = {}
    for key, value in values.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            clean[key] = ",".join(map(str, value))
        elif isinstance(value, date):
            clean[key] = value.isoformat()
        else:
            clean[key] = str(value)
    return clean


def url_differs(values: Mapping[str, object]) -> bool:
    """True when the state differs from the URL on any of these keys (e.g. a new query)."""
    clean = params_of(values)
    return any(clean.get(k) != st.query_params.get(k) for k in values)


def set_params(values: Mapping[str, object]) -> None:
    """Replace the URL's parameters with the non-empty values given."""
    clean = params_of(values)
    if dict(st.query_params) != clean:
        st.query_params.from_dict(clean)
