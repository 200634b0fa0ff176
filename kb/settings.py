"""Settings: one declared table read by the CLI, the app, the docs and the tests.

`Settings.from_env()` builds a frozen object once at the edge (CLI, app); everything below
receives it explicitly, so tests never patch globals.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping

__all__ = ["Setting", "SETTINGS", "Settings", "PROJECT_ROOT", "redact_url", "SECRET_SETTINGS"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    env: str
    attr: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("KB_BACKEND", "backend", "sqlite", "Search backend: `sqlite` (embedded) or `elasticsearch`."),
    Setting(
        "KB_SQLITE_PATH",
        "sqlite_path",
        str(PROJECT_ROOT / ".kb" / "kb.sqlite3"),
        "SQLite database file of the embedded backend (created on first use).",
    ),
    Setting("KB_DATA_DIR", "data_dir", str(PROJECT_ROOT / "data"), "Issues the app indexes on first start."),
    Setting(
        "KB_UPLOAD_DIR",
        "upload_dir",
        str(PROJECT_ROOT / ".kb" / "uploads"),
        "Where issue files uploaded in the app are kept.",
    ),
    Setting("KB_CATALOG", "catalog", None, "Extra catalog YAML files or folders, `:`-separated."),
    Setting(
        "KB_ACCEPTED_FILE",
        "accepted_file",
        str(PROJECT_ROOT / "kb" / "catalog" / "accepted.yaml"),
        "Catalog file that candidates accepted in review are appended to.",
    ),
    Setting("ES_URL", "es_url", "http://127.0.0.1:9200", "Elasticsearch URL."),
    Setting("ES_API_KEY", "es_api_key", None, "Elasticsearch API key (base64 `id:key`)."),
    Setting("ES_USERNAME", "es_username", None, "Elasticsearch user (basic auth)."),
    Setting("ES_PASSWORD", "es_password", None, "Elasticsearch password (basic auth)."),
    Setting("ES_CA_CERTS", "es_ca_certs", None, "CA certificate file for Elasticsearch over TLS."),
    Setting("KB_ES_INDEX", "es_index", "newsletter-kb", "Prefix of the Elasticsearch aliases the data is read through."),
    Setting("KB_ES_SHARDS", "es_shards", "1", "Primary shards of each new Elasticsearch index."),
    Setting("KB_ES_REPLICAS", "es_replicas", "0", "Replicas per shard (set 1 or more on a cluster)."),
)


SECRET_SETTINGS = frozenset({"es_api_key", "es_password"})
_USERINFO = re.compile(r"(?<=://)([^/@:,\s]*):[^/@,\s]*@")


def redact_url(url: str) -> str:
    """The URL(s) with any password in them masked (`http://user:***@host`): what the sidebar,
    error messages and logs may show."""
    return _USERINFO.sub(r"\1:***@", url)


@dataclass(frozen=True, repr=False)
class Settings:
    backend: str = "sqlite"
    sqlite_path: str = str(PROJECT_ROOT / ".kb" / "kb.sqlite3")
    data_dir: str = str(PROJECT_ROOT / "data")
    upload_dir: str = str(PROJECT_ROOT / ".kb" / "uploads")
    catalog: str | None = None
    accepted_file: str = str(PROJECT_ROOT / "kb" / "catalog" / "accepted.yaml")
    es_url: str = "http://127.0.0.1:9200"
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_index: str = "newsletter-kb"
    es_shards: str = "1"
    es_replicas: str = "0"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Defaults < environment < explicit overrides (CLI options); None overrides are ignored."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for s in SETTINGS:
            if env.get(s.env):
                values[s.attr] = env[s.env]
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        return cls(**values)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        """Secrets masked: settings end up in logs, tracebacks and cache keys."""
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SECRET_SETTINGS and value:
                value = "***"
            elif f.name == "es_url":
                value = redact_url(value)
            shown.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def catalog_paths(self) -> list[Path]:
        return [Path(p) for p in (self.catalog or "").split(os.pathsep) if p]
