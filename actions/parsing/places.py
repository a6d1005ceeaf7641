"""Places in an answer: provinces (from `rules_engine.provinces`) and major cities mapped to their province.

A spaCy blank("zh") pipeline with an EntityRuler: phrase patterns for every province name (full, short, English,
pinyin) and city name, each labelled with the province's GB/T 2260 code. "广东东莞八年多" → 广东 (440000), 东莞
(440000). No statistical model is needed or downloaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .common import clip

# Prefecture-level cities that migrants name most, by province code (GB/T 2260). Ambiguous names left out.
CITIES: dict[str, list[str]] = {
    "110000": [], "120000": ["滨海新区"], "310000": ["浦东"], "500000": ["万州", "涪陵"],
    "130000": ["石家庄", "唐山", "保定", "廊坊", "邯郸", "邢台", "沧州", "衡水", "秦皇岛", "张家口", "承德"],
    "140000": ["太原", "大同", "长治", "晋城", "运城", "临汾", "晋中", "吕梁", "忻州", "阳泉", "朔州"],
    "150000": ["呼和浩特", "包头", "鄂尔多斯", "赤峰", "通辽", "呼伦贝尔", "乌海", "巴彦淖尔", "乌兰察布"],
    "210000": ["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "葫芦岛"],
    "220000": ["长春", "四平", "通化", "白山", "松原", "白城", "延边", "辽源"],
    "230000": ["哈尔滨", "齐齐哈尔", "牡丹江", "佳木斯", "大庆", "鸡西", "鹤岗", "双鸭山", "伊春", "七台河", "黑河", "绥化"],
    "320000": ["南京", "苏州", "无锡", "常州", "南通", "扬州", "镇江", "泰州", "徐州", "盐城", "淮安", "连云港", "宿迁",
               "昆山", "江阴", "张家港", "常熟"],
    "330000": ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌", "慈溪"],
    "340000": ["合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安",
               "亳州", "池州", "宣城"],
    "350000": ["福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德", "晋江", "石狮"],
    "360000": ["南昌", "九江", "赣州", "吉安", "宜春", "抚州", "上饶", "景德镇", "萍乡", "新余", "鹰潭"],
    "370000": ["济南", "青岛", "烟台", "潍坊", "淄博", "临沂", "济宁", "威海", "日照", "德州", "聊城", "滨州", "菏泽",
               "枣庄", "东营", "泰安"],
    "410000": ["郑州", "洛阳", "开封", "新乡", "安阳", "南阳", "商丘", "周口", "驻马店", "信阳", "许昌", "平顶山",
               "焦作", "濮阳", "漯河", "三门峡", "鹤壁"],
    "420000": ["武汉", "宜昌", "襄阳", "荆州", "十堰", "黄冈", "孝感", "荆门", "鄂州", "黄石", "咸宁", "随州", "恩施"],
    "430000": ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底"],
    "440000": ["广州", "深圳", "东莞", "佛山", "中山", "珠海", "惠州", "江门", "肇庆", "汕头", "湛江", "茂名", "清远",
               "韶关", "揭阳", "潮州", "梅州", "汕尾", "河源", "阳江", "云浮"],
    "450000": ["南宁", "柳州", "桂林", "梧州", "北海", "玉林", "贵港", "百色", "钦州", "河池", "防城港", "来宾", "崇左", "贺州"],
    "460000": ["海口", "三亚", "儋州"],
    "510000": ["成都", "绵阳", "德阳", "宜宾", "南充", "泸州", "达州", "乐山", "内江", "自贡", "遂宁", "广安", "眉山",
               "资阳", "巴中", "攀枝花", "雅安", "广元", "凉山"],
    "520000": ["贵阳", "遵义", "六盘水", "安顺", "毕节", "铜仁", "黔南", "黔东南"],
    "530000": ["昆明", "曲靖", "玉溪", "大理", "红河", "昭通", "丽江", "楚雄", "西双版纳"],
    "540000": ["拉萨", "日喀则"],
    "610000": ["西安", "宝鸡", "咸阳", "渭南", "汉中", "榆林", "延安", "安康", "商洛", "铜川"],
    "620000": ["兰州", "天水", "白银", "酒泉", "张掖", "武威", "定西", "陇南", "平凉", "庆阳", "嘉峪关", "金昌"],
    "630000": ["西宁", "海东"],
    "640000": ["银川", "石嘴山", "吴忠", "固原", "中卫"],
    "650000": ["乌鲁木齐", "克拉玛依", "喀什", "伊犁", "库尔勒", "哈密", "阿克苏", "石河子"],
}
# Districts and county-level cities that workers name instead of the city (unambiguous names only)
DISTRICTS: dict[str, list[str]] = {
    "440000": ["宝安", "龙岗", "龙华", "光明新区", "坪山", "番禺", "花都", "增城", "从化", "顺德", "虎门", "厚街", "塘厦",
               "长安镇", "凤岗", "樟木头", "石碣", "大朗", "惠阳"],
    "330000": ["萧山", "余杭", "余姚", "乐清", "瑞安", "诸暨", "海宁", "桐乡", "永康", "东阳", "温岭", "北仑", "鄞州"],
    "320000": ["太仓", "吴江", "江宁", "宜兴", "丹阳", "靖江", "海门", "如皋"],
    "310000": ["闵行", "松江", "嘉定", "青浦", "奉贤", "宝山", "金山区", "崇明"],
    "110000": ["海淀", "昌平", "大兴", "顺义", "丰台", "亦庄"],
    "350000": ["福清", "南安", "惠安"],
    "370000": ["即墨", "胶州", "黄岛"],
}
CITIES_EN: dict[str, list[str]] = {
    "440000": ["Guangzhou", "Canton", "Shenzhen", "Dongguan", "Foshan", "Zhongshan", "Zhuhai", "Huizhou"],
    "330000": ["Hangzhou", "Ningbo", "Wenzhou", "Yiwu", "Jiaxing", "Shaoxing", "Taizhou"],
    "320000": ["Nanjing", "Suzhou", "Wuxi", "Changzhou", "Kunshan", "Nantong", "Xuzhou"],
    "350000": ["Xiamen", "Fuzhou", "Quanzhou", "Jinjiang"],
    "370000": ["Jinan", "Qingdao", "Yantai", "Weifang"],
    "510000": ["Chengdu", "Mianyang"], "500000": [], "420000": ["Wuhan"], "430000": ["Changsha"],
    "410000": ["Zhengzhou", "Luoyang"], "610000": ["Xi'an", "Xian"], "340000": ["Hefei", "Wuhu"],
    "360000": ["Nanchang", "Ganzhou", "Jiujiang"], "530000": ["Kunming"], "520000": ["Guiyang"],
    "450000": ["Nanning", "Liuzhou", "Guilin"], "210000": ["Shenyang", "Dalian"], "230000": ["Harbin"],
    "220000": ["Changchun"], "130000": ["Shijiazhuang", "Tangshan"], "140000": ["Taiyuan"],
    "620000": ["Lanzhou"], "650000": ["Urumqi"], "460000": ["Haikou", "Sanya"],
}


@dataclass(frozen=True)
class Place:
    province: str          # six-digit GB/T 2260 code
    city: str | None       # city as written (Chinese or English), None for a province mention
    start: int             # character offsets in the text searched
    end: int


def _province_forms() -> list[tuple[str, str]]:
    """(form, code) for every province name form of two or more characters (one-character abbreviations like 新/云
    are common words, so they are left out)."""
    from rules_engine import provinces

    forms: list[tuple[str, str]] = []
    table = getattr(provinces, "_TABLE", None)
    if table:
        for code, full, short, en, others in table:
            for form in (full, short, en, *others):
                if len(form) >= 2:
                    forms.append((form, code))
    else:
        for row in provinces.all_provinces():
            for key in ("zh", "zh_full", "en"):
                forms.append((row[key], row["code"]))
    return forms


@lru_cache(maxsize=1)
def _pipeline():
    import spacy

    nlp = spacy.blank("zh")  # character segmentation: every name is a sequence of character tokens
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns = []
    for form, code in _province_forms():
        patterns.append({"label": "PROVINCE", "pattern": form, "id": code})
    for code, names in CITIES.items():
        for name in names:
            patterns.append({"label": "CITY", "pattern": name + "市", "id": code})
            patterns.append({"label": "CITY", "pattern": name, "id": code})
    for code, names in DISTRICTS.items():
        for name in names:
            patterns.append({"label": "CITY", "pattern": name, "id": code})
    for code, names in CITIES_EN.items():
        for name in names:
            patterns.append({"label": "CITY", "pattern": name, "id": code})
    ruler.add_patterns(patterns)
    return nlp


def _latin_boundary(text: str, start: int, end: int) -> bool:
    """An English name must not be part of a longer word ("Anhui" inside "Xanhuib")."""
    if not re.match(r"[A-Za-z]", text[start:end]):
        return True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


def find_places(text: str | None) -> list[Place]:
    """Provinces and cities in order of appearance; the longest match wins where names overlap."""
    if not text:
        return []
    text = clip(text)
    doc = _pipeline()(text)
    places = []
    for ent in doc.ents:
        if not _latin_boundary(text, ent.start_char, ent.end_char):
            continue
        city = ent.text if ent.label_ == "CITY" else None
        if city and city.endswith("市") and len(city) > 2:
            city = city[:-1]
        places.append(Place(province=ent.ent_id_, city=city, start=ent.start_char, end=ent.end_char))
    return places


_HUKOU_BEFORE = re.compile(r"(户口|户籍|老家|家乡|家在|户口在|户籍在|老家在|老家是|户口是|户籍是|hukou (?:is )?(?:in )?|"
                           r"hometown (?:is )?(?:in )?|i'?m from|i am from|comes? from)\s*(是|在|的)?\s*$", re.IGNORECASE)
_HUKOU_AFTER = re.compile(r"^\s*(人(?![社民])|户口|户籍|的户口|农村户口|农业户口|籍|hukou)", re.IGNORECASE)
# "老家" also comes before a place of work ("回老家长沙干了3年"): the hukou only when nothing about work follows
_HOME_WORDS = re.compile(r"(老家|家乡|家在)\S{0,2}$")
_HOME_END = re.compile(r"^\s*(的|人|是|[,，。;；!！]|$)")


def is_hukou_mention(text: str, place: Place) -> bool:
    """"我是湖南人", "户口在江西", "河南户口", "hukou in Sichuan": the place is the hukou, not a place of work."""
    before = text[max(0, place.start - 12):place.start]
    if _HUKOU_AFTER.match(text[place.end:]):
        return True
    match = _HUKOU_BEFORE.search(before)
    if not match:
        return False
    preceding = before[:match.start()]
    if any(p.end == len(preceding) for p in find_places(preceding)):
        return False      # "安徽户口 上海10年": the word belongs to the place before it
    if _HOME_WORDS.search(before) and not _HOME_END.match(text[place.end:]):
        return False
    return True


def find_province(text: str | None) -> str | None:
    """The first province named (directly or through a city), as a GB/T 2260 code."""
    from rules_engine.provinces import normalize_province

    code = normalize_province((text or "").strip())
    if code:
        return code
    places = find_places(text)
    return places[0].province if places else None
