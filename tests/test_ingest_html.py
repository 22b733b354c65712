"""HTML to article text: boilerplate dropped, scripts never turned into text, titles found."""

from __future__ import annotations

import pytest

from unspin.ingest import extract_html
from unspin.ingest import html as html_mod
from unspin.ingest.html import looks_like_html, meta_charset

PARAGRAPHS = [
    "The Senate on Tuesday passed a sweeping spending bill that critics call a disaster for the country.",
    "Everyone knows this is the only way forward, said the majority leader, who urged the House to act "
    "before it is too late.",
    "Opponents warned that the measure would open the floodgates to even more spending, and that "
    "ordinary families would pay the price for years to come.",
]

ARTICLE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Senate passes sweeping bill | The Daily Example</title>
  <meta property="og:title" content="Senate passes sweeping bill">
  <link rel="stylesheet" href="/site.css">
  <script>window.dataLayer = [];  function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
  <header class="site-header">
    <a class="logo" href="/">The Daily Example</a>
    <nav><ul>
      <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
      <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
    </ul></nav>
  </header>
  <main>
    <article>
      <h1>Senate passes sweeping bill</h1>
      <p class="byline">By Jane Doe, Political Correspondent</p>
      <p>{PARAGRAPHS[0]}</p>
      <figure><img src="/senate.jpg" alt="The Senate chamber">
        <figcaption>The Senate chamber.</figcaption></figure>
      <p>{PARAGRAPHS[1]}</p>
      <div class="ad">Advertisement</div>
      <p>{PARAGRAPHS[2]}</p>
    </article>
    <aside class="most-read">
      <h2>Most read</h2>
      <ol><li><a href="/a">Celebrity chef opens third restaurant</a></li>
          <li><a href="/b">Weekend weather: sunny spells</a></li></ol>
    </aside>
  </main>
  <footer>
    <p>© 2024 The Daily Example. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a> <a href="/contact">Contact us</a>
  </footer>
</body>
</html>
"""

HOSTILE = """<html><head><title>Breaking news</title>
<script>alert("HEAD_SCRIPT"); document.cookie</script>
<style>body { background: url("javascript:STYLE_CODE") }</style></head>
<body onload="stealCookies('ONLOAD_CODE')">
<p onclick="alert('ONCLICK_CODE')" onmouseover="evil('MOUSEOVER_CODE')">The mayor promised that the new
bridge would be finished on time and on budget, a claim engineers dispute.</p>
<script type="text/javascript">var x = "</p><p>BODY_SCRIPT_CODE"; eval(x);</script>
<script>
  // a script that looks like prose
  var sentence = "SCRIPT_PROSE This sentence is code, not article text at all.";
</script>
<noscript><p>NOSCRIPT_NOTICE please enable JavaScript</p></noscript>
<img src="x" onerror="alert('ONERROR_CODE')">
<svg><title>SVG_TITLE</title><script>SVG_SCRIPT_CODE</script></svg>
<p>Residents said they had heard such promises before and would believe them when they saw them.</p>
<template><p>TEMPLATE_TEXT</p></template>
<div hidden>HIDDEN_TEXT</div>
<a href="javascript:alert('HREF_CODE')">Read more</a>
<iframe srcdoc="&lt;script&gt;IFRAME_CODE&lt;/script&gt;"></iframe>
</body></html>"""

FORBIDDEN = (
    "HEAD_SCRIPT", "document.cookie", "STYLE_CODE", "ONLOAD_CODE", "ONCLICK_CODE", "MOUSEOVER_CODE",
    "BODY_SCRIPT_CODE", "SCRIPT_PROSE", "eval(", "alert(", "ONERROR_CODE", "SVG_SCRIPT_CODE", "IFRAME_CODE",
    "TEMPLATE_TEXT", "HIDDEN_TEXT", "NOSCRIPT_NOTICE", "var ", "<", ">",
)  # fmt: skip


def test_realistic_article_keeps_the_article_and_drops_boilerplate() -> None:
    text, title = extract_html(ARTICLE, url="https://news.example.com/politics/senate-bill")
    assert title == "Senate passes sweeping bill"
    lines = text.split("\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in lines  # one paragraph per line, whitespace tidied
    for boilerplate in (
        "cookies",
        "Politics",
        "Most read",
        "Celebrity chef",
        "All rights reserved",
        "Privacy",
    ):
        assert boilerplate not in text
    assert "gtag" not in text and "dataLayer" not in text


def test_extracts_from_bytes_with_meta_charset() -> None:
    page = ARTICLE.replace('charset="utf-8"', 'charset="windows-1251"').replace(
        PARAGRAPHS[0], "Сенат принял закон, который критики называют катастрофой для всей страны."
    )
    text, _ = extract_html(page.encode("cp1251"))
    assert "Сенат принял закон, который критики называют катастрофой для всей страны." in text


@pytest.mark.parametrize("fallback", [False, True])
def test_hostile_page_yields_no_script_code(monkeypatch: pytest.MonkeyPatch, fallback: bool) -> None:
    if fallback:
        monkeypatch.setattr(html_mod, "_trafilatura_extract", lambda html, url: (None, None))
    text, title = extract_html(HOSTILE)
    assert "The mayor promised that the new bridge would be finished on time" in text
    assert "Residents said they had heard such promises before" in text
    for code in FORBIDDEN:
        assert code not in text, code
    assert title == "Breaking news"


def test_fallback_keeps_a_short_page_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_mod, "_trafilatura_extract", lambda html, url: (None, None))
    page = "<!doctype html><title> A  short\npage </title><nav>Home</nav><h1>Short</h1><div>One line.</div>"
    assert extract_html(page) == ("Short\nOne line.", "A short page")


def test_fallback_handles_unclosed_and_stray_tags() -> None:
    text, title = html_mod._fallback_extract("<p>Before</div></nav><script>x()<p>never closed")
    assert text == "Before"
    assert title is None


def test_page_without_text_extracts_to_empty() -> None:
    assert extract_html("<html><body><script>alert(1)</script><p>  </p></body></html>")[0] == ""


def test_xhtml_with_xml_declaration() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>X</title></head><body><article><p>{PARAGRAPHS[0]}</p></article></body></html>"
    )
    assert looks_like_html(page)
    assert extract_html(page)[0] == PARAGRAPHS[0]


@pytest.mark.parametrize(
    "start",
    [
        "<!DOCTYPE html>",
        "  \n<!doctype HTML>",
        "<html>",
        "<HTML lang=en>",
        "\ufeff<html>",
        "<!-- c --><html>",
    ],
)
def test_looks_like_html(start: str) -> None:
    assert looks_like_html(start + "<body>x</body>")
    assert looks_like_html((start + "<body>x</body>").encode())


@pytest.mark.parametrize("start", ["Hello <html>", "<htmlx>", "<p>just a fragment</p>", "", "<!doctype xml>"])
def test_does_not_look_like_html(start: str) -> None:
    assert not looks_like_html(start)
    assert not looks_like_html(start.encode())


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<meta charset="windows-1251">', "windows-1251"),
        (b"<meta charset=koi8-r>", "koi8-r"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "ISO-8859-1"),
        (b'<?xml version="1.0" encoding="Shift_JIS"?>', "Shift_JIS"),
        (b"<title>none</title>", None),
    ],
)
def test_meta_charset(head: bytes, charset: str | None) -> None:
    assert meta_charset(b"<!doctype html><html><head>" + head + b"</head>") == charset
