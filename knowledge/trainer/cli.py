"""Command line: python -m knowledge.trainer charts | handout | quiz | story  (docs/trainer.md)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from knowledge.search import DEFAULT_DB

from .common import TrainerError, both, open_kb

COMMANDS = {
    "charts": ("为知识库里每个有数字的统计表画一张图（PNG）/ one PNG chart per statistic table with numbers",
               "python -m knowledge.trainer charts\n"
               "  python -m knowledge.trainer charts --lang en --out var/trainer/charts"),
    "handout": ("生成可打印的A4讲义（HTML）/ a printable A4 handout (HTML) of knowledge entries",
                "python -m knowledge.trainer handout --set migrant-basics --lang both\n"
                "  python -m knowledge.trainer handout procedure-pension-transfer myth-cash-out-when-leaving "
                "--lang zh --out var/trainer/transfer.html"),
    "quiz": ("测验：工友该怎么选的情景题、误区、办事步骤和常见问题；--audience policy 另加报告缩写（同一种子结果相同）/ "
             "a quiz: decisions workers face, myths, procedure steps and FAQs; --audience policy adds the report's "
             "abbreviations (the same seed gives the same quiz)",
             "python -m knowledge.trainer quiz --count 10 --seed 7\n"
             "  python -m knowledge.trainer quiz --lang en --format html --out var/trainer/quiz-en.html\n"
             "  python -m knowledge.trainer quiz --audience policy --count 12"),
    "story": ("讲案例：用规则引擎算报告中X先生等案例的各种选择（钱和年限）/ a worked story: the rules engine on the "
              "report's Mr X cases, options in money and years",
              "python -m knowledge.trainer story mr-x\n"
              "  python -m knowledge.trainer story mr-x --lang en --trace\n"
              "  python -m knowledge.trainer story rules_engine/examples/worker_jiangxi_guangdong.yml"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.trainer",
        description="随行培训材料：图表、讲义、测验、案例，全部来自知识库 / Suixing trainers' materials: charts, "
                    "handouts, quizzes and worked stories, all from the knowledge base",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="例 / examples:\n  " + "\n  ".join(example.split("\n")[0] for _, example in COMMANDS.values()))
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    sub.required = True

    def add(name: str) -> argparse.ArgumentParser:
        summary, example = COMMANDS[name]
        p = sub.add_parser(name, help=summary, description=summary, epilog="例 / example:\n  " + example,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--db", type=Path, default=DEFAULT_DB,
                       help="知识库文件 / knowledge base (default var/knowledge.db; build it with python -m knowledge build)")
        return p

    p = add("charts")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="图中文字的语言 / language of the charts (default zh)")
    p.add_argument("--out", type=Path, default=Path("var/trainer/charts"),
                   help="输出文件夹 / output folder (default var/trainer/charts)")
    p.add_argument("--id", action="append", dest="ids", metavar="ID",
                   help="只画这个统计条目（可重复）/ only this statistic entry (repeatable)")
    p.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")

    p = add("handout")
    p.add_argument("ids", nargs="*", metavar="ID", help="条目 id / entry ids, printed in this order")
    p.add_argument("--set", dest="set_name", help="预设的一组条目，如 migrant-basics / a predefined set, e.g. migrant-basics")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="zh",
                   help="语言：zh、en 或 both（中英对照）/ language: zh, en or both (default zh)")
    p.add_argument("--out", type=Path, default=None,
                   help="输出 HTML 文件 / output HTML file (default var/trainer/handout-<set or first id>-<lang>.html)")

    p = add("quiz")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language (default zh)")
    p.add_argument("--count", type=int, default=10, help="题数 / number of questions (default 10)")
    p.add_argument("--audience", choices=("worker", "policy"), default="worker",
                   help="对象：worker（工友，不考缩写）或 policy（政策人员，含报告缩写）/ audience: worker (no acronyms) "
                        "or policy (adds the report's abbreviations) (default worker)")
    p.add_argument("--seed", type=int, default=0, help="随机种子，同一种子生成同一份测验 / seed: the same seed gives the same quiz (default 0)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text", help="输出格式 / output format (default text)")
    p.add_argument("--out", type=Path, default=None, help="写入文件（默认打印）/ write to this file (default: print)")

    p = add("story")
    p.add_argument("id", metavar="ID", help="案例名（mr-x、jiangxi-worker）或档案文件 / story name (mr-x, jiangxi-worker) "
                                           "or a profile file")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language (default zh)")
    p.add_argument("--trace", action="store_true", help="同时打印逐步依据 / also print the step-by-step reasoning")
    p.add_argument("--out", type=Path, default=Path("var/trainer/stories"),
                   help="图表输出文件夹 / folder for the chart (default var/trainer/stories)")
    p.add_argument("--no-chart", action="store_true", help="不画图 / no chart")
    return parser


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(both("wrote", path=path), file=sys.stderr)


def cmd_charts(args) -> int:
    from .charts import draw_all
    with open_kb(args.db) as kb:
        results = draw_all(kb, lang=args.lang, out_dir=args.out, progress=not args.quiet, ids=args.ids)
    for result in results:
        print(result.path)
    print(both("wrote_n", n=len(results), path=args.out), file=sys.stderr)
    return 0


def cmd_handout(args) -> int:
    from .handout import render_handout, set_ids
    ids = list(args.ids)
    if args.set_name:
        ids = set_ids(args.set_name) + [i for i in ids if i not in set_ids(args.set_name)]
    if not ids:
        raise TrainerError(both("no_ids"))
    out = args.out or Path("var/trainer") / f"handout-{args.set_name or ids[0]}-{args.lang}.html"
    with open_kb(args.db) as kb:
        html = render_handout(kb, ids, lang=args.lang, set_name=args.set_name)
    _write(out, html)
    return 0


def cmd_quiz(args) -> int:
    from .quiz import FORMATTERS, make_quiz
    with open_kb(args.db) as kb:
        questions = make_quiz(kb, lang=args.lang, count=args.count, seed=args.seed, audience=args.audience)
    if len(questions) < args.count:
        print(both("quiz_too_few", n=len(questions), count=args.count), file=sys.stderr)
    text = FORMATTERS[args.format](questions, args.lang, args.seed)
    if args.out:
        _write(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_story(args) -> int:
    from .story import tell_story
    with open_kb(args.db) as kb:
        story = tell_story(kb, args.id, lang=args.lang, chart_dir=None if args.no_chart else args.out, trace=args.trace)
    sys.stdout.write(story.text)
    return 0


HANDLERS = {"charts": cmd_charts, "handout": cmd_handout, "quiz": cmd_quiz, "story": cmd_story}


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except TrainerError as exc:
        print(str(exc), file=sys.stderr)
        return 1
