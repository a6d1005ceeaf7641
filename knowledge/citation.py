"""Citation strings: "来源：国办发〔2009〕66号 第四条（2010-01-01起施行）" /
"Source: Guobanfa [2009] No. 66, art. 4 (in force 2010-01-01)".

Articles are written in Chinese in the content (第四条、第十九条第二款、表1、第4.4节) and translated here,
so content editors do not have to write them twice; `article_en` in an entry overrides the translation.
"""
from __future__ import annotations

import re
from typing import Optional

import cn2an

from .schema import Source, SourceRef

_NUM = r"[0-9零〇一二两三四五六七八九十百千]+(?:\.[0-9]+)?"
_UNITS_EN = {"条": "art.", "款": "para.", "项": "item", "章": "chapter", "节": "section", "部分": "part"}
_PLURAL_EN = {"art.": "arts.", "para.": "paras.", "item": "items", "chapter": "chapters",
              "section": "sections", "part": "parts", "Table": "Tables", "annex": "annexes", "Figure": "Figures"}


def _to_int_text(number: str) -> str:
    if re.fullmatch(r"[0-9.]+", number):
        return number
    try:
        return str(cn2an.cn2an(number, "smart"))
    except Exception:   # cn2an raises plain ValueError/KeyError on odd input
        return number


def _translate_part(part: str) -> Optional[list[tuple[str, str]]]:
    """One citation unit, e.g. 第十九条第二款 -> [("art.", "19"), ("para.", "2")]; None if not understood."""
    part = part.strip()
    if not part:
        return []
    units: list[tuple[str, str]] = []
    position = 0
    pattern = re.compile(rf"\s*(?:第\s*({_NUM})\s*(条|款|项|章|节|部分)|表\s*({_NUM})|图\s*({_NUM})|附件\s*({_NUM})?|附表\s*({_NUM})?)")
    while position < len(part):
        match = pattern.match(part, position)
        if not match or match.end() == position:
            return None
        if match.group(1):
            units.append((_UNITS_EN[match.group(2)], _to_int_text(match.group(1))))
        elif match.group(3):
            units.append(("Table", _to_int_text(match.group(3))))
        elif match.group(4):
            units.append(("Figure", _to_int_text(match.group(4))))
        elif match.group(0).strip().startswith("附表"):
            units.append(("annex table", _to_int_text(match.group(6)) if match.group(6) else ""))
        else:
            units.append(("annex", _to_int_text(match.group(5)) if match.group(5) else ""))
        position = match.end()
    return units


def article_to_english(article: str) -> str:
    """第四条 -> art. 4; 第十条、第十二条 -> arts. 10, 12; 第十九条第二款 -> art. 19(2); 表1 -> Table 1.

    Text that is already in Latin letters is returned unchanged; anything not understood is returned as is,
    so a citation is never lost."""
    text = article.strip()
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    pieces = [p for p in re.split(r"[、，,；;及和与]", text) if p.strip()]
    parsed = []
    for piece in pieces:
        ends = re.split(r"\s*[至到~～—–-]\s*", piece)
        if len(ends) == 2:   # 第四十四条至第五十二条 -> arts. 44–52
            first, last = _translate_part(ends[0]), _translate_part(ends[1])
            if first and last and len(first) == len(last) == 1 and first[0][0] == last[0][0]:
                head = first[0][0]
                parsed.append([(_PLURAL_EN.get(head, head), f"{first[0][1]}–{last[0][1]}")])
                continue
        parsed.append(_translate_part(piece))
    if any(p is None or not p for p in parsed):
        return text
    # Same leading unit everywhere ("第十条、第十二条") -> "arts. 10, 12".
    rendered: list[str] = []
    for units in parsed:
        head, number = units[0]
        rest = units[1:]
        tail = ""
        if head == "art." and rest and all(u[0] in ("para.", "item") for u in rest):
            tail = "".join(f"({n})" for _, n in rest)
            rest = []
        text_unit = f"{number}{tail}"
        if rest:
            text_unit += ", " + ", ".join(f"{u} {n}".strip() for u, n in rest)
        rendered.append((head, text_unit))
    heads = {h for h, _ in rendered}
    if len(heads) == 1 and len(rendered) > 1:
        head = rendered[0][0]
        return f"{_PLURAL_EN.get(head, head)} " + ", ".join(t for _, t in rendered)
    return ", ".join(f"{h} {t}".strip() for h, t in rendered)


def _label(source: Source, lang: str) -> str:
    if lang == "zh":
        if source.cite_as:
            return source.cite_as.zh
        if source.kind in ("website", "report"):
            return source.number or source.title.zh
        return source.number or f"《{source.title.zh}》"
    if source.cite_as:
        return source.cite_as.en
    return source.number_en or source.title.en


def _dates(source: Source, lang: str) -> str:
    parts_zh: list[str] = []
    parts_en: list[str] = []
    if source.effective and source.kind in ("law", "regulation", "notice"):
        parts_zh.append(f"{source.effective.isoformat()}起施行")
        parts_en.append(f"in force {source.effective.isoformat()}")
    if source.amended:
        last = max(source.amended).isoformat()
        parts_zh.append(f"{last}修正")
        parts_en.append(f"amended {last}")
    if source.kind == "website" and source.url:
        host = re.sub(r"^https?://", "", source.url).rstrip("/")
        parts_zh.append(host)
        parts_en.append(host)
    if source.confidence == "to_verify":
        parts_zh.append("待核实")
        parts_en.append("to be verified")
    if lang == "zh":
        return f"（{'，'.join(parts_zh)}）" if parts_zh else ""
    return f" ({', '.join(parts_en)})" if parts_en else ""


def split_article(article: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Editors sometimes write both languages: "第4.4节 / section 4.4" -> ("第4.4节", "section 4.4")."""
    if not article:
        return None, None
    match = re.fullmatch(r"\s*(.*?[\u4e00-\u9fff].*?)\s+/\s+([^\u4e00-\u9fff]+?)\s*", article)
    if match:
        return match.group(1), match.group(2)
    return article, None


def cite_one(source: Source, ref: Optional[SourceRef], lang: str) -> str:
    """One source with its article, without the "来源：" prefix."""
    label = _label(source, lang)
    article, written_en = split_article(ref.article if ref else None)
    if ref and ref.article_en:
        written_en = ref.article_en
    if lang == "zh":
        text = label + (f" {article}" if article else "")
    else:
        article_en = written_en or (article_to_english(article) if article else "")
        text = label + (f", {article_en}" if article_en else "")
    return text + _dates(source, lang)


def cite_many(parts: list[str], lang: str) -> str:
    if not parts:
        return ""
    if lang == "zh":
        return "来源：" + "；".join(parts)
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts)
