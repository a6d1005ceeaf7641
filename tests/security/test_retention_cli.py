"""python -m suixing.retention: counts with --dry-run, deletes old cases, refuses a bad --days with a clear line."""
from __future__ import annotations

from suixing import cases, retention


def test_dry_run_counts_and_a_real_run_deletes_old_cases(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASES_DIR", str(tmp_path / "cases"))
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "missing.db"))
    monkeypatch.setenv("CHARTS_DIR", str(tmp_path / "charts"))
    cases.save({"case_id": "20200101-000000-aaaaaa", "created": "2020-01-01T00:00:00+00:00", "language": "zh",
                "open_question": []})
    assert retention.main(["--dry-run"]) == 0
    assert "would remove 0 conversations, 1 cases" in capsys.readouterr().out
    assert list((tmp_path / "cases").glob("*.json"))
    assert retention.main([]) == 0
    assert not list((tmp_path / "cases").glob("*.json"))


def test_bad_days_is_a_bilingual_message_not_a_traceback(capsys):
    assert retention.main(["--days", "0"]) == 2
    error = capsys.readouterr().err
    assert "at least 1" in error and "至少" in error
