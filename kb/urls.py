"""One key per link, so "was this already covered?" matches however the link was written.

Newsletters copy links with tracking parameters, `www.`, `http://` or a trailing slash; the
key drops all of that (and the fragment) but keeps the path's case and the meaningful query.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["normalize_url", "url_keys", "is_web_link", "TRACKING_PARAMS", "MAX_URL_CHARS"]

MAX_URL_CHARS = 4_096  # longer links are no links: never stored (Elasticsearch refuses terms over 32 kB)

# Exact names; every `utm_*` parameter is dropped as well.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok",
     "igshid", "yclid", "ref_src", "spm", "cmpid", "oly_enc_id", "oly_anon_id", "vero_id", "s_cid"}
)
_SCHEMELESS = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_web_link(url: str) -> bool:
    """http(s), or no scheme at all (a relative link or a bare host): what may be stored and
    shown as a link; javascript:, data:, file: and the like never are."""
    return urlsplit(url.strip()).scheme.lower() in ("http", "https", "")


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def normalize_url(url: str) -> str:
    """The comparison key of a link; http and https give the same key (https).

    Text that is not a web link (mailto:, a bare word) comes back only trimmed.
    """
    url = url.strip()
    if _SCHEMELESS.match(url):
        url = f"https://{url}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    host = f"[{host}]" if ":" in host else host  # IPv6 literal
    try:
        port = parts.port
    except ValueError:  # "host:abc" - keep the text, it is not a port we can compare
        port = None
    if port is not None and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    )
    return urlunsplit(("https", host, path, query, ""))


def url_keys(url: str | None, links: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Distinct keys of an item's own link and every link in its text, sorted."""
    return sorted({normalize_url(u) for u in (url, *links) if u and u.strip()})
