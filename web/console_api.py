"""The hotline staff console: the page under /console and its JSON API under /api/console/ (called by web/serve.py).

    GET  /console                               the page (web/console/index.html)
    GET  /console/assets/<file>                 its script and stylesheet (code only, no data: served to anyone)
    GET  /api/console/search?q=&lang=&type=     knowledge-base search, with citation, confidence and local flag
    GET  /api/console/entry/<id>?lang=          one whole entry (body, steps, sources) and the text to read out
    GET  /api/console/cases?status=open|done|all   hand-over cases, newest first
    GET  /api/console/cases/<case_id>           one whole case
    POST /api/console/cases/<case_id>/done      mark a case done (POST .../reopen puts it back in the queue)

Access (staff only): the page and the API answer only a request from loopback (127.0.0.1 / ::1, addressed as
localhost, not forwarded by a proxy) or one carrying the token in env CONSOLE_TOKEN, as header `X-Console-Token`
or `?token=`. Without CONSOLE_TOKEN only loopback gets in. POSTs must also carry `X-Console-Request: 1`, which a
cross-site form cannot send.

Paths come from the same variables the actions use: KNOWLEDGE_DB (default var/knowledge.db) and CASES_DIR
(default var/cases). Cases are read, never edited (the store is suixing/cases.py): a case's status lives in CASES_DIR/index.db (`cases.status`,
'new' or 'done'); the JSON file with the facts is not touched.
Standard library only (plus the project's `knowledge` package, imported when first needed).
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import re
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:   # serve.py may be started as a script without PYTHONPATH: find knowledge, rules_engine
    sys.path.append(str(ROOT))
from suixing import cases as cases_store, settings  # noqa: E402  (after the path above)
CONSOLE_DIR = Path(__file__).resolve().parent / "console"
ASSETS = {"console.js": "application/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}
PAGE_PATH = "/console"
ASSET_PREFIX = "/console/assets/"
API_PREFIX = "/api/console/"

MAX_QUERY_CHARS = 200          # a staff member types a question, not a document
MAX_URL_CHARS = 2048
SEARCH_LIMIT = 10
MAX_CASES_LISTED = 500
MAX_CASE_FILE_BYTES = 1024 * 1024
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASE_ID = re.compile(r"^[0-9A-Za-z]+(?:[-_][0-9A-Za-z]+)*$")     # handoff writes 20261126-212550-0d58a3
MAX_ID_CHARS = 100
LANGS = ("zh", "en")
STATUSES = {"open": ("new",), "done": ("done",), "all": None}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

log = logging.getLogger("web.console")

ERRORS = {
    "forbidden": (403, "此页面仅供热线工作人员使用：请在本机打开，或使用工作人员访问令牌。",
                  "Staff only: open this page on the server itself or with the staff access token."),
    "not_found": (404, "找不到该地址。", "Not found."),
    "bad_id": (400, "编号格式不对。", "That id is not valid."),
    "entry_not_found": (404, "知识库里没有这条内容。", "No such entry in the knowledge base."),
    "case_not_found": (404, "找不到这个案件。", "No such case."),
    "query_too_long": (400, f"搜索内容太长了（最多 {MAX_QUERY_CHARS} 个字）。",
                       f"The search is too long (at most {MAX_QUERY_CHARS} characters)."),
    "bad_lang": (400, "语言只能是 zh 或 en。", "The language must be zh or en."),
    "bad_type": (400, "没有这种内容类型。", "Unknown entry type."),
    "bad_status": (400, "状态只能是 open、done 或 all。", "The status must be open, done or all."),
    "method_not_allowed": (405, "不支持这种请求方式。", "Method not allowed."),
    "missing_header": (403, "请求缺少 X-Console-Request 头，已拒绝。",
                       "Refused: the request lacks the X-Console-Request header."),
    "too_large": (413, "请求太大。", "The request is too large."),
    "knowledge_missing": (503, "知识库还没有建立：请运行 python -m knowledge build。",
                          "The knowledge base is not built yet: run python -m knowledge build."),
    "cases_unavailable": (503, "案件库暂时无法读取，请稍后再试。", "The case store cannot be read right now; try again."),
}


class ConsoleError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    def payload(self) -> tuple[int, dict]:
        status, zh, en = ERRORS[self.code]
        return status, {"error": self.code, "message_zh": zh, "message_en": en}


# --- settings (the one home of the paths: suixing/settings.py) --------------------------------------------------
knowledge_db = settings.knowledge_db
cases_dir = settings.cases_dir
charts_dir = settings.charts_dir


def console_token() -> str:
    return os.environ.get("CONSOLE_TOKEN", "")


# --- access ------------------------------------------------------------------------------------------------------
def handles(path: str) -> bool:
    return path == PAGE_PATH or path.startswith(PAGE_PATH + "/") or path.startswith(API_PREFIX)


def _host_name(host_header: str) -> str:
    host = (host_header or "").strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback_request(client_ip: str, headers) -> bool:
    """A request made on the server itself: loopback address, addressed to localhost (a DNS-rebinding page carries
    its own host name), and not forwarded by a reverse proxy on the same machine (then the real client is elsewhere)."""
    try:
        if not ipaddress.ip_address(client_ip.split("%")[0]).is_loopback:
            return False
    except ValueError:
        return False
    if headers.get("X-Forwarded-For") or headers.get("Forwarded") or headers.get("X-Real-IP"):
        return False
    return _host_name(headers.get("Host", "")) in LOOPBACK_HOSTS


_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"]*")


def redact(text: str) -> str:
    """A log line without the console token a URL may carry."""
    return _TOKEN_IN_URL.sub(r"\1***", text)


def request_token(query: dict, headers) -> str:
    return headers.get("X-Console-Token") or (query.get("token") or [""])[0]


def allowed(client_ip: str, headers, query: dict) -> bool:
    """Loopback, or the CONSOLE_TOKEN (compared in constant time). No token configured: loopback only."""
    if is_loopback_request(client_ip, headers):
        return True
    expected = console_token()
    given = request_token(query, headers)
    return bool(expected) and bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# --- knowledge ---------------------------------------------------------------------------------------------------
_kb_lock = threading.Lock()
_kb_cache: dict[str, Any] = {}


def knowledge_base():
    path = knowledge_db()
    if not path.exists():
        raise ConsoleError("knowledge_missing")
    with _kb_lock:
        kb = _kb_cache.get(str(path))
        if kb is None:
            from knowledge import KnowledgeBase

            kb = _kb_cache[str(path)] = KnowledgeBase(path)
        return kb


def entry_types() -> tuple[str, ...]:
    knowledge_base()
    from knowledge.schema import ENTRY_TYPES

    return ENTRY_TYPES


def _lang(query: dict) -> str:
    lang = (query.get("lang") or ["zh"])[0] or "zh"
    if lang not in LANGS:
        raise ConsoleError("bad_lang")
    return lang


def copy_text(short: str, citation: str) -> str:
    """What staff read to a caller: the short answer and where it comes from."""
    return f"{short.strip()}\n{citation.strip()}".strip()


def search(query: dict) -> dict:
    text = (query.get("q") or [""])[0]
    lang = _lang(query)
    kind = (query.get("type") or [""])[0] or None
    if len(text) > MAX_QUERY_CHARS:
        raise ConsoleError("query_too_long")
    kb = knowledge_base()
    if kind is not None and kind not in entry_types():
        raise ConsoleError("bad_type")
    results = []
    for hit in kb.search(text, lang=lang, type=kind, limit=SEARCH_LIMIT) if text.strip() else []:
        entry = kb.get(hit.id, lang)   # the hit has no confidence / local flag; the entry has
        results.append({
            "id": hit.id, "type": hit.type, "title": hit.title, "short": hit.short, "citation": hit.citation,
            "score": hit.score, "confidence": entry.confidence if entry else None,
            "local_variation": bool(entry and entry.local_variation),
            "copy_text": copy_text(hit.short, hit.citation),
        })
    return {"query": text, "lang": lang, "type": kind, "results": results}


def entry(entry_id: str, query: dict) -> dict:
    lang = _lang(query)
    if len(entry_id) > MAX_ID_CHARS or not ENTRY_ID.match(entry_id):
        raise ConsoleError("bad_id")
    found = knowledge_base().get(entry_id, lang)
    if found is None:
        raise ConsoleError("entry_not_found")
    data = found.to_dict()
    data["copy_text"] = copy_text(found.short, found.citation)
    return data


# --- cases -------------------------------------------------------------------------------------------------------
def _case_file(case_id: str) -> Path:
    """The case's JSON file, only ever directly inside CASES_DIR."""
    if len(case_id) > MAX_ID_CHARS or not CASE_ID.match(case_id):
        raise ConsoleError("bad_id")
    folder = cases_dir().resolve()
    path = (folder / f"{case_id}.json").resolve()
    if path.parent != folder:
        raise ConsoleError("bad_id")
    return path


