/* Suixing hotline staff console: knowledge search with sources, and the queue of cases the chatbot handed over.
   Plain JS, no build step, no third-party code. Everything from the server is inserted with textContent. */
(function () {
  "use strict";

  var TOKEN_KEY = "suixing.console.token";
  var LANG_KEY = "suixing.console.lang";
  var DEBOUNCE_MS = 250;
  var MAX_QUERY = 200;

  var TEXT = {
    zh: {
      title: "随行 · 热线工作台", tabSearch: "知识库查询", tabCases: "转人工案件",
      searchLabel: "搜索知识库", searchPlaceholder: "输入来电人的问题，如：退保、社保转移…", typeLabel: "内容类型",
      allTypes: "全部类型", entryPlaceholder: "在左侧搜索，点击结果查看完整内容和出处。",
      casePlaceholder: "点击左侧案件查看详情。", filterLabel: "筛选", filterOpen: "待处理", filterDone: "已处理",
      filterAll: "全部", refresh: "刷新", searching: "搜索中…", noResults: "没有找到相关内容。可以换个说法，或请来电人拨打 12333。",
      resultsCount: "找到 {n} 条", typeHint: "输入问题即可搜索（中文或英文）。", loading: "加载中…",
      local: "各地规定不同 — 请拨打 12333", toVerify: "待核实", verified: "已核实", localConf: "地方规定",
      copy: "复制答案", copied: "已复制，可读给来电人", copyFailed: "无法复制，请手动选择文字",
      steps: "办理步骤", who: "谁来办", where: "在哪办", documents: "带什么材料", deadline: "时限",
      sources: "出处", related: "相关内容", body: "详细说明", reviewed: "审核日期", validFrom: "起施行",
      validUntil: "失效日期", noCases: "没有案件。", casesCount: "共 {n} 件",
      statusNew: "待处理", statusDone: "已处理", markDone: "标记为已处理", reopen: "重新打开",
      markedDone: "已标记为已处理。", reopened: "已重新打开。",
      question: "来电人的问题", facts: "已收集的情况", verdict: "规则引擎结论", details: "详细计算结果",
      missing: "信息不全，缺少：", engineError: "规则引擎无法计算：", noVerdict: "没有结论。",
      none: "（无）", language: "语言", created: "时间", province: "所在省份", caseId: "案件编号",
      unknown: "不知道", openEntry: "在知识库中打开", langZh: "中文", langEn: "英文", estimated: "（估算）", networkError: "连不上服务器，请检查网络后重试。",
      openCount: "{n}",
      types: { scheme: "险种", right: "权利", procedure: "办事流程", consequence: "后果", myth: "误区", faq: "常见问题",
               glossary: "名词解释", statistic: "统计", contact: "联系渠道", policy: "政策" },
      factLabels: { birth: "出生年月", sex: "性别", female_category: "女性身份", hukou_province: "户籍省份",
                    periods: "参保经历", wage: "月工资（元）", account_balance: "个人账户余额（元）",
                    accident_date: "受伤日期", last_entry_id: "最后看的内容" },
      values: { male: "男", female: "女", worker: "工人", cadre: "干部", "n/a": "不适用", unknown: "不知道",
                "true": "是", "false": "否" }
    },
    en: {
      title: "Suixing · hotline console", tabSearch: "Knowledge search", tabCases: "Handed-over cases",
      searchLabel: "Search the knowledge base", searchPlaceholder: "Type the caller's question, e.g. cash out, transfer…",
      typeLabel: "Entry type", allTypes: "All types", entryPlaceholder: "Search on the left; click a result for the whole entry and its sources.",
      casePlaceholder: "Click a case on the left to see it.", filterLabel: "Filter", filterOpen: "Open",
      filterDone: "Done", filterAll: "All", refresh: "Refresh", searching: "Searching…",
      noResults: "Nothing found. Try other words, or ask the caller to ring 12333.", resultsCount: "{n} found",
      typeHint: "Type a question to search (Chinese or English).", loading: "Loading…",
      local: "Local rules differ — 12333", toVerify: "To verify", verified: "Verified", localConf: "Local rule",
      copy: "Copy answer", copied: "Copied — ready to read to the caller", copyFailed: "Could not copy; select the text by hand",
      steps: "Steps", who: "Who", where: "Where", documents: "Documents", deadline: "Deadline",
      sources: "Sources", related: "Related", body: "Details", reviewed: "Reviewed", validFrom: "In force from",
      validUntil: "Valid until", noCases: "No cases.", casesCount: "{n} cases",
      statusNew: "Open", statusDone: "Done", markDone: "Mark done", reopen: "Reopen",
      markedDone: "Marked done.", reopened: "Reopened.",
      question: "The caller's question", facts: "Facts collected", verdict: "Rules-engine verdict",
      details: "Full calculation", missing: "Not enough information; missing: ", engineError: "The rules engine could not assess: ",
      noVerdict: "No verdict.", none: "(none)", language: "Language", created: "Time", province: "Province",
      caseId: "Case", unknown: "unknown", openEntry: "Open in knowledge search", langZh: "Chinese", langEn: "English",
      estimated: " (estimated)",
      networkError: "Cannot reach the server; check the connection and try again.", openCount: "{n}",
      types: { scheme: "Scheme", right: "Right", procedure: "Procedure", consequence: "Consequence", myth: "Myth",
               faq: "FAQ", glossary: "Glossary", statistic: "Statistic", contact: "Contact", policy: "Policy" },
      factLabels: { birth: "Born (year-month)", sex: "Sex", female_category: "Women's category",
                    hukou_province: "Hukou province", periods: "Insured periods", wage: "Monthly wage (yuan)",
                    account_balance: "Personal account (yuan)", accident_date: "Accident date",
                    last_entry_id: "Last entry viewed" },
      values: { male: "male", female: "female", worker: "worker", cadre: "cadre", "n/a": "n/a", unknown: "unknown",
                "true": "yes", "false": "no" }
    }
  };
  var TYPES = ["scheme", "right", "procedure", "consequence", "myth", "faq", "glossary", "statistic", "contact", "policy"];

  var state = { lang: "zh", status: "open", entryId: null, caseId: null, searchSeq: 0, timer: null, controller: null };

  // --- helpers ------------------------------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function t(key, n) {
    var value = TEXT[state.lang][key];
    if (value === undefined) value = TEXT.zh[key] || key;
    return n === undefined ? value : String(value).replace("{n}", String(n));
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function token() {
    var fromUrl = new URLSearchParams(window.location.search).get("token");
    try {
      if (fromUrl) window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
      return window.sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (e) { return fromUrl || ""; }
  }

  function showError(payload) {
    var box = $("error");
    if (!payload) { box.hidden = true; clear(box); return; }
    clear(box);
    var primary = state.lang === "zh" ? payload.message_zh : payload.message_en;
    var other = state.lang === "zh" ? payload.message_en : payload.message_zh;
    box.appendChild(el("span", null, primary || t("networkError")));
    if (other) box.appendChild(el("span", "alt", other));
    box.hidden = false;
  }

  function api(path, options) {
    options = options || {};
    var headers = { "Accept": "application/json" };
    var secret = token();
    if (secret) headers["X-Console-Token"] = secret;
    if (options.method === "POST") headers["X-Console-Request"] = "1";
    return fetch(path, { method: options.method || "GET", headers: headers, signal: options.signal,
                         credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { var error = new Error(body.error || "http_" + response.status); error.payload = body; throw error; }
          return body;
        });
      });
  }

  function failed(error) {
    if (error && error.name === "AbortError") return;
    showError(error && error.payload && error.payload.message_zh ? error.payload
      : { message_zh: TEXT.zh.networkError, message_en: TEXT.en.networkError });
  }

  function badge(text, kind) { return el("span", "badge " + kind, text); }

  function confidenceBadge(confidence) {
    if (confidence === "to_verify") return badge(t("toVerify"), "warn");
    if (confidence === "local") return badge(t("localConf"), "warn");
    if (confidence === "verified") return badge(t("verified"), "ok");
    return null;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return String(iso || "");
    return date.toLocaleString(state.lang === "zh" ? "zh-CN" : "en-GB",
      { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  }

  function copyText(text, feedback) {
    function done(ok) { feedback.textContent = ok ? t("copied") : t("copyFailed"); }
    function fallback() {
      var area = el("textarea");
      area.value = text; area.setAttribute("readonly", ""); area.className = "offscreen";
      document.body.appendChild(area); area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else { fallback(); }
  }

  // --- language -----------------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = state.lang === "zh" ? "随行 · 热线工作台 | Suixing hotline console" : "Suixing hotline console | 随行 · 热线工作台";
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria")));
    });
    document.querySelectorAll(".lang-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === state.lang));
    });
    var select = $("type"), chosen = select.value;
    clear(select);
    var all = el("option", null, t("allTypes")); all.value = ""; select.appendChild(all);
    TYPES.forEach(function (type) { var option = el("option", null, t("types")[type]); option.value = type; select.appendChild(option); });
    select.value = chosen;
  }

  function setLanguage(lang) {
    state.lang = lang === "en" ? "en" : "zh";
    try { window.localStorage.setItem(LANG_KEY, state.lang); } catch (e) { /* private mode */ }
    applyLanguage();
    runSearch();
    if (state.entryId) openEntry(state.entryId);
    loadCases();
    if (state.caseId) openCase(state.caseId);
  }

  // --- knowledge search ---------------------------------------------------------------------------------------
  function scheduleSearch() {
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(runSearch, DEBOUNCE_MS);
  }

  function runSearch() {
    var query = $("q").value.slice(0, MAX_QUERY);
    var seq = ++state.searchSeq;
    if (state.controller) state.controller.abort();
    var results = $("results");
    if (!query.trim()) { clear(results); $("search-status").textContent = t("typeHint"); return; }
    state.controller = window.AbortController ? new AbortController() : null;
    $("search-status").textContent = t("searching");
    var url = "/api/console/search?q=" + encodeURIComponent(query) + "&lang=" + state.lang +
      "&type=" + encodeURIComponent($("type").value);
    api(url, { signal: state.controller && state.controller.signal }).then(function (data) {
      if (seq !== state.searchSeq) return;   // a newer search was started meanwhile
      showError(null);
      renderResults(data.results || []);
    }).catch(failed);
  }

  function renderResults(results) {
    var list = $("results");
    clear(list);
    $("search-status").textContent = results.length ? t("resultsCount", results.length) : t("noResults");
    results.forEach(function (hit) {
      var item = el("li", "result");
      var button = el("button", "result-open");
      button.type = "button";
      button.setAttribute("data-id", hit.id);
      if (hit.id === state.entryId) item.classList.add("selected");
      var head = el("div", "result-head");
      head.appendChild(badge(t("types")[hit.type] || hit.type, "type"));
      var conf = confidenceBadge(hit.confidence);
      if (conf && hit.confidence !== "verified") head.appendChild(conf);
      if (hit.local_variation) head.appendChild(badge(t("local"), "local"));
      button.appendChild(head);
      button.appendChild(el("h3", "result-title", hit.title));
      button.appendChild(el("p", "result-short", hit.short));
      if (hit.citation) button.appendChild(el("p", "citation", hit.citation));
      button.addEventListener("click", function () { openEntry(hit.id); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function renderBody(text, container) {
    // Markdown-like text shown as plain paragraphs: headings, bullet lists, paragraphs; never parsed as HTML.
    var blocks = String(text || "").replace(/\r/g, "").split(/\n\s*\n/);
    blocks.forEach(function (block) {
      var lines = block.split("\n").filter(function (line) { return line.trim(); });
      if (!lines.length) return;
      var list = null;
      lines.forEach(function (line) {
        var clean = line.replace(/\*\*(.+?)\*\*/g, "$1").replace(/`([^`]*)`/g, "$1");
        var heading = /^\s*#{1,6}\s+(.*)$/.exec(clean);
        var bullet = /^\s*(?:[-*•]|\d+[.、)])\s+(.*)$/.exec(clean);
        if (heading) { list = null; container.appendChild(el("h4", null, heading[1])); }
        else if (bullet) {
          if (!list) { list = el("ul", "body-list"); container.appendChild(list); }
          list.appendChild(el("li", null, bullet[1]));
        } else { list = null; container.appendChild(el("p", null, clean.trim())); }
      });
    });
  }

  function safeLink(url, label) {
    var link = el("a", null, label);
    if (/^https?:\/\//i.test(url || "")) { link.href = url; link.target = "_blank"; link.rel = "noopener noreferrer"; return link; }
    return el("span", null, label);
  }

  function revealOnNarrowScreen(pane) {
    // Tablet upright: the detail is below the list, so bring it into view.
    if (window.matchMedia && window.matchMedia("(max-width: 820px)").matches) pane.scrollIntoView({ block: "start" });
  }

  function openEntry(id) {
    state.entryId = id;
    document.querySelectorAll(".result").forEach(function (item) {
      var button = item.querySelector(".result-open");
      item.classList.toggle("selected", !!button && button.getAttribute("data-id") === id);
    });
    var pane = $("entry");
    api("/api/console/entry/" + encodeURIComponent(id) + "?lang=" + state.lang).then(function (entry) {
      showError(null);
      renderEntry(entry, pane);
      revealOnNarrowScreen(pane);
    }).catch(failed);
  }

  function renderEntry(entry, pane) {
    clear(pane);
    var head = el("div", "entry-head");
    head.appendChild(badge(t("types")[entry.type] || entry.type, "type"));
    var conf = confidenceBadge(entry.confidence);
    if (conf) head.appendChild(conf);
    if (entry.local_variation) head.appendChild(badge(t("local"), "local"));
    pane.appendChild(head);
    pane.appendChild(el("h2", "entry-title", entry.title));
    pane.appendChild(el("p", "entry-short", entry.short));
    if (entry.citation) pane.appendChild(el("p", "citation", entry.citation));
    var actions = el("div", "entry-actions");
    var copy = el("button", "copy", t("copy")); copy.type = "button";
    var feedback = el("span", "copy-feedback"); feedback.setAttribute("aria-live", "polite");
    copy.addEventListener("click", function () { copyText(entry.copy_text, feedback); });
    actions.appendChild(copy); actions.appendChild(feedback);
    pane.appendChild(actions);

    if (entry.steps && entry.steps.length) {
      pane.appendChild(el("h3", null, t("steps")));
      var steps = el("ol", "steps");
      entry.steps.forEach(function (step) {
        var item = el("li", "step");
        item.appendChild(el("p", "step-action", step.action));
        var facts = el("dl", "step-facts");
        [["who", step.who], ["where", step.where], ["documents", step.documents], ["deadline", step.deadline]]
          .forEach(function (pair) {
            if (!pair[1]) return;
            facts.appendChild(el("dt", null, t(pair[0])));
            facts.appendChild(el("dd", null, pair[1]));
          });
        item.appendChild(facts);
        steps.appendChild(item);
      });
      pane.appendChild(steps);
    }
    if (entry.body) {
      pane.appendChild(el("h3", null, t("body")));
      var body = el("div", "entry-body");
      renderBody(entry.body, body);
      pane.appendChild(body);
    }
    if (entry.table && entry.table.columns) {
      var table = el("table", "stat-table");
      var headRow = el("tr");
      entry.table.columns.forEach(function (column) { headRow.appendChild(el("th", null, column.label)); });
      var thead = el("thead"); thead.appendChild(headRow); table.appendChild(thead);
      var tbody = el("tbody");
      (entry.table.rows || []).forEach(function (row) {
        var tr = el("tr");
        entry.table.columns.forEach(function (column) { tr.appendChild(el("td", null, row[column.key] == null ? "" : row[column.key])); });
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      pane.appendChild(table);
      if (entry.table.source_line) pane.appendChild(el("p", "citation", entry.table.source_line));
    }
    if (entry.sources && entry.sources.length) {
      pane.appendChild(el("h3", null, t("sources")));
      var sources = el("ul", "sources");
      entry.sources.forEach(function (source) {
        var item = el("li");
        item.appendChild(el("span", "source-citation", source.citation || source.title));
        if (source.confidence === "to_verify") item.appendChild(badge(t("toVerify"), "warn"));
        if (source.url) { item.appendChild(document.createTextNode(" ")); item.appendChild(safeLink(source.url, source.url)); }
        sources.appendChild(item);
      });
      pane.appendChild(sources);
    }
    var meta = [];
    if (entry.valid_from) meta.push(t("validFrom") + " " + entry.valid_from);
    if (entry.valid_until) meta.push(t("validUntil") + " " + entry.valid_until);
    if (entry.reviewed) meta.push(t("reviewed") + " " + entry.reviewed);
    if (meta.length) pane.appendChild(el("p", "meta", meta.join(" · ")));
    if (entry.related && entry.related.length) {
      pane.appendChild(el("h3", null, t("related")));
      var related = el("div", "related");
      entry.related.forEach(function (id) {
        var button = el("button", "link", id); button.type = "button";
        button.addEventListener("click", function () { openEntry(id); });
        related.appendChild(button);
      });
      pane.appendChild(related);
    }
    pane.scrollTop = 0;
  }

  // --- cases --------------------------------------------------------------------------------------------------
  function provinceText(code, names) {
    var name = names && names[code] && names[code][state.lang];
    return name ? name : String(code || "");
  }

  function valueText(key, value, names) {
    if (value === null || value === undefined || value === "") return t("none");
    if (key === "hukou_province" && typeof value === "object") {
      return (value.code && names && names[value.code] ? provinceText(value.code, names) : value.name || "") +
        (value.code ? " (" + value.code + ")" : "");
    }
    if (key === "periods" && Array.isArray(value)) {
      if (!value.length) return t("none");
      return value.map(function (p) {
        var where = [p.province ? provinceText(p.province, names) : "", p.city].filter(Boolean).join(" ");
        var span = p.start || p.end ? " " + (p.start || "?") + " – " + (p.end || "?") : "";
        var months = p.months == null ? "" : state.lang === "zh"
          ? "，" + p.months + "个月" + (p.at_least ? "以上" : "")
          : ", " + p.months + (p.at_least ? "+" : "") + " months";
        return (where || "?") + span + months + (p.estimated ? t("estimated") : "");
      }).join("；");
    }
    var values = t("values");
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      return values[String(value)] || String(value);
    }
    return JSON.stringify(value);
  }

  function verdictLines(result) {
    if (!result) return [t("noVerdict")];
    if (result.summary && result.summary.length) return result.summary;
    if (result.missing) return [t("missing") + result.missing.map(function (key) { return t("factLabels")[key] || key; }).join("、")];
    if (result.error) {
      return [t("engineError") + (Array.isArray(result.error) ? result.error.map(function (e) {
        return (state.lang === "zh" ? e.message_zh : e.message_en) || e.field || "";
      }).join("；") : String(result.error))];
    }
    return [t("noVerdict")];
  }

  function loadCases() {
    $("cases-status").textContent = t("loading");
    api("/api/console/cases?status=" + state.status).then(function (data) {
      showError(null);
      renderCases(data.cases || []);
      $("cases-status").textContent = data.cases.length ? t("casesCount", data.total) : t("noCases");
    }).catch(failed);
    if (state.status !== "open") {
      api("/api/console/cases?status=open").then(function (data) { showOpenCount(data.total); }).catch(function () {});
    }
  }

  function showOpenCount(n) {
    var count = $("open-count");
    count.textContent = t("openCount", n);
    count.hidden = !n;
  }

  function renderCases(cases) {
    if (state.status === "open") showOpenCount(cases.length);
    var list = $("cases");
    clear(list);
    cases.forEach(function (item) {
      var li = el("li", "case-item" + (item.case_id === state.caseId ? " selected" : ""));
      var button = el("button", "case-open"); button.type = "button";
      button.setAttribute("data-id", item.case_id);
      var head = el("div", "case-head");
      head.appendChild(el("time", "case-time", formatTime(item.created)));
      head.appendChild(badge(item.language === "en" ? "English" : "中文", "type"));
      head.appendChild(badge(item.status === "done" ? t("statusDone") : t("statusNew"), item.status === "done" ? "ok" : "new"));
      button.appendChild(head);
      var question = (item.open_question || []).join(" / ");
      button.appendChild(el("p", "case-question", question || t("none")));
      var facts = item.facts || {};
      var keys = Object.keys(facts).filter(function (key) { return key !== "last_entry_id"; });
      if (keys.length) {
        button.appendChild(el("p", "case-facts", keys.map(function (key) {
          return (t("factLabels")[key] || key) + "：" + valueText(key, facts[key], item.province_names);
        }).join(" · ")));
      }
      button.appendChild(el("p", "case-verdict", verdictLines(item.rules_result)[0]));
      button.addEventListener("click", function () { openCase(item.case_id); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function renderValue(value) {
    // A nested result (retirement, pension place, options …) as nested lists; text only.
    if (value === null || value === undefined) return el("span", "muted", t("none"));
    if (Array.isArray(value)) {
      var list = el("ol", "nested");
      value.forEach(function (item) { var li = el("li"); li.appendChild(renderValue(item)); list.appendChild(li); });
      return list;
    }
    if (typeof value === "object") {
      var dl = el("dl", "nested");
      Object.keys(value).forEach(function (key) {
        dl.appendChild(el("dt", null, key));
        var dd = el("dd"); dd.appendChild(renderValue(value[key])); dl.appendChild(dd);
      });
      return dl;
    }
    return el("span", null, String(value));
  }

  function openCase(id) {
    state.caseId = id;
    document.querySelectorAll(".case-item").forEach(function (item) {
      var button = item.querySelector(".case-open");
      item.classList.toggle("selected", !!button && button.getAttribute("data-id") === id);
    });
    api("/api/console/cases/" + encodeURIComponent(id)).then(function (item) {
      showError(null);
      renderCase(item, $("case"));
      revealOnNarrowScreen($("case"));
    }).catch(failed);
  }

  function renderCase(item, pane, notice) {
    clear(pane);
    var head = el("div", "entry-head");
    head.appendChild(badge(item.status === "done" ? t("statusDone") : t("statusNew"), item.status === "done" ? "ok" : "new"));
    head.appendChild(badge(item.language === "en" ? "English" : "中文", "type"));
    pane.appendChild(head);
    pane.appendChild(el("h2", "entry-title", t("caseId") + " " + item.case_id));
    var meta = el("dl", "case-meta");
    [[t("created"), formatTime(item.created)], [t("language"), item.language === "en" ? t("langEn") : t("langZh")],
     [t("province"), item.local_province ? provinceText(item.local_province, item.province_names) : t("none")]].forEach(function (pair) {
      meta.appendChild(el("dt", null, pair[0])); meta.appendChild(el("dd", null, pair[1]));
    });
    pane.appendChild(meta);

    var actions = el("div", "entry-actions");
    var done = item.status === "done";
    var button = el("button", done ? "secondary" : "mark-done", done ? t("reopen") : t("markDone"));
    button.type = "button";
    button.id = "case-status-button";
    button.addEventListener("click", function () {
      button.disabled = true;
      api("/api/console/cases/" + encodeURIComponent(item.case_id) + (done ? "/reopen" : "/done"), { method: "POST" })
        .then(function (updated) {
          showError(null);
          renderCase(updated, pane, updated.status === "done" ? t("markedDone") : t("reopened"));
          loadCases();
        }).catch(function (error) { button.disabled = false; failed(error); });
    });
    actions.appendChild(button);
    if (notice) actions.appendChild(el("span", "copy-feedback", notice));
    pane.appendChild(actions);

    pane.appendChild(el("h3", null, t("question")));
    var question = el("ol", "question");
    (item.open_question || []).forEach(function (line) { question.appendChild(el("li", null, line)); });
    if (!question.children.length) question.appendChild(el("li", "muted", t("none")));
    pane.appendChild(question);

    pane.appendChild(el("h3", null, t("facts")));
    var facts = el("dl", "facts");
    var keys = Object.keys(item.facts || {});
    keys.forEach(function (key) {
      facts.appendChild(el("dt", null, t("factLabels")[key] || key));
      var dd = el("dd", null, valueText(key, item.facts[key], item.province_names));
      if (key === "last_entry_id" && /^[a-z0-9-]+$/.test(String(item.facts[key]))) {
        var open = el("button", "link", t("openEntry")); open.type = "button";
        open.addEventListener("click", function () { showView("search"); openEntry(item.facts[key]); });
        dd.appendChild(document.createTextNode(" "));
        dd.appendChild(open);
      }
      facts.appendChild(dd);
    });
    if (!keys.length) facts.appendChild(el("dd", "muted", t("none")));
    pane.appendChild(facts);

    pane.appendChild(el("h3", null, t("verdict")));
    var verdict = el("ul", "verdict");
    verdictLines(item.rules_result).forEach(function (line) { verdict.appendChild(el("li", null, line)); });
    pane.appendChild(verdict);
    var result = item.rules_result || {};
    var detailKeys = Object.keys(result).filter(function (key) { return ["summary", "missing", "error"].indexOf(key) < 0; });
    if (detailKeys.length) {
      var details = el("details", "full-result");
      details.appendChild(el("summary", null, t("details")));
      var shown = {};
      detailKeys.forEach(function (key) { shown[key] = result[key]; });
      details.appendChild(renderValue(shown));
      pane.appendChild(details);
    }
  }

  // --- views --------------------------------------------------------------------------------------------------
  function showView(name) {
    ["search", "cases"].forEach(function (view) {
      $("view-" + view).hidden = view !== name;
      $("tab-" + view).setAttribute("aria-selected", String(view === name));
    });
    if (name === "cases") loadCases();
    else $("q").focus();
  }

  function init() {
    token();   // keeps ?token= in sessionStorage for the API calls
    var saved = null;
    try { saved = window.localStorage.getItem(LANG_KEY); } catch (e) { saved = null; }
    state.lang = saved === "en" ? "en" : "zh";
    applyLanguage();
    $("search-status").textContent = t("typeHint");
    $("q").addEventListener("input", scheduleSearch);
    $("type").addEventListener("change", runSearch);
    $("search-form").addEventListener("submit", function (event) { event.preventDefault(); runSearch(); });
    document.querySelectorAll(".lang-switch button").forEach(function (button) {
      button.addEventListener("click", function () { setLanguage(button.getAttribute("data-lang")); });
    });
    $("tab-search").addEventListener("click", function () { showView("search"); });
    $("tab-cases").addEventListener("click", function () { showView("cases"); });
    document.querySelectorAll(".filters [data-status]").forEach(function (button) {
      button.addEventListener("click", function () {
        state.status = button.getAttribute("data-status");
        document.querySelectorAll(".filters [data-status]").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        loadCases();
      });
    });
    $("refresh").addEventListener("click", loadCases);
    loadCases();
    $("q").focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
