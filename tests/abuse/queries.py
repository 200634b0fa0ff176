"""A hostile query set: what a careless or malicious reader can type or put in a `?q=` link.

Classes: sizes (long texts, many terms, many misspellings), wildcards, control characters, the
query syntax of FTS5, of Lucene/Elasticsearch and of SQL, Unicode that breaks naive code (lone
surrogates, direction overrides, combining marks), Markdown/HTML/template injection, paths and
numbers, unbalanced quotes and brackets; then pairs of them. Deterministic: the same list on
every run, so a failure names a query that can be replayed.
"""
from __future__ import annotations

import random
from itertools import combinations

__all__ = ["hostile_queries", "hostile_params"]

_MISSPELT = ["opnai", "nvidai", "tranformer", "pytroch", "tensorflwo", "embeddigns", "diffusoin", "agnet"]


def _sizes() -> list[str]:
    return [
        "a" * 501, "a" * 5_000, "a" * 100_000, "word " * 33, "word " * 1_000, "word " * 20_000,
        "openai " * 1_000, " ".join(_MISSPELT * 125), "a* " * 1_000, '"a b" ' * 500, "x" * 1_000 + " y",
        "-" * 10_000, "(" * 5_000 + "a" + ")" * 5_000, '"' * 1_001, " " * 10_000, "\n" * 1_000,
        "OR " * 1_000, "+a " * 1_000, "-a " * 1_000, "é" * 50_000, "🤖" * 10_000,
    ]


def _wildcards() -> list[str]:
    out = ["*", "**", "***", "*a", "a*", "?", "a?b", "te*t", "*" * 1_000, "a*b*c*", "\"a*\"", "-*", "+*"]
    out += [" ".join(f"{chr(97 + i % 26)}*" for i in range(n)) for n in (2, 5, 10, 33, 100)]
    out += ["ab* " * n for n in (3, 40)]
    return out


def _control() -> list[str]:
    out = [f"a{chr(c)}b" for c in range(0, 32)] + ["a\x7fb", "\x00", "\x00" * 1_000, "Dojo\x00", "\x1b[31mred\x1b[0m"]
    out += ["a\u2028b", "a\u2029b", "a\ufeffb", "\ufffe", "\uffff"]
    return out


def _syntax() -> list[str]:
    fts5 = ['NEAR(a b)', 'NEAR(a b, 0)', 'NEAR(', '"a" + "b"', 'a AND b', 'AND', 'OR', 'NOT', 'AND OR NOT',
            '^a', 'a:b', 'title:x', '{title text}: x', 'items_fts:x', 'rank:', 'bm25()', 'MATCH', '*:*',
            'a NOT', 'NOT a', '(a', 'a)', '()', '(((', ')))', '""', '"""', "'", "''", '\\', '\\\\', '"a', 'a"',
            '-', '--', '+', '++', '-+-', '"-"', 'a -', '- a', 'OR OR', 'a OR', 'OR a', '"a" OR', 'x:y:z']
    lucene = ['a~', 'a~2', 'a~100', '/re.*/', '/(a|b)+$/', '[a TO b]', '{a TO b}', 'a^10', 'a^-1', '_exists_:x',
              'field:(a OR b)', '+a -b', '&&', '||', '!', '!a', '<', '>', '=', '<=a', 'a:>1', '_id:1',
              '{"query": {"match_all": {}}}', '{"script": "1"}', '*:*', 'title:*', '\\*', '\\"', '\\\\a',
              'a\\ b', '"a"~3', '"a b"~1000', 'a^1000000', '?a', 'a/b', 'a::b']
    sql = ["'; DROP TABLE items; --", "' OR 1=1 --", '" OR ""="', "1; SELECT * FROM sqlite_master", "UNION SELECT 1",
           "%", "_", "%%", "a%b", "a_b", "'--", "/* comment */", "x'; ATTACH DATABASE '/tmp/x' AS x; --",
           "0x41", "CHAR(65)", "; PRAGMA writable_schema=1"]
    return fts5 + lucene + sql


def _unicode() -> list[str]:
    return ["\ud800", "a\udfffb", "\u202eevil\u202c", "a\u200db", "\u200b" * 100, "e" + "\u0301" * 1_000,
            "日本語", "العربية", "עברית", "ﬁne-tuning", "İstanbul", "straße", "ＧＰＵ", "𝐆𝐏𝐓", "①②③",
            "\U0001f916 robots", "ǅ", "\u0130\u0131", "Ω≈ç√", "𓀀", "\u00a0\u00a0", "\u3000", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗"]


def _injection() -> list[str]:
    return ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
            "![](https://evil.example/x.png)", "**bold** _it_", "`code`", "$$x$$", "| a | b |", "# heading",
            "> quote", "{{template}}", "${jndi:ldap://x/a}", "%s%n%x", "{0}", "\\N{BULLET}", "<mark>x</mark>",
            "</div><h1>x", "&lt;script&gt;", "&#0;", ":material/home:", ":red[x]", "<!--", "]]>"]


def _paths_and_numbers() -> list[str]:
    return ["../../etc/passwd", "file:///etc/passwd", "http://localhost:9200/_cat/indices", "C:\\Windows\\x",
            "~/.ssh/id_rsa", "/dev/zero", "0", "-1", "1e308", "NaN", "inf", "9" * 100, "0.0.0.0", "-0",
            "https://example.com/" + "a" * 3_000, "https://e.org/a?b=c&d=e#f", "javascript:alert(1)",
            "data:text/html,<b>x</b>"]


