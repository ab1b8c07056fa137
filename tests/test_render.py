"""Vendor Markdown becomes safe HTML; missing translations fall back visibly and with lang=."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from thingwalla.model import Text
from thingwalla.render import markdown_to_safe_html
from thingwalla.site.pages import _localized, _markdown


@pytest.mark.parametrize("source,forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[x](javascript:alert(1))", "javascript:"),
    ("[x](JaVaScRiPt:alert(1))", "alert"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<style>*{display:none}</style>", "<style"),
    ('<div style="position:fixed">x</div>', "style="),
    ('<object data="x.swf"></object>', "<object"),
    ('<a href="https://ok.example" target="_top" onmouseover="x()">a</a>', "onmouseover"),
    ("[relative](../../admin)", "../../admin"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta"),
])
def test_dangerous_markup_is_removed(source, forbidden):
    assert forbidden.lower() not in markdown_to_safe_html(source).lower()


def test_safe_markup_is_kept_and_headings_shift_down():
    html = markdown_to_safe_html("# Title\n\n## Sub\n\n**bold** [site](https://ok.example) "
                                 "<mailto:post@ok.example>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Title</h2>" in html and "<h3>Sub</h3>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://ok.example"' in html and "nofollow" in html
    assert "mailto:" in html
    assert "<table>" in html


def test_fallback_text_is_marked_with_its_language():
    assert str(_localized(Text({"nb": "Hei"}), "en")) == '<span lang="nb">Hei</span>'
    assert str(_localized(Text({"en": "Hi", "nb": "Hei"}), "en")) == "Hi"
    assert str(_localized(Text({"nb": "<b>x</b>"}), "nb")) == "&lt;b&gt;x&lt;/b&gt;"


def test_fallback_description_says_so():
    html = str(_markdown(Text({"nb": "Bare på norsk."}), "en"))
    assert "is not available in English" in html
    assert '<div lang="nb"><p>Bare på norsk.</p></div>' in html


def test_markdown_reads_like_the_pull_request_preview():
    # GitHub's CommonMark: what a vendor sees in the pull request's preview is what the site shows.
    html = markdown_to_safe_html("Dette får du:\n- skjema\n- vedtak\n\nLes mer på www.example.no\n\n~~gammel~~ ny")
    assert "<ul>\n<li>skjema</li>\n<li>vedtak</li>\n</ul>" in html  # a list right under a line of text
    assert 'href="http://www.example.no"' in html
    assert "<del>" not in html and "gammel" in html  # strikethrough is not on the allowlist: the text stays
    # A script is removed with its content, not shown as text.
    assert "alert" not in markdown_to_safe_html("Hei\n\n<script>alert(1)</script>\n")


def test_page_whitespace_is_compacted_but_preformatted_text_is_kept():
    from thingwalla.mkdocs_plugin import compact_whitespace

    page = ("<nav>\n\n      <a href='/'>Hjem</a>\n    <a href='/x'>X</a>\n</nav>\n  <pre>a\n\n    b</pre>\n"
            "<textarea>1\n\n  2</textarea>\n<script>let s = `x\n\n  y`;</script>\n<style>a {\n\n  color: red }</style>")
    assert compact_whitespace(page) == (
        "<nav>\n<a href='/'>Hjem</a>\n<a href='/x'>X</a>\n</nav>\n<pre>a\n\n    b</pre>\n"
        "<textarea>1\n\n  2</textarea>\n<script>let s = `x\n\n  y`;</script>\n<style>a {\n\n  color: red }</style>")


def test_page_templates_call_helpers_macros_and_context_users_alike():
    # The renderer's shorter call path (plain functions, methods, macros) must not change what Jinja does for
    # callables that ask for the context, nor choke on the loop variables Jinja passes inside loops.
    import jinja2

    from thingwalla.site.pages import Renderer, SiteSettings

    env = Renderer(SiteSettings()).env

    @jinja2.pass_context
    def who(context, suffix):
        return context["name"] + suffix

    template = env.from_string(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{% for i in items %}{{ who('!') }} {{ twice(shout(i)) }} {{ parts.get('a') }}{{ names.upper() }};{% endfor %}")
    out = template.render(items=["a", "b"], name="Oslo", who=who, shout=lambda s: s.upper(), parts={"a": "<x>"},
                          names="bergen")
    assert out == "Oslo! AA &lt;x&gt;BERGEN;Oslo! BB &lt;x&gt;BERGEN;"


def test_service_cards_escape_vendor_text_and_say_what_a_reader_needs():
    from types import SimpleNamespace

    from thingwalla.site.cards import Cards

    evil = '<script>window.__pwned=1</script>"'
    service = SimpleNamespace(
        id="demo", logo=None, name=Text(nb=evil + "Tjeneste"), tagline=Text(en="<b>Tagline</b>"),
        vendor=SimpleNamespace(display_name=evil + "Leverandør"), status="beta", pricing_model="annual_subscription",
        rating=4.5, ratings=[1, 2], solution_type=SimpleNamespace(id="x"),
        category=SimpleNamespace(icon="material/school"))
    cards = Cards("nb", url_for=lambda kind, ident=None: f"../../tjenester/{ident}/", asset=lambda p: "../../" + p,
                  icon=lambda name: Markup("<svg></svg>"), localized=lambda value: _localized(value, "nb"),
                  municipality_users=lambda s: 3)
    html = str(cards.card(service, "h2"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&#34;Tjeneste" in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&#34;Leverandør" in html
    assert '<span lang="en">&lt;b&gt;Tagline&lt;/b&gt;</span>' in html  # the fallback language is marked
    assert '<h2 class="tw-card__title" id="card-demo"><a href="../../tjenester/demo/">' in html
    assert 'role="img" aria-label="Vurdering 4,5 av 5, fra 2 vurderinger"' in html
    assert "3 kommuner bruker" in html and "Beta" in html
