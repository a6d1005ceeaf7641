"""Printable A4 handouts (one self-contained HTML file, print CSS, no external assets) of knowledge entries.

    from knowledge.trainer.handout import render_handout, set_ids
    html = render_handout(kb, set_ids("migrant-basics"), lang="both")

Every text from the knowledge base is escaped; Markdown bodies are rendered by markdown-it-py with raw HTML
disabled (so `<script>` in content prints as text) and images off (no external assets).
"""
from __future__ import annotations

import datetime as dt
from html import escape
from typing import Iterable, Optional

from markdown_it import MarkdownIt

from knowledge.search import Entry, KnowledgeBase

from .common import TrainerError, check_lang, get_entry, load_yaml, messages, msg

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").disable("image")
HTML_LANG = {"zh": "zh-CN", "en": "en"}

CSS = """
@page { size: A4; margin: 16mm 15mm 22mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 11pt; line-height: 1.55; color: #111; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 0 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #1f6fb2; }
h3 { font-size: 11.5pt; margin: 4mm 0 1mm; color: #1f4f7a; }
.meta { color: #555; font-size: 9pt; margin: 0 0 4mm; }
nav ol { columns: 2; font-size: 9.5pt; margin: 0 0 4mm; }
article.entry { padding: 3mm 0 4mm; border-top: 1px solid #ccc; }
article.entry + article.entry { page-break-before: auto; }
.short { background: #eef5fb; border-left: 4px solid #1f6fb2; padding: 2mm 3mm; margin: 2mm 0; }
.short h3 { margin-top: 0; }
.warn { border: 1.5px solid #c77700; background: #fff6e5; padding: 2mm 3mm; margin: 2mm 0; font-weight: bold; }
.verify { border: 1px dashed #888; padding: 1.5mm 3mm; margin: 2mm 0; color: #444; }
ol.steps > li { margin-bottom: 2mm; page-break-inside: avoid; }
ol.steps .action { font-weight: bold; }
dl.step { display: grid; grid-template-columns: 26mm 1fr; gap: 0.5mm 2mm; margin: 1mm 0 0; font-size: 10pt; }
dl.step dt { color: #555; }
dl.step dd { margin: 0; }
table { border-collapse: collapse; font-size: 9pt; margin: 2mm 0; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
ul.sources { font-size: 9.5pt; padding-left: 5mm; }
.sources .number { font-weight: bold; }
.tag { display: inline-block; border: 1px solid #888; border-radius: 2px; padding: 0 1mm; font-size: 8pt; }
.reviewed { font-size: 8.5pt; color: #555; margin: 1mm 0 0; }
.citation { font-size: 9.5pt; color: #333; }
footer { font-size: 8.5pt; color: #444; border-top: 1px solid #999; padding-top: 1.5mm; margin-top: 6mm; }
@media print {
  a { color: inherit; text-decoration: none; }
  footer { page-break-inside: avoid; }
  article.entry { page-break-inside: auto; }
  h2, h3 { page-break-after: avoid; }
}
"""


def set_names() -> list[str]:
    return list((load_yaml("sets.yml") or {}).get("sets", {}))


def set_ids(name: str) -> list[str]:
    sets = (load_yaml("sets.yml") or {}).get("sets", {})
    if name not in sets:
        names = ", ".join(sets)
        raise TrainerError(f"{msg('unknown_set', 'zh', name=name, names=names)} / "
                           f"{msg('unknown_set', 'en', name=name, names=names)}")
    return list(sets[name])


def markdown_html(text: str) -> str:
    """Markdown -> safe HTML: raw HTML is escaped, images are dropped, link targets are checked by markdown-it."""
    return _MD.render(text or "")


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def _steps(entry: Entry, lang: str) -> str:
    if not entry.steps:
        return ""
    items = []
    for step in entry.steps:
        rows = [("step_who", step.who), ("step_where", step.where), ("step_documents", step.documents),
                ("step_deadline", step.deadline)]
        dl = "".join(f"<dt>{_e(msg(key, lang))}</dt><dd class=\"{key}\">{_e(value)}</dd>"
                     for key, value in rows if value)
        items.append(f"<li><p class=\"action\">{_e(step.action)}</p><dl class=\"step\">{dl}</dl></li>")
    return f"<section class=\"steps\"><h3>{_e(msg('steps', lang))}</h3><ol class=\"steps\">{''.join(items)}</ol></section>"


def _table(entry: Entry) -> str:
    table = entry.table
    if not table:
        return ""
    head = "".join(f"<th>{_e(c['label'])}</th>" for c in table["columns"])
    body = "".join("<tr>" + "".join(f"<td>{_e('' if row.get(c['key']) is None else row.get(c['key']))}</td>"
                                    for c in table["columns"]) + "</tr>" for row in table["rows"])
    return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p class=\"reviewed\">{_e(table['source_line'])}</p>")


