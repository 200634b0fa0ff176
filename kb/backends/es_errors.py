"""What an Elasticsearch client error means for the person who set ES_URL and the credentials.

The client's own messages name TLS internals and status codes; a reader of the app or the CLI
needs the setting to change. Every error of the Elasticsearch backend passes through
`backend_error` once, so the app and the CLI show one line that says what to do.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from elasticsearch import ApiError, AuthenticationException, AuthorizationException, TransportError

from kb.backends.base import BackendError, BackendUnavailable

__all__ = ["backend_error", "settings_problem", "PRIVILEGES", "REFUSED_ADVICE"]

PRIVILEGES = "cluster `monitor` and indices `all` on `{prefix}*`"
REFUSED_ADVICE = "check KB_ES_INDEX and the credentials' privileges, or rebuild the index with `python -m indexer reindex`"


def settings_problem(url: str, ca_certs: str | None) -> str | None:
    """Why these connection settings cannot work, before any request is made (None if they can)."""
    schemes = {urlsplit(u.strip()).scheme for u in url.split(",") if u.strip()}
    if not schemes <= {"http", "https"}:
        return f"ES_URL must start with http:// or https://, not {sorted(schemes - {'http', 'https'})[0]}://"
    if ca_certs:
        if not Path(ca_certs).is_file():
            return f"ES_CA_CERTS={ca_certs} is not a file; give the path of the cluster's CA certificate (PEM)"
        if "http" in schemes:
            return "ES_CA_CERTS is set but ES_URL uses http://; a server with TLS is reached with https://"
    return None


def _transport_reason(exc: TransportError) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return ("the server's certificate is not signed by a CA this client trusts; set ES_CA_CERTS "
                "to the cluster's CA certificate (PEM)")
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return "the server does not speak TLS on this port; use http:// in ES_URL"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return ("the server closed the connection without answering; if it has TLS on, use https:// "
                "in ES_URL (and ES_CA_CERTS for its CA)")
    if "timed out" in text.lower() or "Timeout" in type(exc).__name__:
        return f"no answer in time ({text}); the server may be overloaded or the query too costly"
    return f"{text}; check that the server is up and ES_URL"


def backend_error(exc: TransportError | ApiError, location: str, prefix: str) -> BackendError:
    """`exc` as the one-line error the app and the CLI show, with what to change."""
    if isinstance(exc, AuthenticationException):
        if "missing authentication credentials" in str(exc):
            return BackendUnavailable(location, "the server needs credentials (401); set ES_USERNAME and "
                                      "ES_PASSWORD, or ES_API_KEY")
        return BackendUnavailable(location, "the server refused the credentials (401); check ES_USERNAME and "
                                  "ES_PASSWORD, or ES_API_KEY")
    if isinstance(exc, AuthorizationException):
        return BackendError(
            f"Elasticsearch at {location} does not allow this user that request (403); the project needs "
            f"{PRIVILEGES.format(prefix=prefix)} (or set KB_ES_INDEX to a prefix the user may use)"
        )
    if isinstance(exc, ApiError):
        return BackendError(f"Elasticsearch refused the request ({exc.meta.status} {exc.message}); {REFUSED_ADVICE}")
    return BackendUnavailable(location, _transport_reason(exc))
