"""Text processing shared by the build and the search: normalisation, jieba segmentation with the domain
dictionary, character bigrams, stop words and colloquial synonyms.

The same functions segment the index and the query, so a word is always cut the same way on both sides.
"""
from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata
from pathlib import Path
from typing import Iterable

import jieba

DOMAIN_DICT = Path(__file__).with_name("jieba_dict.txt")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_TAG = re.compile(r"<[^>]{0,200}>")
_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,200}>.*?</\1\s*>", re.S | re.I)
_WORD = re.compile(f"[{_CJK}]+|[0-9a-z]+(?:['’][a-z]+)?")

# Words that carry no topic. Chinese ones as migrant workers type them; English ones as anyone types them.
STOP_ZH = set("""我 我的 我们 你 你们 他 她 它 的 地 得 了 着 过 吗 嘛 呢 吧 啊 呀 哦 哈 是 在 能 能不能 可以 可不可以
怎么 怎么样 怎样 如何 什么 啥 咋 咋办 怎么办 办 想 要 会 有 没 没有 还 就 都 也 和 跟 与 或 给 被 把 这 那 这个 那个 个
一下 请问 问 问问 知道 一个 自己 现在 之前 以后 然后 如果 还是 已经 应该 需要 请 谢谢 你好 多少钱 为什么 哪里 哪儿 去 来
到 对 从 让 里 上 下 又 很 吧 么 嗯 呃 为啥 多久 多长时间 么办 呗 啦 哎 才 才能 就能 可能 交了 交过""".split())
STOP_EN = set("""a an the i me my we our you your he she it its they them their is are was were be been am do does did
doing have has had can could should would will shall may might must to of in on at for from by with about into
and or but if then so not no yes what how why when where which who whom this that these there here any some
please hi hello thanks thank get got want need know tell let s t don doesn didn isn aren wasn im i'm""".split())

