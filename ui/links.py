"""Links between the app's own pages change page in place instead of reloading the app.

A plain link (`<a href="entity?entity=openai">`) makes the browser load the whole app again:
Streamlit's scripts (about 2 MB), a new session, and Plotly's 4 MB on every page with a chart,
which is most of the seconds a reader waits. Streamlit already changes page in place when the
browser goes back or forward (it reruns the page the address names, with its query
parameters); this script does the same for a click on a link in the pages' own Markdown and
HTML (chips, issue links, year bars): it puts the link in the address bar
(`history.pushState`), lets Streamlit read it (`popstate`) and scrolls to the top. Streamlit
opens every Markdown link in a new tab; a link to a page of this app is followed in the same
one. Streamlit's own links (the page menu, `st.page_link`) already change page in place and are
left to it, and so are links to other sites, downloads, `#fragments`, and any click with a
modifier key or another button (a new tab, on purpose).
"""
from __future__ import annotations

__all__ = ["IN_PLACE_LINKS", "enable_in_place_links"]

IN_PLACE_LINKS = """<script>
(() => {
  if (window.__kbInPlaceLinks) return;
  window.__kbInPlaceLinks = true;
  const assets = /\\/(_stcore|static|media|component)\\//;
  const ours = '[data-testid="stMarkdownContainer"], [data-testid="stHtml"]';
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("download") || !link.closest(ours)) return;
    const url = new URL(link.href, document.baseURI);
    if (url.origin !== location.origin || url.hash || assets.test(url.pathname)) return;
    event.preventDefault();
    if (url.href !== location.href) history.pushState(null, "", url.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
    document.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
    window.scrollTo(0, 0);
  }, true);
})();
</script>"""


def enable_in_place_links() -> None:
    """Install the click handler (once per browser tab; the element is the same on every run,
    so Streamlit does not run it again)."""
    import streamlit as st

    st.html(IN_PLACE_LINKS, unsafe_allow_javascript=True)
