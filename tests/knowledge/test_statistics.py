"""The eight tables of the ILO/IOM 2019 report, as built from the REAL content, equal the report's figures.

The expected figures below were copied by hand from the seed report
(/work/shared/seed/ilo-iom-2019-improving-social-protection-internal-migrant-workers-china.txt, Tables 1-8),
independently of the content entries. A table is found by its citation of the report ("表N" / "Table N");
each expected row must appear in it: a cell holding the row label, and the row's numbers in column order
(extra columns such as Chinese names are allowed). "n.a." / "-" in the report must be empty (null) cells.
"""
from __future__ import annotations

import json
import re
import sqlite3

import pytest

NA = None   # "n.a." or "-" in the report

# table number -> (year, [(label alternatives, [numbers in column order]), ...])
REPORT_TABLES = {
    1: (2017, [
        (("BPI-UE",), [292.68, 69, 62.02, 22]),
        (("BMCI-UE",), [222.88, 52, 62.25, 22]),
        (("UI",), [187.84, 44, 48.97, 17]),
        (("EII",), [227.24, 54, 78.07, 27]),
        (("MI",), [193.00, 45, NA, NA]),
    ]),
    2: (2017, [
        (("BPI-RUR",), [512.55, 159.98]),
        (("BMCI-RUR",), [873.59]),
    ]),
    3: (2010, [
        (("The whole country", "全国"), [85.87, 56.72, 66]),
        (("The whole country", "全国"), [85.87, 40.27, 47]),
        (("Beijing", "北京"), [7.04, 3.97, 56]),
        (("Shanghai", "上海"), [6.00, 8.98, 67]),
        (("Jiangsu", "江苏"), [5.05, 7.38, 68]),
        (("Zhejiang", "浙江"), [7.78, 11.82, 66]),
        (("Guangdong", "广东"), [14.97, 21.50, 70]),
        (("Anhui", "安徽"), [9.62, 8.34, 87]),
        (("Henan", "河南"), [8.63, 5.77, 67]),
        (("Hunan", "湖南"), [7.23, 6.02, 83]),
        (("Hubei", "湖北"), [5.89, 4.38, 74]),
        (("Sichuan", "四川"), [8.91, 5.94, 67]),
    ]),
    4: (2010, [
        (("Work & business", "务工经商"), [64.13]),
        (("Job transfer", "工作调动"), [2.13]),
        (("Accompanying family members", "随迁家属"), [7.97]),
        (("Marriage", "婚姻嫁娶"), [2.20]),
        (("Education", "学习培训"), [3.78]),
        (("Visiting or reunion with family or relatives", "投亲靠友"), [2.80]),
        (("Relocation", "拆迁搬家"), [0.74]),
        (("Other", "其他"), [2.13]),
        (("Total", "合计"), [85.88]),
    ]),
    5: (2017, [
        (("Total", "合计"), [171.85, 76.75, 95.10, 100.0, 44.7, 55.3]),
        (("Eastern region", "东部"), [47.14, 8.26, 38.88, 100.0, 17.5, 82.5]),
        (("Central region", "中部"), [63.92, 39.18, 24.74, 100.0, 61.3, 38.7]),
        (("Western region", "西部"), [54.70, 27.87, 26.83, 100.0, 51.0, 49.0]),
        (("North-eastern region", "东北"), [6.09, 1.44, 4.65, 100.0, 23.6, 76.4]),
    ]),
    6: (2017, [
        (("BPI-UE",), [292.68, 69, 62.02, 22]),
        (("BMCI-UE",), [222.89, 52, 62.25, 22]),     # 222.89 here, 222.88 in Table 1: as printed
        (("UI",), [187.84, 44, 48.97, 17]),
        (("EII",), [227.24, 54, 78.07, 27]),
        (("MI",), [193.00, 45, NA, NA]),
    ]),
    7: (2010, [((name,), [number]) for name, number in [
        ("Guangdong", 1871182), ("Zhejiang", 1529896), ("Fujian", 948654), ("Shanghai", 487192),
        ("Jiangsu", 264814), ("Beijing", 141197), ("Hunan", 71968), ("Hubei", 57905), ("Anhui", 39952),
        ("Guangxi", 39719), ("Yunnan", 36306), ("Tianjin", 33762), ("Sichuan", 32048), ("Shandong", 31113),
        ("Hainan", 29470), ("Guizhou", 22008), ("Hebei", 20274), ("Henan", 19261), ("Shaanxi", 17769),
        ("Chongqing", 15784), ("Inner Mongolia", 14863), ("Liaoning", 13284), ("Shanxi", 11886),
        ("Xinjiang", 9863), ("Gansu", 7144), ("Heilongjiang", 7041), ("Jilin", 5034), ("Qinghai", 3564),
        ("Ningxia", 3399), ("Tibet", 1043)]]),
    8: (None, [
        (("2010",), [10534, 3972, 6640, 1066, 94.957, 80.763]),
        (("2011",), [17151, 4250, 12136, 1337, 132.223, 51.396]),
        (("2012",), [29775, 7722, 15007, 861, 375.389, 192.908]),
        (("2013",), [35718, 7880, 18190, 1466, 496.602, 271.198]),
        (("2014",), [48826, 10096, 19501, 1725, 661.183, 285.299]),
        (("2015",), [47378, 8628, 22207, 4274, 877.634, 412.747]),
        (("2016",), [53057, 9060, 25166, 3445, 1117.548, 481.368]),
        (("2017",), [56800, 11387, 25259, 2694, 1175.882, 450.454]),
        (("2018",), [54195, 9735, 25865, 2510, 1351.445, 613.463]),
        (("Total", "合计"), [353434, 72730, 169971, 19378, 6282.862, 2839.590]),
    ]),
}


