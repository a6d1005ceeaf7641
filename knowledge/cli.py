"""Command line: python -m knowledge build | search | show | stats | check  (docs/knowledge.md)."""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from difflib import get_close_matches
from pathlib import Path
from typing import Optional

from .build import DEFAULT_CONTENT, DEFAULT_DB, BuildFailed, build
from .check import run_checks
from .schema import ENTRY_TYPES
from .search import KnowledgeBase, KnowledgeBaseMissing

COMMANDS = {
    "build": ("检查全部内容并生成知识库 / validate all content and write the SQLite knowledge base",
              "python -m knowledge build\n  python -m knowledge build --content knowledge/content --db var/knowledge.db"),
    "search": ("搜索条目 / search entries",
               'python -m knowledge search "社保断了怎么办"\n  python -m knowledge search "transfer pension" --lang en --type procedure --json'),
    "show": ("显示一个条目 / show one entry",
             "python -m knowledge show procedure-pension-transfer\n  python -m knowledge show faq-retirement-age --lang en --json"),
    "stats": ("知识库统计 / counts of the knowledge base", "python -m knowledge stats"),
    "check": ("内容编辑检查：过期审核、缺译文、无效来源、缺少助手需要的条目 / editorial checks: stale reviews, "
              "missing translations, dangling sources, missing required entries",
              "python -m knowledge check\n  python -m knowledge check --content knowledge/content"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description="随行知识库：双语、有出处的社会保险知识 / Suixing knowledge base: bilingual, cited social insurance answers",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="例 / examples:\n  " + "\n  ".join(example.split("\n")[0] for _, example in COMMANDS.values()))
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    sub.required = True

    def add(name: str) -> argparse.ArgumentParser:
        summary, example = COMMANDS[name]
        return sub.add_parser(name, help=summary, description=summary, epilog="例 / example:\n  " + example,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = add("build")
    p.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="内容文件夹 / content folder")
    p.add_argument("--sources", type=Path, default=None, help="来源登记表 / sources registry (default: next to the content folder, else knowledge/sources.yml)")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="输出数据库 / output database (default var/knowledge.db)")
    p.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")

    p = add("search")
    p.add_argument("query", help="搜索词 / what to search for")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="结果语言 / language of the results")
    p.add_argument("--type", choices=ENTRY_TYPES, default=None, help="只搜某类条目 / only entries of this type")
    p.add_argument("--limit", type=int, default=5, help="最多几条 / at most this many results (default 5)")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="数据库 / database")

    p = add("show")
    p.add_argument("id", help="条目 id / entry id")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="数据库 / database")

    p = add("stats")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="数据库 / database")

    p = add("check")
    p.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="内容文件夹 / content folder")
    p.add_argument("--sources", type=Path, default=None, help="来源登记表 / sources registry")
    return parser


def _open(db: Path) -> Optional[KnowledgeBase]:
    try:
        return KnowledgeBase(db)
    except KnowledgeBaseMissing as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_build(args) -> int:
    try:
        report = build(args.content, args.db, args.sources, progress=not args.quiet)
    except (OSError, sqlite3.Error) as exc:
        print(f"无法写入数据库 {args.db}（{exc}）；原数据库未改动。 / cannot write the database {args.db} ({exc}); "
              "the previous database is unchanged.", file=sys.stderr)
        return 1
    except BuildFailed as exc:
        errors = [p for p in exc.problems if p.level == "error"]
        files = len({p.path for p in errors})
        print(f"构建失败，{files} 个文件共 {len(errors)} 个问题；原数据库未改动。 / "
              f"Build failed: {len(errors)} problem(s) in {files} file(s); the previous database is unchanged.",
              file=sys.stderr)
        for problem in errors:
            print("  ✗ " + str(problem), file=sys.stderr)
        return 1
    for warning in report.warnings:
        print("  ! " + str(warning), file=sys.stderr)
    print(f"已生成 {report.db_path}：{report.entries} 个条目，{report.sources} 个来源，{len(report.warnings)} 个警告 / "
          f"wrote {report.db_path}: {report.entries} entries, {report.sources} sources, {len(report.warnings)} warning(s)")
    return 0


