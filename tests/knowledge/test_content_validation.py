"""Every kind of bad content fails the build with its path, the field and the reason in Chinese and English."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.build import BuildFailed, build, validate
from knowledge.schema import load_sources

from .conftest import FIXTURES, REPO

BAD = FIXTURES / "bad"

# case -> (field the problem must name, fragment of the Chinese reason, fragment of the English reason)
CASES = {
    "missing_field": ("short", "缺少必填字段", "required field is missing"),
    "unknown_key": ("titel", "不认识的字段", "unknown field"),
    "dangling_source": ("sources[0].id", "不在 knowledge/sources.yml", "not in knowledge/sources.yml"),
    "bad_date": ("reviewed", "日期无效", "invalid date"),
    "date_order": ("valid_until", "早于", "is before valid_from"),
    "missing_translation": ("title.en", "缺少英文译文", "missing English text"),
    "missing_translation_key": ("short.en", "缺少必填字段", "required field is missing"),
    "wrong_id": ("id", "与文件名", "does not match the file name"),
    "malformed_yaml": ("line 3", "YAML 格式错误", "malformed YAML"),
    "procedure_without_steps": ("steps", "必须有 steps", "needs steps"),
    "statistic_without_table": ("table", "必须有 table", "needs a table"),
    "no_sources": ("sources", "至少要引用一个来源", "must cite at least one source"),
    "short_too_long": ("short", "中文简答太长", "Chinese short answer too long"),
    "wrong_folder": ("type", "文件夹", "folder"),
    "bad_id_format": ("id", "小写字母", "lowercase letters"),
    "bad_enum": ("confidence", "取值无效", "must be one of"),
    "unquoted_comma": ("sources[0]", "英文逗号", "unquoted comma"),
    "not_a_mapping": ("", "应是一个映射", "must be a mapping"),
    "duplicate_key": ("line 15", "重复的键", "duplicate key 'aliases'"),
}


def _content_with(case: str, fixture_content: Path) -> Path:
    shutil.copytree(BAD / case, fixture_content, dirs_exist_ok=True)
    return fixture_content


def test_every_bad_fixture_has_a_case():
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(CASES)


def test_good_fixtures_validate(fixture_content):
    entries, sources, problems = validate(fixture_content, progress=False)
    assert [p for p in problems if p.level == "error"] == []
    assert len(entries) == 6


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_reported_with_path_field_and_reason(case, fixture_content):
    field, zh, en = CASES[case]
    bad_file = next((BAD / case).rglob("*.yml"))
    content = _content_with(case, fixture_content)
    with pytest.raises(BuildFailed) as failure:
        build(content, content.parent / "kb.db", progress=False)
    problems = [p for p in failure.value.problems if p.level == "error"]
    assert problems, "the build must name at least one problem"
    assert all(p.path.endswith(bad_file.name) for p in problems), [str(p) for p in problems]
    assert any(p.field == field and zh in p.message_zh and en in p.message_en for p in problems), \
        [str(p) for p in problems]
    # The bilingual line an editor reads contains the path, the field and both reasons.
    line = str(problems[0])
    assert bad_file.name in line and " / " in line


def test_all_bad_files_are_reported_not_only_the_first(fixture_content):
    for case in CASES:
        _content_with(case, fixture_content)
    with pytest.raises(BuildFailed) as failure:
        build(fixture_content, fixture_content.parent / "kb.db", progress=False)
    bad_paths = {Path(p.path).name for p in failure.value.problems if p.level == "error"}
    expected = {next((BAD / case).rglob("*.yml")).name for case in CASES}
    assert bad_paths == expected


def test_cli_build_prints_problems_without_traceback(fixture_content, tmp_path):
    for case in ("missing_field", "malformed_yaml", "dangling_source"):
        _content_with(case, fixture_content)
    result = subprocess.run(
        [sys.executable, "-m", "knowledge", "build", "--content", str(fixture_content), "--db",
         str(tmp_path / "kb.db"), "--quiet"],
        capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "构建失败" in result.stderr and "Build failed" in result.stderr
    for name in ("faq-missing-short.yml", "faq-malformed.yml", "faq-dangling-source.yml"):
        assert name in result.stderr
    assert not (tmp_path / "kb.db").exists()


def test_bad_sources_registry_is_reported(tmp_path):
    registry = tmp_path / "sources.yml"
    registry.write_text((FIXTURES / "sources.yml").read_text(encoding="utf-8")
                        + "- id: broken\n  title: {zh: 缺英文}\n  issuer: {zh: 某, en: X}\n  kind: law\n  colour: red\n",
                        encoding="utf-8")
    sources, problems = load_sources(registry, "sources.yml")
    fields = {p.field for p in problems}
    assert "[6](broken).title.en" in fields
    assert "[6](broken).colour" in fields
    assert "broken" not in sources and "shebao-law" in sources


def test_duplicate_ids_are_reported(fixture_content):
    copy = fixture_content / "faq" / "sub"
    copy.mkdir()
    shutil.copy(fixture_content / "faq" / "faq-retirement-age.yml", copy / "faq-retirement-age.yml")
    with pytest.raises(BuildFailed) as failure:
        build(fixture_content, fixture_content.parent / "kb.db", progress=False)
    assert any("duplicate id" in p.message_en for p in failure.value.problems)


def test_dangling_related_is_a_warning_not_a_failure(fixture_content):
    path = fixture_content / "faq" / "faq-retirement-age.yml"
    path.write_text(path.read_text(encoding="utf-8") + "related: [faq-does-not-exist]\n", encoding="utf-8")
    report = build(fixture_content, fixture_content.parent / "kb.db", progress=False)
    assert [(p.field, p.level) for p in report.warnings] == [("related[0]", "warning")]


def test_underscore_folders_are_not_content(fixture_content):
    drafts = fixture_content / "_fixtures" / "faq"
    drafts.mkdir(parents=True)
    (drafts / "broken.yml").write_text("not: [valid", encoding="utf-8")
    entries, _, problems = validate(fixture_content, progress=False)
    assert not [p for p in problems if p.level == "error"]