def _number(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text.lower() in ("", "n.a.", "n.a", "na", "-", "—", "–"):
        return None
    cleaned = re.sub(r"[\s,\u00a0\u202f%]", "", text)
    try:
        return float(cleaned)
    except ValueError:
        return "text"


def _cells(row: dict, columns: list[str]) -> list:
    return [row.get(key) for key in columns]


def _texts(cell) -> list[str]:
    if isinstance(cell, dict):
        return [str(v) for v in cell.values()]
    return [] if cell is None else [str(cell)]


def _row_matches(row: dict, columns: list[str], labels: tuple[str, ...], numbers: list) -> bool:
    cells = _cells(row, columns)
    texts = [t for cell in cells for t in _texts(cell)]
    if not any(label.lower() in t.lower() for label in labels for t in texts):
        return False
    # numeric / empty cells in column order (text cells are skipped), expected numbers as a subsequence
    values = [_number(c if not isinstance(c, dict) else c.get("en")) for c in cells]
    values = [v for v in values if v != "text"]
    position = 0
    for expected in numbers:
        while position < len(values):
            actual = values[position]
            position += 1
            if expected is None and actual is None:
                break
            if expected is not None and actual is not None and abs(actual - float(expected)) < 1e-9:
                break
        else:
            return False
    return True


def _report_tables(real_db) -> dict[int, list[tuple[str, dict]]]:
    conn = sqlite3.connect(real_db)
    found: dict[int, list[tuple[str, dict]]] = {}
    rows = conn.execute("SELECT e.id, e.table_json, group_concat(es.article, ' ') FROM entries e "
                        "LEFT JOIN entry_sources es ON es.entry_id = e.id AND es.source_id = 'ilo-iom-2019' "
                        "WHERE e.type = 'statistic' GROUP BY e.id").fetchall()
    conn.close()
    for entry_id, table_json, articles in rows:
        table = json.loads(table_json)
        where = " ".join([articles or "", table["source_line"]["en"], table["source_line"]["zh"]])
        for number in REPORT_TABLES:
            if re.search(rf"(表\s*{number}(?!\d))|(Table\s+{number}(?!\d))", where):
                found.setdefault(number, []).append((entry_id, table))
    return found


@pytest.mark.parametrize("number", sorted(REPORT_TABLES))
def test_report_table_equals_the_report(real_db, number):
    tables = _report_tables(real_db).get(number)
    assert tables, f"no statistic entry cites Table {number} of the ILO/IOM 2019 report (表{number})"
    year, expected_rows = REPORT_TABLES[number]
    problems_by_entry = {}
    for entry_id, table in tables:
        columns = [c["key"] for c in table["columns"]]
        missing = [(labels[0], numbers) for labels, numbers in expected_rows
                   if not any(_row_matches(row, columns, labels, numbers) for row in table["rows"])]
        if year is not None and str(table["year"]) != str(year):
            missing.append(("year", [table["year"], "expected", year]))
        if not missing:
            return
        problems_by_entry[entry_id] = missing
    pytest.fail(f"Table {number} differs from the report: {problems_by_entry}")


def test_every_report_table_has_a_source_line(real_db):
    for number, tables in _report_tables(real_db).items():
        for entry_id, table in tables:
            assert table["source_line"]["zh"].strip() and table["source_line"]["en"].strip(), entry_id
            assert re.search(r"[Ss]ource", table["source_line"]["en"]), entry_id


def test_matcher_rejects_a_wrong_figure():
    """The row matcher must be able to fail: a changed digit or a missing null is not accepted."""
    columns = ["scheme", "n", "pct"]
    assert _row_matches({"scheme": "UI", "n": 187.84, "pct": 44}, columns, ("UI",), [187.84, 44])
    assert not _row_matches({"scheme": "UI", "n": 187.85, "pct": 44}, columns, ("UI",), [187.84, 44])
    assert not _row_matches({"scheme": "UI", "n": 187.84, "pct": 0}, columns, ("UI",), [187.84, NA])
    assert not _row_matches({"scheme": "EII", "n": 187.84, "pct": 44}, columns, ("UI",), [187.84, 44])
    assert _row_matches({"scheme": {"zh": "失业保险", "en": "UI"}, "n": "1 871 182", "pct": "n.a."}, columns,
                        ("UI",), [1871182, NA])