def cmd_search(args) -> int:
    kb = _open(args.db)
    if kb is None:
        return 2
    hits = kb.search(args.query, lang=args.lang, type=args.type, limit=args.limit)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关条目，可以换个说法，或拨打 12333。" if args.lang == "zh"
              else "Nothing found. Try other words, or call 12333.")
        return 0
    for rank, hit in enumerate(hits, 1):
        print(f"{rank}. {hit.title}  [{hit.type}] {hit.id}  ({hit.score:.2f})")
        print(f"   {hit.short}")
        if hit.citation:
            print(f"   {hit.citation}")
    return 0


def cmd_show(args) -> int:
    kb = _open(args.db)
    if kb is None:
        return 2
    entry = kb.get(args.id, args.lang)
    if entry is None:
        close = get_close_matches(args.id, kb.ids(), n=3)
        hint_zh = f"；是不是：{', '.join(close)}" if close else ""
        hint_en = f"; did you mean: {', '.join(close)}" if close else ""
        print(f"没有条目 {args.id}{hint_zh} / no entry {args.id}{hint_en}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2))
        return 0
    zh = args.lang == "zh"
    print(f"{entry.title}  [{entry.type}] {entry.id}")
    print(entry.short)
    print()
    print(entry.body.rstrip())
    if entry.steps:
        print()
        print("步骤：" if zh else "Steps:")
        for number, step in enumerate(entry.steps, 1):
            print(f"  {number}. {step.action}")
            print(f"     {'谁办' if zh else 'Who'}: {step.who}; {'在哪办' if zh else 'Where'}: {step.where}")
            if step.documents:
                print(f"     {'材料' if zh else 'Documents'}: {step.documents}")
            if step.deadline:
                print(f"     {'时限' if zh else 'Deadline'}: {step.deadline}")
    if entry.table:
        print()
        columns = entry.table["columns"]
        print(" | ".join(c["label"] for c in columns))
        for row in entry.table["rows"]:
            print(" | ".join("" if row.get(c["key"]) is None else str(row.get(c["key"])) for c in columns))
        print(entry.table["source_line"])
    print()
    if entry.local_variation:
        print("各地规定不同，请向当地社保经办机构或 12333 核实。" if zh
              else "Local rules differ: check with the local agency or call 12333.")
    if entry.confidence == "to_verify":
        print("部分内容待核实。" if zh else "Parts of this entry are still to be verified.")
    print(entry.citation)
    print(("审核日期：" if zh else "Reviewed: ") + entry.reviewed)
    return 0


def cmd_stats(args) -> int:
    kb = _open(args.db)
    if kb is None:
        return 2
    stats = kb.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print("表 / tables: " + ", ".join(f"{k} {v}" for k, v in stats["tables"].items()))
    print("类型 / types: " + ", ".join(f"{k} {v}" for k, v in stats["by_type"].items()))
    print("可信度 / confidence: " + ", ".join(f"{k} {v}" for k, v in stats["by_confidence"].items()))
    print(f"各地不同 / local variation: {stats['local_variation']}; 最早审核 / oldest review: {stats['oldest_review']}")
    return 0


def cmd_check(args) -> int:
    report = run_checks(args.content, args.sources)
    for problem in report.problems:
        mark = "✗" if problem.level == "error" else "!"
        print(f"  {mark} {problem}")
    print(f"{report.entries} 个条目：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒 / "
          f"{report.entries} entries: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return 1 if report.errors else 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = {"build": cmd_build, "search": cmd_search, "show": cmd_show, "stats": cmd_stats,
               "check": cmd_check}[args.command]
    return handler(args)