def _read_case(path: Path) -> Optional[dict]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_CASE_FILE_BYTES:
            return None
        case = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("unreadable case file %s", path.name)
        return None
    return case if isinstance(case, dict) and case.get("case_id") == path.stem else None


def _statuses() -> dict[str, str]:
    try:
        return cases_store.statuses(cases_dir())
    except sqlite3.Error:
        log.exception("cannot read the case index")
        raise ConsoleError("cases_unavailable")


def province_names(case: dict) -> dict[str, dict[str, str]]:
    """{code: {zh, en}} for the province codes in a case (periods, local province), so the page can name them."""
    facts = case.get("facts") if isinstance(case.get("facts"), dict) else {}
    hukou = facts.get("hukou_province")
    codes = {case.get("local_province"), hukou.get("code") if isinstance(hukou, dict) else None}
    periods = facts.get("periods")
    if isinstance(periods, list):
        codes |= {p.get("province") for p in periods if isinstance(p, dict)}
    try:
        from rules_engine.provinces import province_name
    except ImportError:   # the console still works, showing codes
        return {}
    names = {}
    for code in codes:
        if isinstance(code, str) and code:
            try:
                names[code] = {"zh": province_name(code, "zh"), "en": province_name(code, "en")}
            except (KeyError, ValueError):
                pass
    return names


