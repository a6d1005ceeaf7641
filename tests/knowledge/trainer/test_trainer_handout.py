"""Handouts: every text escaped, Markdown rendered safely, steps with who/where/documents/deadline, sources with
number, article and effective date, the local-variation warning with 12333, the reviewed date, no external assets."""
from __future__ import annotations

import datetime as dt
import re
from html import escape
from html.parser import HTMLParser

import pytest

from knowledge.search import Entry, SourceInfo, Step
from knowledge.trainer.cli import main
from knowledge.trainer.common import TrainerError, msg
from knowledge.trainer.handout import render_entries, render_handout, set_ids

EVIL = '<script>alert("x")</script>'


def _evil_entry(lang="en", local=True):
    return Entry(
        id="faq-evil", type="procedure", lang=lang, title=f"Title {EVIL}", short=f"Short & {EVIL}",
        body=f"Para **bold** {EVIL}\n\n<img src=http://evil.example/x.png>\n\n- item <b>raw</b>\n- [link](javascript:alert(1))\n",
        steps=[Step(who=f"Who {EVIL}", action=f"Act {EVIL}", where=f"Where {EVIL}", documents=f"Docs {EVIL}",
                    deadline=f"Deadline {EVIL}")],
        sources=[SourceInfo(id="s", kind="law", title=f"Law {EVIL}", number=f"No. {EVIL}", issuer="Issuer",
                            effective="2010-01-01", url='javascript:alert(1)', article=f"art. {EVIL}",
                            confidence="verified", citation=f"Source: {EVIL}")],
        citation=f"Source: {EVIL}", confidence="to_verify", local_variation=local, related=[], aliases=[],
        applies_to={}, reviewed="2026-11-01", valid_from=None, valid_until=None)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def _parse(html):
    parser = _Tags()
    parser.feed(html)
    return parser


def test_every_text_is_escaped():
    html = render_entries([_evil_entry()], "en", today=dt.date(2026, 11, 26))
    parsed = _parse(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert not any(value and "javascript:" in value for _, value in parsed.attrs)
    assert EVIL not in html
    assert escape(EVIL, quote=False) in html or escape(EVIL) in html
    assert "<strong>bold</strong>" in html          # the Markdown itself is rendered
    assert re.search(r"<li>item &lt;b&gt;raw&lt;/b&gt;</li>", html)


def test_no_external_assets():
    html = render_entries([_evil_entry()], "en")
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert "@import" not in html and "url(" not in html
    assert "@page" in html and "size: A4" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_procedure_handout_has_steps_and_citations(real_kb, lang):
    entry = real_kb.get("procedure-pension-transfer", lang)
    html = render_handout(real_kb, ["procedure-pension-transfer"], lang)
    assert escape(entry.title) in html and escape(entry.short) in html
    assert html.count('<li><p class="action">') == len(entry.steps) >= 3
    for step in entry.steps:
        for text in (step.who, step.action, step.where, step.documents, step.deadline):
            if text:
                assert escape(text) in html
    for source in entry.sources:
        assert escape(source.title) in html
        for field in (source.number, source.article, source.effective):
            if field:
                assert escape(field) in html
    assert escape(entry.citation) in html
    assert msg("reviewed", lang, date=entry.reviewed) in html
    assert (msg("local_variation", lang) in html) == entry.local_variation


@pytest.mark.parametrize("entry_id", ["procedure-medical-transfer", "procedure-pension-transfer"])
def test_local_variation_warning_follows_the_entry(real_kb, entry_id):
    entry = real_kb.get(entry_id, "zh")
    html = render_handout(real_kb, [entry_id], "zh")
    warning = msg("local_variation", "zh")
    assert "12333" in warning
    assert (warning in html) is entry.local_variation


def test_both_languages_side_by_side(real_kb):
    html = render_handout(real_kb, ["myth-cash-out-when-leaving"], "both")
    zh, en = real_kb.get("myth-cash-out-when-leaving", "zh"), real_kb.get("myth-cash-out-when-leaving", "en")
    assert escape(zh.title) in html and escape(en.title) in html
    assert 'lang="zh-CN"' in html and 'lang="en"' in html
    assert html.index(escape(zh.title)) < html.index(escape(en.title))


def test_migrant_basics_set(real_kb, tmp_path, real_db):
    ids = set_ids("migrant-basics")
    assert len(ids) >= 8 and len(set(ids)) == len(ids)
    for entry_id in ids:
        assert real_kb.get(entry_id, "zh") is not None, entry_id
    out = tmp_path / "basics.html"
    assert main(["handout", "--set", "migrant-basics", "--lang", "zh", "--db", str(real_db), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    positions = [html.index(f'id="{entry_id}-zh"') for entry_id in ids]
    assert positions == sorted(positions)
    reviewed = sorted(real_kb.get(i, "zh").reviewed for i in ids)
    footer = html[html.index("<footer>"):]
    assert reviewed[0] in footer and reviewed[-1] in footer


def test_unknown_id_is_refused_with_suggestions(real_kb, real_db, tmp_path, capsys):
    with pytest.raises(TrainerError) as info:
        render_handout(real_kb, ["procedure-pension-transfr"], "zh")
    assert "procedure-pension-transfer" in str(info.value)
    assert main(["handout", "nope-nope", "--db", str(real_db), "--out", str(tmp_path / "x.html")]) == 1
    assert "nope-nope" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
    assert main(["handout", "--set", "no-such-set", "--db", str(real_db)]) == 1


def test_statistic_handout_prints_the_table(real_kb):
    entry = real_kb.get("statistic-table-7", "en")
    html = render_handout(real_kb, ["statistic-table-7"], "en")
    assert html.count("<tr>") == len(entry.table["rows"]) + 1
    for column in entry.table["columns"]:
        assert f"<th>{escape(column['label'])}</th>" in html
    assert f"<td>{entry.table['rows'][0]['number']}</td>" in html
    assert escape(entry.table["source_line"]) in html
