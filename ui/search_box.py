"""Suggestions in the search box as the reader types: the archive's entities and topics.

The box stays Streamlit's own text input (Enter searches the words typed, as before); this
script adds a list under it. Names are matched in the browser, from the whole list sent once
(about a thousand names), because a keystroke cannot wait for a page run. A name matches when
it, or one of its aliases, or one of its words, starts with what was typed ("doj" offers Dojo
and D1 Dojo, "gpu" never offers ChatGPT); the names typed whole come first, then names that
start so, then names with a word that does, a name before an alias, and the most covered first
among equals. Choosing one (click, or arrows and Enter) searches that name, which the search reads
as the entity however items spell it: the address changes to that search and the page follows
in place, as for a link (`ui/links.py`). Escape closes the list; without JavaScript the box is a
plain search box.
"""
from __future__ import annotations

import json
from typing import Sequence

from kb.service import BoxSuggestion

__all__ = ["SHOWN", "suggestions_script"]

SHOWN = 8  # suggestions listed at once

_SCRIPT = """<script>
(() => {
  const fold = (s) => s.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  window.__kbBoxNames = (%(names)s).map(([name, type, items, aliases]) => ({
    name, type, items, forms: [name, ...aliases].map(fold),
  }));
  if (window.__kbBoxInstalled) return;
  window.__kbBoxInstalled = true;
  const SHOWN = %(shown)d;
  const BOX = 'input[aria-label="%(label)s"]';
  let list = null, shown = [], active = -1, input = null;

  const rank = (form, q) => form === q ? 0 : form.startsWith(q) ? 1
    : form.split(/[\\s\\-_./]+/).some((w) => w.startsWith(q)) ? 2 : -1;
  const matches = (text) => {
    const q = fold(text.trim());
    if (q.length < 2) return [];
    const found = [];
    for (const entry of window.__kbBoxNames) {
      // by how the text matches; at the same rank, the name before an alias
      const ranks = entry.forms.map((f, i) => [rank(f, q), i > 0 ? 1 : 0])
        .filter(([r]) => r >= 0).map(([r, alias]) => r * 2 + alias);
      if (ranks.length) found.push([Math.min(...ranks), entry]);
    }
    found.sort((a, b) => a[0] - b[0] || b[1].items - a[1].items);
    return found.slice(0, SHOWN).map(([, entry]) => entry);
  };
  const close = () => { list?.remove(); list = null; shown = []; active = -1; };
  const open = () => {
    close();
    shown = matches(input.value);
    if (!shown.length) return;
    const box = input.getBoundingClientRect();
    list = document.createElement("div");
    list.setAttribute("role", "listbox");
    list.dataset.testid = "kbSuggestions";
    Object.assign(list.style, {
      position: "fixed", left: box.left + "px", top: box.bottom + 4 + "px", width: box.width + "px",
      zIndex: 1000100, background: "#fff", border: "1px solid rgba(49,51,63,.2)", borderRadius: ".5rem",
      boxShadow: "0 4px 16px rgba(0,0,0,.12)", padding: ".25rem 0", fontSize: ".95rem",
    });
    shown.forEach((entry, i) => {
      const option = document.createElement("div");
      option.setAttribute("role", "option");
      option.style.cssText = "padding:.35rem .75rem;cursor:pointer;display:flex;justify-content:space-between;gap:1rem";
      const name = document.createElement("span");
      name.textContent = (entry.type === "TOPIC" ? "# " : "") + entry.name;
      const about = document.createElement("span");
      about.style.color = "rgba(49,51,63,.6)";
      about.textContent = `${entry.type.toLowerCase()} · ${entry.items} item${entry.items === 1 ? "" : "s"}`;
      option.append(name, about);
      option.addEventListener("mouseenter", () => highlight(i));
      // mousedown, not click: the box must keep the focus, or Streamlit would search the half-typed words
      option.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
      list.append(option);
    });
    document.body.append(list);
  };
  const highlight = (i) => {
    active = i;
    [...(list?.children ?? [])].forEach((o, j) => {
      o.style.background = j === i ? "rgba(151,166,195,.25)" : "";
      o.setAttribute("aria-selected", String(j === i));
    });
  };
  const choose = (i) => {
    const name = shown[i].name;
    close();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, name);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    // the search of that name, as typing it would make it (filters kept, first page), in place
    const url = new URL(location.href);
    url.searchParams.set("q", name);
    url.searchParams.delete("page");
    url.searchParams.delete("exact");
    history.pushState(null, "", url.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
  };

  document.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLInputElement) || !event.target.matches(BOX) || !event.isTrusted) return;
    input = event.target;
    open();
  }, true);
  document.addEventListener("keydown", (event) => {
    if (!list || event.target !== input || !event.isTrusted) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      highlight((active + (event.key === "ArrowDown" ? 1 : shown.length - 1 + (active < 0 ? 1 : 0))) %% shown.length);
    } else if (event.key === "Enter" && active >= 0) {
      choose(active);
    } else {
      if (event.key === "Escape" || event.key === "Enter" || event.key === "Tab") close();
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }, true);
  document.addEventListener("focusout", (event) => { if (event.target === input) close(); }, true);
  document.addEventListener("scroll", close, true);
  window.addEventListener("resize", close);
})();
</script>"""


def suggestions_script(suggestions: Sequence[BoxSuggestion], *, label: str = "Search") -> str:
    """The script for `st.html(..., unsafe_allow_javascript=True)`, for the text input whose
    label is `label`. Its names change only with the archive, so Streamlit keeps the element
    (and does not run it again) from one page run to the next."""
    names = [[s.name, s.type, s.items, list(s.aliases)] for s in suggestions]
    data = json.dumps(names, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return _SCRIPT % {"names": data, "shown": SHOWN, "label": label.replace('"', "")}
