"""`python -m indexer parse FILE --explain`: every block with what it was taken for and why.

The file's folder is read as its archive, so items dropped as template say how often they
came back; a layout file in the folder is applied and named.
"""
from __future__ import annotations

from pathlib import Path

from .base import Source
from .items import Detected, detect_items
from .template import Template, learn_template

__all__ = ["explain_lines"]


def explain_lines(source: Source, parser, archive_issues: list) -> list[str]:  # noqa: ANN001
    """Lines describing each issue of `source`: its blocks' verdicts, then its items."""
    template = learn_template(archive_issues) if archive_issues else Template()
    lines: list[str] = []
    if source.rules.origin:
        lines.append(f"layout file: {source.rules.origin}")
    issues = parser.parse(source)
    for n, (blocks, issue) in enumerate(zip(parser.blocks(source), issues), start=1):
        detected: Detected = detect_items(blocks, parser.rules(source))
        if len(issues) > 1:
            lines.append(f"== entry {n}: {issue.title}")
        lines.append(f"{'line':>5}  {'block':<5} {'taken for':<12} {'why':<52} text")
        for d in detected.decisions:
            lines.append(f"{d.line or '':>5}  {d.kind:<5} {d.verdict:<12} {d.reason[:52]:<52} {d.text[:70]}")
        kept = 0
        for item in issue.items:
            why = template.why(item)
            if why:
                lines.append(f"       template     {why:<52} {item.title[:70]}")
            else:
                kept += 1
        lines.append(f"-> {kept} items ({len(issue.items) - kept} dropped as template, "
                     f"learned from {template.issues} issues in {Path(source.path).parent})")
    return lines
