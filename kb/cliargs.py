"""Options every command shares: which backend, where. Settings come from env, then flags."""
from __future__ import annotations

import argparse

from kb.settings import SETTINGS, Settings

__all__ = ["add_backend_options", "settings_from_args"]

_FLAGS = {
    "backend": "--backend",
    "sqlite_path": "--sqlite-path",
    "catalog": "--catalog",
    "accepted_file": "--accepted-file",
    "es_url": "--es-url",
    "es_api_key": "--es-api-key",
    "es_username": "--es-username",
    "es_password": "--es-password",
    "es_ca_certs": "--es-ca-certs",
    "es_index": "--es-index",
}


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("backend (defaults from the environment)")
    for setting in SETTINGS:
        flag = _FLAGS.get(setting.attr)
        if flag:
            group.add_argument(flag, dest=setting.attr, default=None, help=f"{setting.help} [{setting.env}]")


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings.from_env(**{attr: getattr(args, attr, None) for attr in _FLAGS})