def _sources(entry: Entry, lang: str) -> str:
    if not entry.sources:
        return ""
    items = []
    for s in entry.sources:
        parts = [f"<cite>{_e(s.title)}</cite>"]
        if s.number:
            parts.append(f"{_e(msg('source_number', lang))}{_e(msg('sep_field', lang))}<span class=\"number\">{_e(s.number)}</span>")
        if s.article:
            parts.append(f"{_e(msg('source_article', lang))}{_e(msg('sep_field', lang))}<span class=\"article\">{_e(s.article)}</span>")
        if s.effective:
            parts.append(f"{_e(msg('source_effective', lang))}{_e(msg('sep_field', lang))}<span class=\"effective\">{_e(s.effective)}</span>")
        if s.issuer:
            parts.append(f"{_e(msg('source_issuer', lang))}{_e(msg('sep_field', lang))}{_e(s.issuer)}")
        if s.url and s.url.startswith(("https://", "http://")):
            parts.append(f"<a href=\"{_e(s.url)}\">{_e(s.url)}</a>")
        if s.confidence == "to_verify":
            parts.append(f"<span class=\"tag\">{_e(msg('source_to_verify', lang))}</span>")
        items.append(f"<li>{_e(msg('sep_list', lang)).join(parts)}</li>")
    return (f"<section class=\"sources\"><h3>{_e(msg('sources', lang))}</h3><ul class=\"sources\">{''.join(items)}</ul>"
            f"<p class=\"citation\">{_e(entry.citation)}</p></section>")


def render_entry(entry: Entry) -> str:
    """One entry as an <article> in its own language."""
    lang = entry.lang
    warn = f"<p class=\"warn local-variation\">{_e(msg('local_variation', lang))}</p>" if entry.local_variation else ""
    verify = f"<p class=\"verify\">{_e(msg('to_verify', lang))}</p>" if entry.confidence == "to_verify" else ""
    return (f"<article class=\"entry\" id=\"{_e(entry.id)}-{lang}\" lang=\"{HTML_LANG[lang]}\">"
            f"<h2>{_e(entry.title)}</h2>"
            f"<section class=\"short\"><h3>{_e(msg('short_answer', lang))}</h3><p>{_e(entry.short)}</p></section>"
            f"{warn}{verify}"
            f"<section class=\"body\"><h3>{_e(msg('details', lang))}</h3>{markdown_html(entry.body)}</section>"
            f"{_table(entry)}{_steps(entry, lang)}{_sources(entry, lang)}"
            f"<p class=\"reviewed\">{_e(msg('reviewed', lang, date=entry.reviewed))}</p>"
            "</article>")


def _langs(lang: str) -> tuple[str, ...]:
    return ("zh", "en") if lang == "both" else (lang,)


def _joined(key: str, langs: Iterable[str], **values) -> str:
    return " / ".join(msg(key, lang, **values) for lang in langs)


def render_entries(entries: list[Entry], lang: str, title: Optional[str] = None,
                   today: Optional[dt.date] = None) -> str:
    """A whole HTML document from entries already in their language(s) (zh and en interleaved for `both`)."""
    check_lang(lang, allow_both=True)
    langs = _langs(lang)
    today = today or dt.date.today()
    title = title or _joined("handout_title", langs)
    reviewed = sorted(e.reviewed for e in entries if e.reviewed)
    if reviewed and reviewed[0] != reviewed[-1]:
        review_line = _joined("reviewed_range", langs, oldest=reviewed[0], newest=reviewed[-1])
    elif reviewed:
        review_line = _joined("reviewed", langs, date=reviewed[0])
    else:
        review_line = ""
    nav = ""
    distinct = []
    for e in entries:
        if e.id not in [d.id for d in distinct]:
            distinct.append(e)
    if len(distinct) > 3:
        items = "".join(f"<li><a href=\"#{_e(e.id)}-{e.lang}\">{_e(e.title)}</a></li>" for e in distinct)
        nav = f"<nav><h3>{_e(_joined('contents', langs))}</h3><ol>{items}</ol></nav>"
    articles = "\n".join(render_entry(e) for e in entries)
    footer = " ".join(msg("footer_note", l) for l in langs)
    return ("<!DOCTYPE html>\n"
            f"<html lang=\"{HTML_LANG[langs[0]]}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p class=\"meta\">{_e(_joined('app_name', langs))} · "
            f"{_e(_joined('generated', langs, date=today.isoformat()))}</p></header>"
            f"{nav}\n{articles}\n"
            f"<footer><p>{_e(review_line)} · {_e(_joined('generated', langs, date=today.isoformat()))}</p>"
            f"<p>{_e(footer)}</p></footer></body></html>\n")


def render_handout(kb: KnowledgeBase, ids: list[str], lang: str = "zh", set_name: Optional[str] = None,
                   today: Optional[dt.date] = None) -> str:
    """Fetch the entries (an unknown id is a TrainerError naming close ids) and render the document."""
    check_lang(lang, allow_both=True)
    langs = _langs(lang)
    entries = [get_entry(kb, entry_id, l) for entry_id in ids for l in langs]
    title = None
    if set_name:
        titles = messages().get("handout_set_title", {}).get(set_name)
        if titles:
            title = " / ".join(titles[l] for l in langs)
    return render_entries(entries, lang, title=title, today=today)
