"""The README is the user's manual: every setting and command must be in it."""
from pathlib import Path

from kb.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert missing == []


def test_the_two_setup_commands_are_documented():
    assert "make run" in README and "make test" in README


def test_every_cli_command_is_documented():
    for command in ("indexer ingest", "indexer parse", "kb search", "kb trend"):
        assert f"python -m {command}" in README, command


def test_new_cli_commands_are_documented():
    for command in ("indexer reindex", "indexer delete", "indexer extract", "indexer evaluate",
                    "indexer candidates", "indexer retag"):
        assert f"python -m {command}" in README, command
