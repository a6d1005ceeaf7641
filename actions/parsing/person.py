"""Sex and the job category that sets a woman's original pension age ("女的，厂里上班" → female, worker)."""
from __future__ import annotations

import re

from .common import clip

_FEMALE = re.compile(r"(女|妇女|大姐|阿姨|\bfemale\b|\bwoman\b|\bwomen\b|\blady\b|\bgirl\b|^\s*f\s*$|\bshe\b)", re.IGNORECASE)
_MALE = re.compile(r"(男|大哥|大叔|\bmale\b|\bman\b|\bmen\b|\bguy\b|\bboy\b|^\s*m\s*$|\bhe\b)", re.IGNORECASE)
_NOT_SELF = re.compile(r"(女儿|女朋友|男朋友|儿女|子女|男女|其他|其它|他们|她们|他人|吉他|他妈|她妈)")
# the person the question is about, named through a relative or a pronoun ("我老公68年出生的，他几岁退休")
_FEMALE_PERSON = re.compile(r"(老婆|妻子|媳妇|爱人是女|我妈|我母亲|母亲|婆婆|丈母娘|她|\bmy wife\b|\bmy mother\b|\bmy mom\b|"
                            r"\bher\b)", re.IGNORECASE)
_MALE_PERSON = re.compile(r"(老公|丈夫|爱人是男|我爸|我父亲|父亲|公公|老丈人|他|\bmy husband\b|\bmy father\b|\bmy dad\b|"
                          r"\bhis\b|\bhim\b)", re.IGNORECASE)

# Women in managerial or professional-technical posts had the original pension age 55 ("cadre"); women in worker
# posts 50 (RULES.md §1). Words people use for their job, most specific first.
_CADRE = re.compile(
    r"(干部|管理岗|管理人员|管理层|当领导|做管理|管理工作|专业技术|技术岗|技术员|工程师|会计师|教师|老师|医生|护士|公务员|"
    r"事业单位|科员|主管|经理|\bcadre\b|\bmanag(?:er|ement|erial)\b|\bprofessional\b|\btechnician\b|\bengineer\b|"
    r"\bofficial\b|\bcivil servant\b|\bteacher\b)",
    re.IGNORECASE,
)
_WORKER = re.compile(
    r"(工人|厂里|工厂|厂子|车间|流水线|普工|打工|工地|进厂|电子厂|服装厂|操作工|搬运|装卸|保洁|清洁|服务员|保安|"
    r"快递|外卖|骑手|司机|建筑|装修|农民工|打零工|家政|保姆|餐馆|饭店|后厨|厨师|小工|学徒|工人岗|"
    r"\bworker\b|\bfactory\b|\bworkshop\b|\bassembly\b|\bconstruction\b|\bcleaner\b|\bwaitress\b|\bdriver\b|"
    r"\bdelivery\b|\blabou?rer\b|\bproduction line\b)",
    re.IGNORECASE,
)


def parse_sex(text: str | None) -> str | None:
    """"male" | "female" | None."""
    if not text:
        return None
    cleaned = _NOT_SELF.sub(" ", clip(text))
    female, male = _FEMALE.search(cleaned), _MALE.search(cleaned)
    if not (female or male):
        female, male = _FEMALE_PERSON.search(cleaned), _MALE_PERSON.search(cleaned)
    if female and male:  # both words present: the first one said wins ("女的，老公是男的")
        return "female" if female.start() < male.start() else "male"
    if female:
        return "female"
    if male:
        return "male"
    return None


def parse_job(text: str | None) -> str | None:
    """"cadre" | "worker" | None — the post that set a woman's original pension age (55 or 50)."""
    if not text:
        return None
    text = clip(text)
    cadre, worker = _CADRE.search(text), _WORKER.search(text)
    if cadre and worker:
        return "cadre" if cadre.start() < worker.start() else "worker"
    if cadre:
        return "cadre"
    if worker:
        return "worker"
    return None
