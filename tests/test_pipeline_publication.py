"""Which newsletter an uploaded file belongs to: named by the file or its sidecar, or nobody."""
from __future__ import annotations

from indexer.pipeline import named_publications


def test_files_that_name_their_newsletter_and_files_that_do_not(tmp_path):
    (tmp_path / "named.txt").write_text(
        "Deep Learning Weekly Issue #7\nA subtitle\n\nTools\n\nA tool\nIt does things.\n", encoding="utf-8"
    )
    (tmp_path / "unnamed.md").write_text(
        "---\nissue: 3\n---\n## [A story](https://example.org/a)\nText.\n", encoding="utf-8"
    )
    named = named_publications([tmp_path])
    assert named[tmp_path / "named.txt"] == "Deep Learning Weekly"
    assert named[tmp_path / "unnamed.md"] is None


def test_a_sidecar_names_the_newsletter_of_its_folder(tmp_path):
    (tmp_path / "3.md").write_text("---\nissue: 3\n---\n## [A story](https://example.org/a)\nText.\n", encoding="utf-8")
    (tmp_path / "dates.yaml").write_text("publication: Sidecar Weekly\ndates:\n  3: 2024-01-01\n", encoding="utf-8")
    assert named_publications([tmp_path]) == {tmp_path / "3.md": "Sidecar Weekly"}
