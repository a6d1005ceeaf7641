"""The 31 provincial-level divisions of mainland China and the many ways people write them.

``normalize_province(text)`` accepts a Chinese name with or without its suffix (广东 / 广东省, 内蒙古自治区 /
内蒙古 / 内蒙), the one-character abbreviation (粤), pinyin or English (Guangdong, Inner Mongolia, Xizang / Tibet)
and the GB/T 2260 code (44 or 440000), and returns the six-digit GB/T 2260 code ("440000") or None.
Pure data and string handling: importing this module loads nothing else.
"""
from __future__ import annotations

import re

# code, full Chinese name, short name, English name, other accepted forms (abbreviation, pinyin variants, colloquial)
_TABLE = [
    ("110000", "北京市", "北京", "Beijing", ["京", "Peking", "Pekin"]),
    ("120000", "天津市", "天津", "Tianjin", ["津", "Tientsin"]),
    ("130000", "河北省", "河北", "Hebei", ["冀", "Hopeh", "Hopei"]),
    ("140000", "山西省", "山西", "Shanxi", ["晋", "Shansi"]),
    ("150000", "内蒙古自治区", "内蒙古", "Inner Mongolia", ["内蒙", "蒙", "Nei Mongol", "Neimenggu", "Nei Menggu",
                                                      "Inner Mongolia Autonomous Region"]),
    ("210000", "辽宁省", "辽宁", "Liaoning", ["辽"]),
    ("220000", "吉林省", "吉林", "Jilin", ["吉", "Kirin"]),
    ("230000", "黑龙江省", "黑龙江", "Heilongjiang", ["黑", "Heilungkiang"]),
    ("310000", "上海市", "上海", "Shanghai", ["沪", "申"]),
    ("320000", "江苏省", "江苏", "Jiangsu", ["苏", "Kiangsu"]),
    ("330000", "浙江省", "浙江", "Zhejiang", ["浙", "Chekiang"]),
    ("340000", "安徽省", "安徽", "Anhui", ["皖", "Anhwei"]),
    ("350000", "福建省", "福建", "Fujian", ["闽", "Fukien"]),
    ("360000", "江西省", "江西", "Jiangxi", ["赣", "Kiangsi"]),
    ("370000", "山东省", "山东", "Shandong", ["鲁", "Shantung"]),
    ("410000", "河南省", "河南", "Henan", ["豫", "Honan"]),
    ("420000", "湖北省", "湖北", "Hubei", ["鄂", "Hupeh", "Hupei"]),
    ("430000", "湖南省", "湖南", "Hunan", ["湘"]),
    ("440000", "广东省", "广东", "Guangdong", ["粤", "Kwangtung", "Canton"]),
    ("450000", "广西壮族自治区", "广西", "Guangxi", ["桂", "广西自治区", "Kwangsi", "Guangxi Zhuang Autonomous Region"]),
    ("460000", "海南省", "海南", "Hainan", ["琼"]),
    ("500000", "重庆市", "重庆", "Chongqing", ["渝", "Chungking"]),
    ("510000", "四川省", "四川", "Sichuan", ["川", "蜀", "Szechwan", "Szechuan"]),
    ("520000", "贵州省", "贵州", "Guizhou", ["贵", "黔", "Kweichow"]),
    ("530000", "云南省", "云南", "Yunnan", ["云", "滇"]),
    ("540000", "西藏自治区", "西藏", "Tibet", ["藏", "Xizang", "Tibet Autonomous Region"]),
    ("610000", "陕西省", "陕西", "Shaanxi", ["陕", "秦", "Shensi"]),
    ("620000", "甘肃省", "甘肃", "Gansu", ["甘", "陇", "Kansu"]),
    ("630000", "青海省", "青海", "Qinghai", ["青", "Tsinghai"]),
    ("640000", "宁夏回族自治区", "宁夏", "Ningxia", ["宁", "宁夏自治区", "Ningsia", "Ningxia Hui Autonomous Region"]),
    ("650000", "新疆维吾尔自治区", "新疆", "Xinjiang", ["新", "新疆自治区", "Sinkiang",
                                                  "Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur"]),
]

CODES: tuple[str, ...] = tuple(row[0] for row in _TABLE)
_NAMES = {row[0]: {"zh": row[2], "zh_full": row[1], "en": row[3]} for row in _TABLE}

_SUFFIXES_ZH = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_SUFFIXES_EN = ("autonomousregion", "municipality", "province", "sheng", "shi")


def _key(text: str) -> str:
    return re.sub(r"[\s\-_'’.,·]", "", text).lower()


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, full, short, en, others in _TABLE:
        for form in (code, code[:2], full, short, en, *others):
            index[_key(form)] = code
    return index


_INDEX = _build_index()


def normalize_province(text) -> str | None:
    """Six-digit GB/T 2260 code of a province written in any common way, or None when it is not one of the 31.

    >>> normalize_province("广东"), normalize_province("内蒙"), normalize_province("Guangxi"), normalize_province(44)
    ('440000', '150000', '450000', '440000')
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        return None
    key = _key(text)
    if not key:
        return None
    code = _INDEX.get(key)
    if code:
        return code
    for suffix in _SUFFIXES_ZH:
        if key.endswith(suffix) and len(key) > len(suffix):
            code = _INDEX.get(key[: -len(suffix)])
            if code:
                return code
    for suffix in _SUFFIXES_EN:
        if key.endswith(suffix) and len(key) > len(suffix):
            code = _INDEX.get(key[: -len(suffix)])
            if code:
                return code
    # "44xxxx" city/county codes belong to the province of their first two digits
    if key.isdigit() and len(key) == 6:
        return _INDEX.get(key[:2])
    return None


def province_name(code: str, lang: str = "zh", full: bool = False) -> str:
    """Name of a province by code (any form normalize_province accepts), in Chinese or English."""
    norm = normalize_province(code) or code
    names = _NAMES.get(norm)
    if names is None:
        raise KeyError(f"unknown province code {code!r}")
    if lang == "en":
        return names["en"]
    return names["zh_full"] if full else names["zh"]


def all_provinces() -> list[dict]:
    """[{code, zh, zh_full, en}] for the 31 provinces, in code order."""
    return [{"code": code, **_NAMES[code]} for code in CODES]