# Colloquial word -> words the content uses for the same thing. Expansion only adds search terms.
SYNONYMS: dict[str, list[str]] = {
    # Chinese
    "社保": ["社会保险"], "社会保险": ["社保"],
    "交社保": ["缴费", "参保"], "买社保": ["参保", "缴费"], "缴社保": ["缴费", "参保"], "买": ["参保"],
    "交": ["缴费"], "缴": ["缴费"], "交了": ["缴费"], "交过": ["缴费"], "续交": ["缴费", "补缴"], "补交": ["补缴"],
    "断": ["断缴", "中断"], "断了": ["断缴", "中断"], "断保": ["断缴", "中断"], "停保": ["中断", "暂停"],
    "停": ["中断", "暂停"], "不交": ["中断", "停缴"], "没交": ["未参保", "中断"],
    "退保": ["退保", "提取", "个人账户"], "取出来": ["退保", "提取"], "取钱": ["退保", "提取"], "提现": ["退保", "提取"],
    "失业金": ["失业保险金", "失业保险"], "领失业金": ["失业保险金", "申领"],
    "领": ["领取", "申领"], "办": ["办理"],
    "厂里": ["单位", "用人单位"], "厂": ["单位"], "工厂": ["单位"], "老板": ["单位", "用人单位"], "公司": ["单位"],
    "不给": ["未参保", "不缴"], "不买": ["未参保"], "没买": ["未参保"],
    "看病": ["就医", "医疗"], "看": ["就医"], "住院": ["就医", "医疗"], "报": ["报销"], "报销": ["报销", "结算"],
    "外地": ["异地", "跨省"], "外省": ["跨省", "异地"], "换城市": ["转移", "跨省"], "换地方": ["转移"],
    "换工作": ["转移", "跳槽"], "跳槽": ["转移"], "辞职": ["离职"], "离职": ["离职", "失业"],
    "转": ["转移"], "转走": ["转移"], "转回": ["转移"], "迁": ["转移"],
    "受伤": ["工伤"], "伤": ["工伤"], "摔伤": ["工伤"], "砸伤": ["工伤"],
    "生孩子": ["生育", "生育保险"], "怀孕": ["生育"], "生娃": ["生育"], "产假": ["生育"],
    "退休": ["退休年龄"], "几岁": ["退休年龄"], "多大": ["退休年龄"],
    "户口": ["户籍"], "农村户口": ["户籍", "农民工"], "老家": ["户籍地", "户口"], "回老家": ["转移", "户籍地"],
    "投诉": ["投诉", "举报"], "告": ["投诉", "仲裁"], "举报": ["投诉"],
    "查": ["查询"], "查询": ["查询", "缴费记录"], "记录": ["缴费记录"],
    "骑手": ["新就业形态", "职业伤害"], "外卖": ["新就业形态", "骑手"], "跑外卖": ["骑手", "新就业形态"],
    "打零工": ["灵活就业"], "自己交": ["灵活就业"], "个体": ["灵活就业"],
    "养老钱": ["养老金"], "退休金": ["养老金"], "医保卡": ["社保卡", "医保"],
    "电话": ["热线"], "热线": ["电话"],
    "倒闭": ["失业", "失业保险金"], "裁员": ["失业", "失业保险金"], "辞退": ["失业", "失业保险金"],
    "被辞退": ["失业", "失业保险金"], "开除": ["失业"], "没活干": ["失业"], "没工作": ["失业"],
    "压": ["工伤"], "割伤": ["工伤"], "摔": ["工伤"], "摔了": ["工伤"], "赔偿": ["工伤待遇", "赔偿"],
    "fell": ["injury"], "fall": ["injury"], "cut": ["injury"], "compensation": ["injury", "benefit"],
    "不干": ["离职"], "不干了": ["离职"], "不做了": ["离职"], "辞工": ["离职"], "走人": ["离职"],
    "唔做": ["离职"], "唔做了": ["离职"], "攞": ["领取", "退保"], "攞返": ["退保", "取出来"],
    "弄过来": ["转移"], "弄过去": ["转移"], "年纪": ["年龄"], "岁数": ["年龄", "退休年龄"],
    "没交够": ["年限", "最低缴费年限"],
    "摔断": ["工伤"], "骨折": ["工伤"], "断腿": ["工伤"], "死了": ["去世", "继承"], "去世": ["继承"],
    "划算": ["对比", "比较", "后果"], "哪个好": ["对比", "比较"], "还是": ["对比"],
    "年限": ["缴费年限"], "几年": ["缴费年限"], "满": ["缴费年限"],
    # English
    "cash": ["withdraw", "refund", "cash-out"], "withdraw": ["cash"], "refund": ["cash"], "quit": ["leaving"],
    "sick": ["medical", "treatment"], "doctor": ["medical", "treatment"], "hospital": ["medical", "treatment"],
    "injured": ["injury"], "hurt": ["injury"], "accident": ["injury"],
    "fired": ["unemployment"], "laid": ["unemployment"], "jobless": ["unemployment"], "lost": ["unemployment"],
    "retire": ["retirement"], "boss": ["employer"], "factory": ["employer"], "company": ["employer"],
    "move": ["transfer"], "moving": ["transfer"], "moved": ["transfer"], "baby": ["maternity"],
    "pregnant": ["maternity"], "birth": ["maternity"], "complain": ["complaint"], "phone": ["hotline"],
    "number": ["hotline"], "years": ["minimum"], "hometown": ["hukou"], "village": ["hukou", "rural"],
}

_log_silenced = False
_tokenizer_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary, initialised once per process."""
    global _tokenizer, _log_silenced
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                if not _log_silenced:
                    jieba.setLogLevel(logging.WARNING)
                    _log_silenced = True
                tk = jieba.Tokenizer()
                tk.initialize()
                tk.load_userdict(str(DOMAIN_DICT))
                for word in SYNONYMS:
                    if _HAS_CJK.search(word) and len(word) > 1:
                        tk.add_word(word, 800)
                _tokenizer = tk
    return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the tokenizer the aliases of the content, so they are cut as one word on both sides."""
    tk = tokenizer()
    for word in words:
        word = normalize(word)
        if _HAS_CJK.search(word) and 1 < len(word) <= 12 and " " not in word:
            if tk.FREQ.get(word, 0) == 0:
                tk.add_word(word, 500)