def _public(case: dict, status: str) -> dict:
    """The case as stored, with its current status and the names of its provinces (added, never written back)."""
    case = dict(case)
    case["status"] = "done" if status == "done" else "new"
    case["province_names"] = province_names(case)
    return case


def list_cases(query: dict) -> dict:
    status = (query.get("status") or ["open"])[0] or "open"
    if status not in STATUSES:
        raise ConsoleError("bad_status")
    wanted = STATUSES[status]
    statuses = _statuses()
    folder = cases_dir()
    cases = []
    # The JSON files are the cases; the index holds their status. A file the index does not know is still listed.
    for path in folder.glob("*.json") if folder.is_dir() else []:
        if not CASE_ID.match(path.stem):
            continue
        case = _read_case(path)
        if case is None:
            continue
        current = statuses.get(path.stem, case.get("status") or "new")
        if wanted is None or current in wanted:
            cases.append(_public(case, current))
    cases.sort(key=lambda c: (str(c.get("created") or ""), c["case_id"]), reverse=True)
    return {"status": status, "total": len(cases), "cases": cases[:MAX_CASES_LISTED]}


def get_case(case_id: str) -> dict:
    case = _read_case(_case_file(case_id))
    if case is None:
        raise ConsoleError("case_not_found")
    return _public(case, _statuses().get(case_id, case.get("status") or "new"))


def set_status(case_id: str, status: str) -> dict:
    path = _case_file(case_id)
    case = _read_case(path)
    if case is None:
        raise ConsoleError("case_not_found")
    try:
        cases_store.set_status(case, status, cases_dir())
    except sqlite3.Error:
        log.exception("cannot update the case index")
        raise ConsoleError("cases_unavailable")
    return _public(case, status)


# --- HTTP --------------------------------------------------------------------------------------------------------
def route(method: str, path: str, query: dict) -> dict:
    """The JSON API without HTTP: raises ConsoleError for anything refused."""
    parts = path[len(API_PREFIX):].split("/")
    if method == "GET":
        if parts == ["search"]:
            return search(query)
        if len(parts) == 2 and parts[0] == "entry":
            return entry(parts[1], query)
        if parts == ["cases"]:
            return list_cases(query)
        if len(parts) == 2 and parts[0] == "cases":
            return get_case(parts[1])
        raise ConsoleError("not_found")
    if method == "POST":
        if len(parts) == 3 and parts[0] == "cases" and parts[2] in ("done", "reopen"):
            return set_status(parts[1], "done" if parts[2] == "done" else "new")
        raise ConsoleError("not_found")
    raise ConsoleError("method_not_allowed")


def handle(handler) -> None:
    """Answers one request for /console or /api/console/* on a serve.py handler (uses its _send/_send_json)."""
    split = urlsplit(handler.path)
    path = split.path
    try:
        if len(handler.path) > MAX_URL_CHARS:
            raise ConsoleError("too_large")
        query = parse_qs(split.query, keep_blank_values=True, max_num_fields=20)
    except ConsoleError as error:
        handler._send_json(*error.payload())
        return
    except ValueError:
        handler._send_json(*ConsoleError("too_large").payload())
        return
    method = "GET" if handler.command == "HEAD" else handler.command
    length = int(handler.headers.get("Content-Length") or 0)
    if length:
        handler.close_connection = True    # nothing is read from a body: don't parse it as the next request
    if path.startswith(ASSET_PREFIX):      # code, no data: the page cannot send a token with <script src>
        name = path[len(ASSET_PREFIX):]
        if method == "GET" and name in ASSETS:
            handler._send(200, (CONSOLE_DIR / name).read_bytes(), ASSETS[name], {"Cache-Control": "no-cache"})
        else:
            handler._send_json(*ConsoleError("not_found").payload())
        return
    client_ip = handler.client_address[0] if handler.client_address else ""
    if not allowed(client_ip, handler.headers, query):
        log.warning("console refused for %s %s", client_ip, path)
        handler._send_json(*ConsoleError("forbidden").payload())
        return
    if path in (PAGE_PATH, PAGE_PATH + "/"):
        if method != "GET":
            handler._send_json(*ConsoleError("method_not_allowed").payload())
            return
        handler._send(200, (CONSOLE_DIR / "index.html").read_bytes(), "text/html; charset=utf-8",
                      {"Cache-Control": "no-store"})
        return
    if not path.startswith(API_PREFIX):
        handler._send_json(*ConsoleError("not_found").payload())
        return
    try:
        if method == "POST" and handler.headers.get("X-Console-Request") != "1":
            raise ConsoleError("missing_header")
        payload = route(method, path, query)
    except ConsoleError as error:
        handler._send_json(*error.payload())
        return
    except Exception:   # never a traceback to the browser
        log.exception("console API failed on %s", path)
        handler._send_json(500, {"error": "internal", "message_zh": "服务器出错了，请稍后再试。",
                                 "message_en": "Server error; please try again."})
        return
    handler._send_json(200, payload)
