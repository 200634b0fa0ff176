"""The search box's suggestion script: the names it carries and that nothing in them escapes it."""
from __future__ import annotations

import json
import re

from kb.service import BoxSuggestion
from ui.search_box import SHOWN, suggestions_script


def carried(script: str) -> list:
    return json.loads(re.search(r"window.__kbBoxNames = \((.*?)\)\.map", script, re.S).group(1))


def test_the_script_carries_every_name_with_type_count_and_aliases_in_order():
    names = [BoxSuggestion("pytorch", "PRODUCT", "PyTorch", ("Torch",), 43),
             BoxSuggestion("llms", "TOPIC", "large language models", ("LLMs", "LLM"), 12)]
    script = suggestions_script(names)
    assert carried(script) == [["PyTorch", "PRODUCT", 43, ["Torch"]],
                               ["large language models", "TOPIC", 12, ["LLMs", "LLM"]]]
    assert 'input[aria-label="Search"]' in script and f"const SHOWN = {SHOWN};" in script


def test_a_name_cannot_end_the_script_or_its_selector():
    hostile = BoxSuggestion("new:x", "ORG", "</script><img src=x onerror=alert(1)>", ("</SCRIPT>",), 1)
    script = suggestions_script([hostile], label='Se"arch')
    assert script.lower().count("</script") == 1 and script.rstrip().endswith("</script>")
    assert carried(script)[0][0] == "</script><img src=x onerror=alert(1)>"  # the JSON reads back whole
    assert 'input[aria-label="Search"]' in script