def hostile_queries() -> list[str]:
    """At least 500 distinct hostile queries, the same on every run."""
    singles = [*_sizes(), *_wildcards(), *_control(), *_syntax(), *_unicode(), *_injection(), *_paths_and_numbers()]
    short = sorted({q for q in singles if len(q) < 40}, key=singles.index)
    pairs = [f"{a} {b}" for a, b in combinations(short, 2)]
    random.Random(11).shuffle(pairs)
    queries = list(dict.fromkeys(singles + pairs[: max(0, 520 - len(singles))]))
    assert len(queries) >= 500
    return queries


def hostile_params() -> list[dict[str, str]]:
    """URL parameters of the search page beside `q`: filters, dates, pages and sorts nobody chose."""
    many = ",".join(f"e{i}" for i in range(5_000))
    return [
        {"q": "Dojo", "page": "-5"}, {"q": "Dojo", "page": "9" * 30}, {"q": "Dojo", "page": "1e9"},
        {"q": "Dojo", "page": "NaN"}, {"q": "Dojo", "page": "999999"}, {"q": "Dojo", "sort": "'; DROP"},
        {"q": "Dojo", "from": "9999-99-99"}, {"q": "Dojo", "from": "2030-01-01", "to": "1990-01-01"},
        {"q": "Dojo", "from": "0001-01-01", "to": "9999-12-31"}, {"q": "", "type": "NOPE"},
        {"q": "Dojo", "entity": "'; DROP TABLE items; --"}, {"q": "Dojo", "entity": many},
        {"q": "Dojo", "type": many}, {"q": "Dojo", "year": "0000,99999,abcd,2021"}, {"q": "", "year": "9999"},
        {"q": "Dojo", "section": "\x00"}, {"q": "Dojo", "topic": "../../etc"}, {"q": "Dojo", "exact": "1"},
        {"q": "a*" * 300, "exact": "1"}, {"q": "", "publication": "<script>x</script>"},
        {"q": "Dojo", "entity": ",,,,,"}, {"q": "\ud800", "page": "2"},
    ]


def hostile_cli_flags() -> list[list[str]]:
    """Options of `kb search` beside the query, as a careless script could pass them."""
    many = ",".join(f"e{i}" for i in range(3_000))
    return [
        ["--issue-from", "9" * 30], ["--issue-to", "-" + "9" * 30], ["--issue-from", "5", "--issue-to", "1"],
        ["--limit", "-5"], ["--limit", "1000000000"], ["--offset", "9" * 25], ["--offset", "-3"],
        ["--from", "0001-01-01", "--to", "9999-12-31"], ["--from", "2030-01-01", "--to", "1990-01-01"],
        ["--entity", many], ["--type", many], ["--topic", "'; DROP TABLE items; --"], ["--section", "\x00"],
        ["--type", "NOPE"], ["--entity", ",,,"], ["--sort", "date", "--offset", "9999"], ["--exact"],
        ["--from", "not-a-date"], ["--limit", "abc"], ["--json", "--limit", "1000000000"],
    ]


def hostile_page_params() -> list[tuple[str, dict[str, str]]]:
    """(page, URL parameters) for every page beside Search: what a crafted link can carry."""
    values = ["", "\x00", "'; DROP TABLE items; --", "<script>alert(1)</script>", "../../etc/passwd", "a" * 5_000,
              "9" * 40, "-1", "0", "NaN", "日本語", "\u202eevil", "new:" + "x" * 300, ",,,", "*", "%00"]
    many = ",".join(f"e{i}" for i in range(2_000))
    out: list[tuple[str, dict[str, str]]] = []
    for value in values:
        out += [
            ("ui/entity_page.py", {"entity": value}),
            ("ui/entity_page.py", {"entity": "openai", "interval": value, "page": value}),
            ("ui/trends_page.py", {"entities": value, "interval": value, "measure": value, "view": value}),
            ("ui/trends_page.py", {"entities": "openai,gpt-3", "split": value, "smooth": value, "view": "cross"}),
            ("ui/trends_page.py", {"view": "rising", "a_from": value, "a_to": value, "b_from": value, "b_to": value, "min": value}),
            ("ui/issues_page.py", {"issue": value}),
            ("ui/issues_page.py", {"publication": value}),
            ("ui/coverage_page.py", {"title": value, "url": value}),
            ("ui/candidates_page.py", {"q": value}),
        ]
    out += [
        ("ui/trends_page.py", {"entities": many}),
        ("ui/trends_page.py", {"view": "rising", "a_from": "0001-01-01", "a_to": "9999-12-31", "b_from": "9999-12-31", "b_to": "0001-01-01"}),
        ("ui/trends_page.py", {"view": "compare", "entities": "openai", "interval": "month", "smooth": "3", "split": "newsletter"}),
        ("ui/trends_page.py", {"view": "issues"}),
        ("ui/trends_page.py", {"view": "mix", "interval": "issue", "split": "newsletter"}),
        ("ui/entity_page.py", {"entity": "openai", "page": "9" * 30}),
        ("ui/coverage_page.py", {"title": "x " * 20_000, "url": "https://e.org/" + "a" * 100_000}),
        ("ui/coverage_page.py", {"title": "Dojo", "url": "javascript:alert(1)"}),
    ]
    return out
