"""Command line: ``python -m rules_engine assess PROFILE [--on DATE] [--lang zh|en] [--json]`` and
``python -m rules_engine schema``. Bad input prints a bilingual message and exits with status 2 (no traceback)."""
from __future__ import annotations

import argparse
import json
import sys

EPILOG_ASSESS = """examples:
  python -m rules_engine assess rules_engine/examples/mr_x_a.yml
  python -m rules_engine assess rules_engine/examples/worker_jiangxi_guangdong.yml --lang en
  python -m rules_engine assess my_profile.yml --on 2029-12-31 --json > result.json

PROFILE is a YAML or JSON file (see `python -m rules_engine schema` and docs/rules_engine.md), or - for stdin.
Exit status: 0 ok, 2 invalid profile or arguments (message in Chinese and English)."""

EPILOG_SCHEMA = """examples:
  python -m rules_engine schema                 # both schemas
  python -m rules_engine schema --which input   # the profile only"""

EPILOG_MAIN = """examples:
  python -m rules_engine assess rules_engine/examples/mr_x_a.yml --lang en
  python -m rules_engine assess profile.json --json
  python -m rules_engine schema --which output

Every answer carries a trace with the documents it relies on (document number, article, effective date)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's default is English only
        self.print_usage(sys.stderr)
        print(f"参数错误 / Invalid arguments: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m rules_engine",
                     description="China's social-insurance rules for migrant workers: retirement age, minimum years, "
                                 "pension place, transfers, options, with citations. 社保规则引擎。",
                     epilog=EPILOG_MAIN, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="{assess,schema}", parser_class=_Parser)
    p = sub.add_parser("assess", help="assess a profile and print a report (or JSON)",
                       description="Assess one person's profile on a date: retirement, minimum years, contribution "
                                   "years, pension-paying place, transfers, pension estimate, options, with a trace.",
                       epilog=EPILOG_ASSESS, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("profile", help="profile file (YAML/JSON) or - for stdin")
    p.add_argument("--on", metavar="DATE", help="date to apply the rules for, YYYY-MM-DD (default: as_of, else today)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report (default zh)")
    p.add_argument("--json", action="store_true", help="print the full result as JSON instead of a report")
    s = sub.add_parser("schema", help="print the JSON Schemas of the input profile and of the output",
                       description="Print the JSON Schemas of the profile (input) and the assessment (output).",
                       epilog=EPILOG_SCHEMA, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--which", choices=("input", "output", "both"), default="both")
    return parser


def _read_profile(arg: str):
    if arg == "-":
        import yaml
        from rules_engine.errors import ProfileError
        from rules_engine.profile import message
        try:
            return yaml.safe_load(sys.stdin.read())
        except yaml.YAMLError as exc:
            raise ProfileError([message("-", "not_yaml", {"value": str(exc).splitlines()[0]})]) from None
    return arg


def report(result, lang: str) -> str:
    from rules_engine import explain
    head = {"zh": "结论", "en": "Summary"}[lang]
    why = {"zh": "依据（逐步）", "en": "How this was worked out"}[lang]
    lines = [f"== {head} ({result.as_of}) =="]
    lines += [f"* {b}" for b in explain.render_summary(result, lang)]
    lines += ["", f"== {why} =="]
    lines += [f"{i}. {line}" for i, line in enumerate(explain.render_trace(result.trace, lang), 1)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "schema":
        from rules_engine.schema import schemas
        out = schemas()
        print(json.dumps(out if args.which == "both" else out[args.which], ensure_ascii=False, indent=2))
        return 0
    from rules_engine import ProfileError, assess
    try:
        result = assess(_read_profile(args.profile), on=args.on)
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        if args.json:
            print(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2))
        return 2
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(report(result, args.lang))
    return 0