def normalize(text: str) -> str:
    """Lower-case, half-width, without HTML tags/entities, emoji and control characters."""
    if not text:
        return ""
    text = _SCRIPT.sub(" ", str(text))
    text = html.unescape(_TAG.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in ("L", "N") or ch in "-'’":
            out.append(ch)
        else:
            out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def segment(text: str) -> list[str]:
    """Words of a text for the index: jieba search-mode cut of the Chinese, words of the rest."""
    text = normalize(text)
    words: list[str] = []
    for chunk in text.split(" "):
        if not chunk:
            continue
        if _HAS_CJK.search(chunk):
            for word in tokenizer().cut_for_search(chunk):
                if _HAS_CJK.search(word):
                    words.append(word)
                else:
                    words.extend(_stem(w) for w in _WORD.findall(word))
        else:
            words.extend(_stem(w) for w in _WORD.findall(chunk))
    return [w for w in words if w]


def segmented(text: str) -> str:
    return " ".join(segment(text))


def bigrams(text: str) -> str:
    """Overlapping Chinese character pairs, a fallback index for words jieba cut differently."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(normalize(text)):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(grams)


def query_terms(query: str) -> list[str]:
    """Topic words of a query (stop words removed, single Chinese characters only via synonyms), with synonyms.

    Order is kept and duplicates removed."""
    text = normalize(query)
    if not text:
        return []
    raw: list[str] = []
    for chunk in text.split(" "):
        if not chunk:
            continue
        if _HAS_CJK.search(chunk):
            raw.extend(tokenizer().lcut(chunk))
        else:
            raw.extend(_WORD.findall(chunk))
    terms: list[str] = []
    for word in raw:
        word = word.strip().strip("-'’")
        if not word or not _WORD.search(word):
            continue
        is_cjk = bool(_HAS_CJK.search(word))
        expansions = [e if _HAS_CJK.search(e) else _stem(e) for e in SYNONYMS.get(word, [])]
        if not is_cjk:
            raw_word, word = word, _stem(word)
            if raw_word in STOP_EN:
                terms.extend(expansions)
                continue
        stop = word in (STOP_ZH if is_cjk else STOP_EN)
        single_char = is_cjk and len(word) == 1
        too_short = not is_cjk and (len(word) < 2 or (word.isdigit() and len(word) < 2))
        if not stop and not single_char and not too_short:
            terms.append(word)
        terms.extend(expansions)
    seen: set[str] = set()
    unique = []
    for term in terms:
        if term not in seen:
            seen.add(term)
            unique.append(term)
    return unique


def query_ngrams(query: str, max_len: int = 10) -> list[str]:
    """Every substring of the Chinese runs (2..max_len characters) and every 1-6-word English phrase:
    the candidates looked up in the alias table."""
    text = normalize(query)
    found: list[str] = []
    for run in _CJK_RUN.findall(text):
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + max_len) + 1):
                found.append(run[i:j])
    latin = [w for w in re.findall(r"[0-9a-z][0-9a-z\-'’]*", text)]
    for i in range(len(latin)):
        for j in range(i + 1, min(len(latin), i + 6) + 1):
            found.append(" ".join(latin[i:j]))
    whole = compact(text)
    if whole:
        found.append(whole)
    return list(dict.fromkeys(found))


def compact(text: str) -> str:
    """Normalised form used to compare aliases: Chinese without spaces, English words single-spaced."""
    text = normalize(text)
    return re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", text)


def _stem(word: str) -> str:
    """A deliberately crude English stemmer for alias overlap: transferring/transfers/transferred -> transfer."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
                word = word[:-1]
            break
    return word


def features(text: str) -> set[str]:
    """Comparable pieces of a short text: Chinese character pairs plus stemmed English words and numbers,
    without stop words. Used to measure how much of an alias occurs in a query, whatever the word order."""
    text = normalize(text)
    found: set[str] = set()
    for run in _CJK_RUN.findall(text):
        run = "".join(ch for ch in run if ch not in _STOP_CHARS) or run
        if len(run) == 1:
            found.add(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    for word in re.findall(r"[0-9a-z]+", text):
        if word not in STOP_EN and (len(word) > 1 or word.isdigit()):
            found.add(_stem(word))
    return found


# Function characters dropped before pairing characters, so "退休了养老金" pairs like "退休养老金".
_STOP_CHARS = set("的了吗呢吧啊呀么嘛哦")


# Colloquial words -> one canonical form, applied to aliases and queries alike before comparing them,
# so "厂里不给买社保" meets the alias "老板不给交社保" and "医保怎么转到新城市" meets "换城市医保".
CANONICAL: dict[str, tuple[str, ...]] = {}
for _canon, _words in {
    "单位": "单位 用人单位 厂里 厂 工厂 厂子 公司 老板 企业 雇主",
    "失业": "失业 倒闭 裁员 辞退 被辞退 开除 没活干 没工作",
    "交": "交 缴 买 缴纳 交纳 交费 缴费 参保 上",
    "转移": "转移 转 转到 转走 转回 转出 转入 迁 迁移 转保 跳槽 转移接续",
    "社保": "社保 社会保险 五险",
    "就医": "就医 看病 住院 看 治病 医疗",
    "异地": "异地 外地 外省 跨省 省外",
    "报销": "报销 报 结算",
    "失业金": "失业金 失业保险金 失业费",
    "养老金": "养老金 退休金 养老钱 退休工资",
    "哪里": "哪里 哪儿 在哪 在哪里 哪",
    "没了": "没了 没 作废 白交 没有 清零 浪费",
    "断缴": "断缴 断 断了 中断 停缴 停交 不交 断保 停保",
    "退保": "退保 取出来 提取 提现 取钱 退钱",
    "工伤": "工伤 受伤 伤 摔伤 砸伤 伤了",
    "生育": "生育 生孩子 生娃 怀孕 产假 坐月子",
    "离职": "离职 辞职 不干 不干了 不做了 辞工 走人",
    "电话": "电话 热线 号码 电话号码",
    "户口": "户口 户籍 农村户口",
    "一样": "一样 相同 区别 差别 不同",
    "领取": "领 领取 申领 拿 拿钱 领钱",
    "城市": "城市 城 地方",
    "居民": "居民 城乡居民 农保 新农保 城乡",
    "职工": "职工 城镇职工 城保",
}.items():
    for _word in _words.split():
        CANONICAL[_word] = CANONICAL.get(_word, ()) + (_canon,)
for _word in ("交社保", "买社保", "缴社保", "上社保", "办社保"):
    CANONICAL[_word] = ("交", "社保")
CANONICAL["不交"] = ("不给", "交", "断缴")
CANONICAL["没交"] = ("不给", "交", "断缴")
CANONICAL["不买"] = ("不给", "交")
CANONICAL["没买"] = ("不给", "交")
CANONICAL["领失业金"] = ("领取", "失业金")
for _word in ("交满", "交够", "缴满", "缴够", "交齐", "满"):
    CANONICAL[_word] = ("交", "交够")
CANONICAL["转成"] = ("转移",)
CANONICAL["交了"] = ("交",)
CANONICAL["交过"] = ("交",)
CANONICAL["换城市"] = ("转移", "城市")
CANONICAL["换工作"] = ("转移", "工作")
CANONICAL["换地方"] = ("转移", "城市")
CANONICAL["回老家"] = ("转移", "户口")


def word_features(text: str) -> set[str]:
    """Canonical topic words of a short text (jieba words mapped through CANONICAL, stop words and lone
    Chinese characters dropped; English words stemmed)."""
    text = normalize(text)
    found: set[str] = set()
    for chunk in text.split(" "):
        if not chunk:
            continue
        if _HAS_CJK.search(chunk):
            for word in tokenizer().cut_for_search(chunk):
                if word in CANONICAL:
                    found.update(CANONICAL[word])
                elif word in STOP_ZH or not _WORD.search(word):
                    continue
                elif _HAS_CJK.search(word) and len(word) == 1:
                    continue
                else:
                    found.add(word)
        else:
            for word in re.findall(r"[0-9a-z]+", chunk):
                if word not in STOP_EN and (len(word) > 1 or word.isdigit()):
                    found.add(CANONICAL_EN.get(word) or _stem(word))
    return found


# English colloquial words -> the word the content uses (applied like CANONICAL, after stop words).
CANONICAL_EN: dict[str, str] = {}
for _canon, _words in {
    "employer": "boss bosses company companies factory firm employer employers",
    "cash": "cash withdraw withdrawal refund",
    "injury": "injury injuries injured hurt accident fell fall",
    "transfer": "transfer transfers transferring transferred move moving moved",
    "medical": "medical health sick ill doctor hospital treatment",
    "hotline": "hotline phone number call",
    "unemployment": "unemployment unemployed jobless fired laid closed",
    "maternity": "maternity pregnant pregnancy baby childbirth",
    "pension": "pension pensions",
    "pay": "pay pays paid paying buy buys bought",
    "place": "place places city cities province provinces town area elsewhere",
}.items():
    for _word in _words.split():
        CANONICAL_EN[_word] = _canon


# Homophone typos from pinyin input (the usual way migrant workers type): same sound, wrong character.
# Applied to queries only, never to content.
TYPOS: list[tuple[re.Pattern, str]] = [(re.compile(pattern), right) for pattern, right in [
    (r"[设射涉]保", "社保"), (r"社宝", "社保"), (r"医宝|一保", "医保"), (r"[推]保|退宝", "退保"),
    (r"段了", "断了"), (r"[段短]缴|断交", "断缴"), (r"公伤", "工伤"),
    (r"工商(?!局|银行|执照|注册|营业|部门|管理|登记)", "工伤"),
    (r"失业今|失业进", "失业金"), (r"养老今|养老进", "养老金"), (r"异地就已|异地救医", "异地就医"),
    (r"备按", "备案"), (r"五险一斤|五险一今", "五险一金"), (r"户扣", "户口"), (r"转意|转一", "转移"),
    (r"保销|报消", "报销"), (r"延池|延时(?=退休)", "延迟"),
]]


def fix_typos(query: str) -> str:
    for pattern, right in TYPOS:
        query = pattern.sub(right, query)
    return query


# Query context: words a single character or a number only means next to other words of the query.
# "1980年生的" is a birth year, not the word 年生.
_BIRTH_YEAR = re.compile(r"([0-9〇零一二三四五六七八九]{2,4})\s*年\s*生(?!育|活|病|孩|娃|意)")
# In a question about insurance or money a lone 退 (not 退休/退货 …, but 退出来) means cashing out, a lone
# 停 suspending, a lone 转 transferring, a lone 领 drawing: these single characters carry the question.
_INSURANCE_CONTEXT = re.compile(r"社保|保险|养老|医保|账户|钱|不干|辞职|离职|辞工|走人|唔做|退保")
# Split or colloquial verbs, read the same way everywhere: 退过保 = 退保, 摔断了腿 = an injury, 弄过去 = transfer.
_ALWAYS = [
    (re.compile(r"退[过了]保"), "退保"),
    (re.compile(r"([摔砸压夹轧])断"), r"\1伤"),
    (re.compile(r"弄过[来去]"), "转移"),
]
_LONE_CHARACTERS = [
    (re.compile(r"退了休"), "退休了"),
    (re.compile(r"(?<![弥填])补(?![充助贴偿发办])"), "补缴"),
    (re.compile(r"(?<![辞引减倒])退(?![休保伍役货款票房课]|出(?!来))"), "退保"),
    (re.compile(r"(?<![暂调])停(?![保缴交止车留电水工产])"), "停保"),
    (re.compile(r"转(?![移走回出入到账正行让变换身岗])"), "转移"),
    (re.compile(r"领(?![取导带域])"), "领取"),
]
# An age of 40-69 together with work in another province: the temporary-account rule (国办发〔2009〕66号第五条).
_AGE = re.compile(r"(?<![0-9])([4-6][0-9])\s*(?:岁|周岁)|今年\s*([4-6][0-9])(?![0-9年])|([四五六])十[一二三四五六七八九几多]?\s*岁")
_OTHER_PROVINCE_WORDS = r"外省|外地|省外|跨省|异地|别的省|其他省|外面打工|到.{1,4}省"
TEMPORARY_ACCOUNT_WORDS = "临时缴费账户 临时账户"


# Where someone worked says nothing about which entry answers the question (the entries are national), but as rare
# words place names would outrank the topic ("在广州交了5年…怎么弄过去" found table 5's destinations). The
# personal answer for those places comes from the rules engine, not from search.
_PLACES = re.compile("(?:" + "|".join("""北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南
广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 东莞 深圳 广州 佛山 中山 惠州 珠海
宁波 杭州 温州 义乌 金华 嘉兴 绍兴 台州 苏州 昆山 无锡 常州 南通 南京 厦门 泉州 福州 成都 武汉 长沙 郑州 合肥 南昌
西安 青岛 济南 烟台 石家庄 太原 沈阳 大连 长春 哈尔滨 昆明 贵阳 南宁 海口 兰州 乌鲁木齐 呼和浩特""".split())
                     + ")(?:省|市|县|区|那边|这边)?")


def with_context(query: str) -> str:
    """The query with the words its context implies: 1980年生 -> 1980年出生; 能退吗 (about 社保) -> 能退保吗;
    an age of 40+ with 外省/外地 -> the temporary-account words. Applied to queries only."""
    query = _BIRTH_YEAR.sub(r"\1年出生", query)
    for pattern, word in _ALWAYS:
        query = pattern.sub(word, query)
    if _INSURANCE_CONTEXT.search(query):
        for pattern, word in _LONE_CHARACTERS:
            query = pattern.sub(word, query)
    if _AGE.search(query) and _OTHER_PROVINCE.search(query):
        query = f"{query} {TEMPORARY_ACCOUNT_WORDS}"
    return _PLACES.sub(" ", query)


# Moving to a named province ("去浙江打工") counts as another province too: people name their own only to say home.
_OTHER_PROVINCE = re.compile(_OTHER_PROVINCE_WORDS + r"|(?:去|到)(?:" + _PLACES.pattern + ")")
