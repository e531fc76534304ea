"""Article bodies: Markdown rendered to HTML with everything dangerous removed."""

import pytest

from clusterxchange.news.markdown import render


def test_scripts_and_event_attributes_are_stripped():
    html = render('Hello <script>alert(1)</script> <img src="x" onerror="alert(2)"> **bold**')
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "<strong>bold</strong>" in html


def test_links_are_kept_with_a_safe_rel():
    html = render("See [the call](https://example.eu/call) and <https://example.eu/faq>.")
    assert 'href="https://example.eu/call"' in html
    assert 'href="https://example.eu/faq"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    ],
)
def test_script_urls_are_dropped(text):
    html = render(text)
    assert "javascript:" not in html
    assert "data:" not in html


def test_styles_iframes_and_handlers_on_allowed_tags_go():
    html = render('<p style="color:red" onclick="x()">P</p><iframe src="https://evil.example"></iframe>')
    assert "style=" not in html
    assert "onclick" not in html
    assert "<iframe" not in html
    assert "<p>P</p>" in html


def test_headings_start_below_the_page_title():
    html = render("# Results\n\n## Details\n\ntext\n\n- one\n- two")
    assert "<h2>Results</h2>" in html
    assert "<h3>Details</h3>" in html
    assert "<h1" not in html
    assert "<li>one</li>" in html


def test_tables_and_code_survive():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<code>code</code>" in html
