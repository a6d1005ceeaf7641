/* 随行 Suixing web chat: talks to Rasa's REST channel through the same-origin proxy of web/serve.py.
 *
 * Safety: every text from the bot or the user is put on the page with textContent / createElement only (never
 * innerHTML); links and images go through safeLinkUrl / safeImageUrl.
 * Reliability: messages are queued and sent one at a time; when the assistant cannot be reached the message stays in
 * the queue (and in localStorage, so a reload does not lose it) and is retried with back-off; when the server says
 * "too fast" (429) it is retried after the wait the server gives. Refusals (400/413/503) are shown in both languages
 * and the text goes back into the box.
 * Phone use: the conversation (sender id and history) is kept in localStorage, so switching to the 掌上12333 app and
 * back does not lose it ("clear my chat" forgets it); a long reply is shown from its start (the conclusion), one
 * turn is one screen-reader announcement, sources are small and folded, a chart opens in an in-page zoomable viewer.
 */
(function () {
  "use strict";

  var WEBHOOK = "/webhooks/rest/webhook";
  var REQUEST_TIMEOUT_MS = 45000;
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000]; // then every 15 s
  var STORAGE = { sender: "suixing.sender", lang: "suixing.lang", pending: "suixing.pending",
                  history: "suixing.history" };
  var MAX_HISTORY_TURNS = 200;
  var MAX_ZOOM = 4;

  var TEXTS = {
    zh: {
      htmlLang: "zh-CN",
      title: "随行 · 社保助手",
      docTitle: "随行 · 社保助手 | Suixing",
      subtitle: "换城市打工，社保跟着走",
      welcome: "你好！我是随行，帮外出务工的朋友弄清社保：怎么转移、在哪里领养老金、什么时候能退休。\n直接问我，或者点下面的问题：",
      suggestions: [
        { title: "换城市了，养老保险怎么转？", payload: "换城市了，养老保险怎么转？" },
        { title: "社保断缴了怎么办？", payload: "社保断缴了怎么办？" },
        { title: "我什么时候能退休？", payload: "我什么时候能退休？" },
        { title: "做个人社保体检", payload: "/start_checkup" }
      ],
      placeholder: "输入你的问题…",
      inputLabel: "你的问题",
      send: "发送",
      typing: "随行正在输入…",
      offline: "暂时连不上助手，{s} 秒后自动重试。你的消息已保留，不会丢失。",
      offlineRetrying: "正在重新连接助手…",
      retryNow: "立即重试",
      notSent: "未发送，等待重试",
      requestError: "这条消息没有处理成功，请换个说法再试。",
      noAnswer: "我暂时没有回答，可以换个说法再问，或拨打 12333 咨询。",
      chart: "图表（点击查看大图）",
      attachment: "附件",
      sources: "查看依据",
      clearChat: "清除聊天记录",
      clearConfirm: "清除这台手机上的聊天记录，重新开始？（清除后无法恢复）",
      viewerLabel: "图表大图",
      zoomIn: "放大",
      zoomOut: "缩小",
      closeViewer: "关闭",
      waitRetry: "发得太快了，{s} 秒后自动发送。你的消息已保留。",
      privacy: "请勿输入身份证号、手机号或银行卡号。回答仅供参考，具体以当地社保经办机构为准（12333）。"
    },
    en: {
      htmlLang: "en",
      title: "Suixing 随行",
      docTitle: "Suixing · Social insurance help for workers on the move",
      subtitle: "Social insurance that moves with you",
      welcome: "Hello! I'm Suixing. I help workers who move between cities understand their social insurance: transfers, where the pension is paid, when you can retire.\nAsk me anything, or tap a question:",
      suggestions: [
        { title: "How do I transfer my pension to a new city?", payload: "How do I transfer my pension to a new city?" },
        { title: "What happens if I stop paying?", payload: "What happens if I stop paying social insurance?" },
        { title: "When can I retire?", payload: "When can I retire?" },
        { title: "Start my personal check-up", payload: "/start_checkup" }
      ],
      placeholder: "Type your question…",
      inputLabel: "Your question",
      send: "Send",
      typing: "Suixing is typing…",
      offline: "Can't reach the assistant. Retrying in {s} s — your message is kept and will be sent.",
      offlineRetrying: "Reconnecting to the assistant…",
      retryNow: "Retry now",
      notSent: "Not sent yet, will retry",
      requestError: "This message could not be handled. Please try rephrasing it.",
      noAnswer: "I have no answer right now. Try other words, or call 12333.",
      chart: "Chart (tap to enlarge)",
      attachment: "Attachment",
      sources: "Sources",
      clearChat: "Clear my chat",
      clearConfirm: "Clear the chat kept on this phone and start again? (This cannot be undone.)",
      viewerLabel: "Chart, enlarged",
      zoomIn: "Zoom in",
      zoomOut: "Zoom out",
      closeViewer: "Close",
      waitRetry: "Too many messages at once. Sending in {s} s — your message is kept.",
      privacy: "Please don't type ID, phone or bank card numbers. Answers are guidance only; your local social insurance office (12333) has the final word."
    }
  };

  // ---- state --------------------------------------------------------------------------------------------------
  var lang = readStorage(STORAGE.lang) === "en" ? "en" : "zh";
  var senderId = readStorage(STORAGE.sender) || newSenderId();
  var queue = [];          // {message, display, bubble}
  var sending = false;
  var retryNow = null;     // resolves the current back-off wait early
  var offlineTimer = null;

  var history = readHistory(); // [{who: "user", text} | {who: "bot", messages: [...]}], oldest first

  var log, input, form, offlineBox, offlineText, offlineAlt, typingBubble, welcomeBubble, viewer;

  function readStorage(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function writeStorage(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: keep going without it */ }
  }

  function readHistory() {
    try {
      var stored = JSON.parse(readStorage(STORAGE.history) || "[]");
      return Array.isArray(stored) ? stored.filter(function (turn) {
        return turn && ((turn.who === "user" && typeof turn.text === "string") ||
                        (turn.who === "bot" && Array.isArray(turn.messages)));
      }) : [];
    } catch (e) { return []; }
  }

  function remember(turn) {
    history.push(turn);
    while (history.length > MAX_HISTORY_TURNS) history.shift();
    for (;;) {  // storage full: forget the oldest turns rather than the newest
      try { window.localStorage.setItem(STORAGE.history, JSON.stringify(history)); return; } catch (e) {
        if (history.length <= 1) return;
        history.splice(0, Math.ceil(history.length / 4));
      }
    }
  }

  function newSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    var id = "web-" + hex;
    writeStorage(STORAGE.sender, id);
    return id;
  }

  function t(key) { return TEXTS[lang][key]; }

  // ---- safe URLs ----------------------------------------------------------------------------------------------
  function safeLinkUrl(raw) {
    if (typeof raw !== "string") return null;
    var url;
    try { url = new URL(raw.trim(), window.location.href); } catch (e) { return null; }
    return ["http:", "https:", "tel:", "mailto:"].indexOf(url.protocol) >= 0 ? url.href : null;
  }

  var DATA_IMAGE = /^data:image\/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;
  function safeImageUrl(raw) {
    if (typeof raw !== "string") return null;
    var value = raw.trim();
    if (value.slice(0, 5).toLowerCase() === "data:") return DATA_IMAGE.test(value) ? value : null; // no SVG: it can script
    var url;
    try { url = new URL(value, window.location.href); } catch (e) { return null; }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  // A reply taller than the screen is shown from its start (the conclusion comes first), not from its last line.
  function scrollToTurn(turn) {
    var offset = turn.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (turn.offsetHeight > log.clientHeight - 24) log.scrollTop += offset - 8;
    else scrollToEnd();
  }

  function makeLink(text, href) {
    var a = el("a", null, text);
    a.href = href;
    if (href.indexOf("tel:") !== 0 && href.indexOf("mailto:") !== 0) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  // Inline markup the bot uses: **bold**, [label](url), bare http(s) links, hotline numbers (tap to call).
  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"'，。；）)]+)|\b(12333|12393|12345)\b/g;
  function appendInline(parent, text) {
    var last = 0, match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        parent.appendChild(el("strong", null, match[1]));
      } else if (match[2] !== undefined) {
        var href = safeLinkUrl(match[3]);
        parent.appendChild(href ? makeLink(match[2], href) : document.createTextNode(match[0]));
      } else if (match[4] !== undefined) {
        var bare = safeLinkUrl(match[4]);
        parent.appendChild(bare ? makeLink(match[4], bare) : document.createTextNode(match[4]));
      } else {
        parent.appendChild(makeLink(match[5], "tel:" + match[5]));
      }
      last = INLINE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Where an answer names its legal source: whole lines ("依据：…", "basis: …") fold away; inline "（依据：…）" and
  // "【待核实】" are set small.
  var SOURCE_LINE = /^\s*(?:[-•·*]\s*)?(?:📖|🔍)?\s*(?:依据|来源|出处|basis|sources?)\s*[:：]/i;
  var INLINE_SOURCE = /（依据：[^）]*）|\s\(basis: [^)]*\)|【待核实】|\s\[to verify\]/g;

  function appendWithSources(parent, text) {
    var last = 0, match;
    INLINE_SOURCE.lastIndex = 0;
    while ((match = INLINE_SOURCE.exec(text)) !== null) {
      if (match.index > last) appendInline(parent, text.slice(last, match.index));
      var verify = /待核实|to verify/.test(match[0]) && match[0].length < 16;
      var small = el("small", verify ? "to-verify" : "cite");
      appendInline(small, match[0].trim());
      parent.appendChild(small);
      last = INLINE_SOURCE.lastIndex;
    }
    if (last < text.length) appendInline(parent, text.slice(last));
  }

  function sourcesBlock() {
    var details = el("details", "sources");
    details.appendChild(el("summary", null, t("sources")));
    return details;
  }

  var STEP = /^\s*(?:(\d{1,2})\s*[.．、)）]|([①②③④⑤⑥⑦⑧⑨⑩]))\s*(.+)$/;
  var BULLET = /^\s*[-•·*]\s+(.+)$/;
  var CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩";

  // Text with line breaks, numbered steps (1. / 1、 / ①) and bullets, as DOM nodes.
  function renderText(text) {
    var frag = document.createDocumentFragment();
    var lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    var paragraph = null, list = null, listKind = null, sources = null;
    function closeAll() { paragraph = null; list = null; listKind = null; sources = null; }
    lines.forEach(function (rawLine) {
      var line = rawLine.replace(/^#{1,6}\s+/, "");  // markdown headings: keep the words
      var step = STEP.exec(line), bullet = BULLET.exec(line);
      if (!line.trim()) { closeAll(); return; }
      if (SOURCE_LINE.test(line) || (sources && /^\s*[-•·*]/.test(line))) {
        if (!sources) { sources = sourcesBlock(); frag.appendChild(sources); }
        var source = el("p");
        appendWithSources(source, line.trim());
        sources.appendChild(source);
        paragraph = null; list = null; listKind = null;
        return;
      }
      sources = null;
      if (step) {
        var number = step[1] ? parseInt(step[1], 10) : CIRCLED.indexOf(step[2]) + 1;
        if (listKind !== "steps") {
          list = el("ol", "steps");
          if (number > 1) list.start = number;
          frag.appendChild(list);
          listKind = "steps";
          paragraph = null;
        }
        var li = el("li");
        li.appendChild(el("span", "num", String(number)));
        appendWithSources(li, step[3]);
        list.appendChild(li);
        return;
      }
      if (bullet) {
        if (listKind !== "bullets") {
          list = el("ul", "bullets");
          frag.appendChild(list);
          listKind = "bullets";
          paragraph = null;
        }
        var item = el("li");
        appendWithSources(item, bullet[1]);
        list.appendChild(item);
        return;
      }
      list = null; listKind = null;
      if (paragraph) paragraph.appendChild(el("br"));
      else { paragraph = el("p"); frag.appendChild(paragraph); }
      appendWithSources(paragraph, line);
    });
    return frag;
  }

  function addUserBubble(display) {
    var bubble = el("div", "msg user", display);
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  // Answered questions: their buttons no longer act, and leave the tab order.
  function retireOldButtons() {
    log.querySelectorAll(".msg.bot:not(.welcome) .quick-reply:not([disabled])").forEach(function (b) {
      b.disabled = true;
    });
  }

  function markPending(bubble, pending) {
    if (!bubble) return;
    var status = bubble.querySelector(".status");
    if (pending) {
      bubble.classList.add("pending");
      if (!status) { status = el("span", "status"); bubble.appendChild(status); }
      status.textContent = t("notSent");
    } else {
      bubble.classList.remove("pending");
      if (status) status.remove();
    }
  }

  function renderButtons(buttons) {
    var group = el("div", "quick-replies");
    buttons.forEach(function (button) {
      if (!button || typeof button.title !== "string") return;
      var node = el("button", "quick-reply", button.title);
      node.type = "button";
      node.addEventListener("click", function () {
        group.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        node.classList.add("chosen");
        node.setAttribute("aria-pressed", "true");
        send(typeof button.payload === "string" && button.payload ? button.payload : button.title, button.title);
      });
      group.appendChild(node);
    });
    return group;
  }

  function renderBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var bubble = el("div", "msg bot");
    var hasContent = false;
    if (typeof message.text === "string" && message.text.trim()) {
      bubble.appendChild(renderText(message.text));
      hasContent = true;
    }
    if (message.custom && typeof message.custom.text === "string") {
      bubble.appendChild(renderText(message.custom.text));
      hasContent = true;
    }
    var image = safeImageUrl(message.image);
    if (image) {
      var link = el("a", "chart");
      link.href = image.indexOf("data:") === 0 ? "#" : image;
      link.addEventListener("click", function (event) { event.preventDefault(); openViewer(image, link); });
      var img = el("img");
      img.src = image;
      img.alt = t("chart");
      img.loading = "lazy";
      link.appendChild(img);
      bubble.appendChild(link);
      hasContent = true;
    }
    var attachment = typeof message.attachment === "string" ? safeLinkUrl(message.attachment) : null;
    if (attachment) {
      var p = el("p");
      p.appendChild(makeLink(t("attachment"), attachment));
      bubble.appendChild(p);
      hasContent = true;
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      bubble.appendChild(renderButtons(message.buttons));
      hasContent = true;
    }
    return hasContent ? bubble : null;
  }

  // One bot turn (all the messages of one reply) goes on the page at once: one screen-reader announcement.
  function renderBotTurn(messages, live) {
    var turn = el("div", "turn");
    messages.forEach(function (message) {
      var bubble = renderBotMessage(message);
      if (bubble) turn.appendChild(bubble);
    });
    if (!turn.childNodes.length) return null;
    if (!live) turn.querySelectorAll(".quick-reply").forEach(function (b) { b.disabled = true; });
    log.appendChild(turn);
    return turn;
  }

  // ---- the chart viewer ---------------------------------------------------------------------------------------
  function buildViewer() {
    var box = el("div", "viewer");
    box.id = "viewer";
    box.hidden = true;
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    var bar = el("div", "viewer-bar");
    var zoomOut = el("button", "zoom-out", "−"), zoomIn = el("button", "zoom-in", "+"), close = el("button", "close");
    [zoomOut, zoomIn, close].forEach(function (b) { b.type = "button"; bar.appendChild(b); });
    var canvas = el("div", "viewer-canvas");
    var img = el("img");
    canvas.appendChild(img);
    box.appendChild(bar);
    box.appendChild(canvas);
    document.body.appendChild(box);
    var state = { zoom: 1, opener: null };
    function setZoom(zoom) {
      state.zoom = Math.max(1, Math.min(MAX_ZOOM, zoom));
      img.style.width = (state.zoom * 100) + "%";
      zoomOut.disabled = state.zoom <= 1;
      zoomIn.disabled = state.zoom >= MAX_ZOOM;
    }
    function hide() {
      box.hidden = true;
      document.body.classList.remove("viewing");
      if (state.opener) state.opener.focus();
    }
    zoomIn.addEventListener("click", function () { setZoom(state.zoom * 1.5); });
    zoomOut.addEventListener("click", function () { setZoom(state.zoom / 1.5); });
    img.addEventListener("dblclick", function () { setZoom(state.zoom > 1 ? 1 : 2); });
    close.addEventListener("click", hide);
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
    return {
      open: function (src, opener) {
        state.opener = opener;
        img.src = src;
        img.alt = t("chart");
        box.setAttribute("aria-label", t("viewerLabel"));
        zoomIn.setAttribute("aria-label", t("zoomIn"));
        zoomOut.setAttribute("aria-label", t("zoomOut"));
        close.textContent = "✕ " + t("closeViewer");
        setZoom(1);
        box.hidden = false;
        document.body.classList.add("viewing");
        close.focus();
      },
      isOpen: function () { return !box.hidden; }
    };
  }

  function openViewer(src, opener) {
    if (!viewer) viewer = buildViewer();
    viewer.open(src, opener);
  }

  function renderWelcome() {
    var bubble = el("div", "msg bot welcome");
    bubble.appendChild(renderText(t("welcome")));
    bubble.appendChild(renderButtons(t("suggestions")));
    if (welcomeBubble && welcomeBubble.parentNode) welcomeBubble.replaceWith(bubble);
    else log.insertBefore(bubble, log.firstChild);
    welcomeBubble = bubble;
  }

  function showTyping(on) {
    if (on && !typingBubble) {
      typingBubble = el("div", "msg bot typing");
      typingBubble.setAttribute("role", "status");
      typingBubble.setAttribute("aria-label", t("typing"));
      for (var i = 0; i < 3; i++) typingBubble.appendChild(el("span", "dot"));
      log.appendChild(typingBubble);
      scrollToEnd();
    } else if (!on && typingBubble) {
      typingBubble.remove();
      typingBubble = null;
    }
  }

  // textKey: "offline" (cannot reach the assistant) or "waitRetry" (the server asked to slow down).
  function showOffline(delayMs, textKey) {
    clearInterval(offlineTimer);
    offlineBox.hidden = false;
    var until = Date.now() + delayMs;
    var other = lang === "zh" ? "en" : "zh";
    var key = textKey || "offline";
    function tick() {
      // Both languages: someone who switched by mistake must still understand that nothing is lost.
      var seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      offlineText.textContent = seconds > 0 ? t(key).replace("{s}", String(seconds)) : t("offlineRetrying");
      offlineAlt.textContent = seconds > 0 ? TEXTS[other][key].replace("{s}", String(seconds))
        : TEXTS[other].offlineRetrying;
    }
    tick();
    offlineTimer = setInterval(tick, 500);
  }

  function hideOffline() {
    clearInterval(offlineTimer);
    offlineBox.hidden = true;
  }

  // ---- language -----------------------------------------------------------------------------------------------
  function applyTexts() {
    document.documentElement.lang = t("htmlLang");
    document.title = t("docTitle");
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria")));
    });
    document.querySelectorAll(".sources > summary").forEach(function (node) { node.textContent = t("sources"); });
    document.querySelectorAll(".chart img").forEach(function (node) { node.alt = t("chart"); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.placeholder = t(node.getAttribute("data-i18n-placeholder"));
    });
    document.querySelectorAll(".lang-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === lang));
    });
    document.querySelectorAll(".msg.user.pending .status").forEach(function (node) {
      node.textContent = t("notSent");
    });
    renderWelcome();
  }

  function switchLanguage(newLang) {
    if (newLang === lang || !TEXTS[newLang]) return;
    lang = newLang;
    writeStorage(STORAGE.lang, lang);
    applyTexts();
    // Tell the bot too, so its answers follow (the action sets the `language` slot).
    send('/switch_language{"language":"' + newLang + '"}', null, true);
  }

  // ---- sending ------------------------------------------------------------------------------------------------
  function savePending() {
    writeStorage(STORAGE.pending, JSON.stringify(queue.map(function (item) {
      return { message: item.message, display: item.display };
    })));
  }

  // quiet: no "no answer" hint if the bot says nothing (the language switch may be silent).
  // restoredBubble: a message kept from before a reload, already on the page from the history.
  function send(message, display, quiet, restoredBubble) {
    if (display && !restoredBubble) {
      retireOldButtons();
      remember({ who: "user", text: display });
    }
    var item = { message: message, display: display, quiet: !!quiet,
                 bubble: restoredBubble || (display ? addUserBubble(display) : null) };
    queue.push(item);
    savePending();
    pump();
  }

  function postMessage(message) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(WEBHOOK, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId, message: message, metadata: { language: lang, channel: "web" } }),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      return response.json().then(function (data) { return classify(response, data); },
                                  function () { return classify(response, null); });
    }, function () {
      clearTimeout(timer);
      return { kind: "offline" };
    });
  }

  // What the page does with an answer: ok; "limited" (429: wait and resend); "refused" (the server explained in both
  // languages why: show it, nothing is resent); "offline" (unreachable or failing: retry); "error" (anything else).
  function classify(response, data) {
    var explained = data && typeof data.message_zh === "string" && typeof data.message_en === "string";
    if (response.ok) return { kind: "ok", messages: Array.isArray(data) ? data : [] };
    if (response.status === 429) {
      var seconds = parseInt(response.headers.get("Retry-After") || "", 10);
      return { kind: "limited", delay: (isFinite(seconds) && seconds > 0 ? seconds : 5) * 1000 };
    }
    if (explained && (response.status < 500 || data.error === "assistant_timeout")) {
      return { kind: "refused", zh: data.message_zh, en: data.message_en };
    }
    return response.status >= 500 ? { kind: "offline" } : { kind: "error" };
  }

  function addNote(main, alt) {
    var note = el("div", "msg bot error note");
    note.setAttribute("role", "alert");
    note.appendChild(el("p", null, main));
    if (alt) note.appendChild(el("p", "alt", alt));
    log.appendChild(note);
    scrollToEnd();
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      var timer = setTimeout(resolve, ms);
      retryNow = function () { clearTimeout(timer); resolve(); };
    });
  }

  function deliver(item, attempt) {
    showTyping(true);
    return postMessage(item.message).then(function (result) {
      showTyping(false);
      if (result.kind === "ok") {
        hideOffline();
        markPending(item.bubble, false);
        var turn = renderBotTurn(result.messages, true);
        if (turn) {
          remember({ who: "bot", messages: result.messages });
          scrollToTurn(turn);
        } else if (!item.quiet) {
          var hint = el("div", "msg bot error");
          hint.appendChild(renderText(t("noAnswer")));
          log.appendChild(hint);
          scrollToEnd();
        }
        return;
      }
      if (result.kind === "refused") {
        hideOffline();
        markPending(item.bubble, false);
        addNote(lang === "zh" ? result.zh : result.en, lang === "zh" ? result.en : result.zh);
        if (item.display && !input.value) input.value = item.display;  // nothing lost: edit and send again
        return;
      }
      if (result.kind === "error") {
        hideOffline();
        markPending(item.bubble, false);
        log.appendChild(el("div", "msg bot error", t("requestError")));
        scrollToEnd();
        return;
      }
      markPending(item.bubble, true);
      var limited = result.kind === "limited";
      var delay = limited ? result.delay : RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      showOffline(delay, limited ? "waitRetry" : "offline");
      return wait(delay).then(function () {
        retryNow = null;
        offlineText.textContent = t("offlineRetrying");
        offlineAlt.textContent = TEXTS[lang === "zh" ? "en" : "zh"].offlineRetrying;
        return deliver(item, attempt + 1);
      });
    });
  }

  function pump() {
    if (sending || !queue.length) return;
    sending = true;
    deliver(queue[0], 0).then(function () {
      queue.shift();
      savePending();
      sending = false;
      pump();
    });
  }

  function submit() {
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
    input.focus();
  }

  // ---- history ------------------------------------------------------------------------------------------------
  function restoreHistory() {
    history.forEach(function (turn) {
      if (turn.who === "user") log.appendChild(el("div", "msg user", turn.text));
      else renderBotTurn(turn.messages, false);
    });
    // The last question still waits for its answer: its buttons work.
    var last = history[history.length - 1];
    var lastTurn = log.lastElementChild;
    if (last && last.who === "bot" && lastTurn && lastTurn.classList.contains("turn")) {
      lastTurn.querySelectorAll(".quick-reply").forEach(function (b) { b.disabled = false; });
      scrollToTurn(lastTurn);
    } else {
      scrollToEnd();
    }
  }

  function clearChat() {
    if (!window.confirm(t("clearConfirm") + "\n" + TEXTS[lang === "zh" ? "en" : "zh"].clearConfirm)) return;
    history = [];
    queue = queue.slice(0, sending ? 1 : 0);
    try {
      window.localStorage.removeItem(STORAGE.history);
      window.localStorage.removeItem(STORAGE.pending);
    } catch (e) { /* nothing kept */ }
    senderId = newSenderId();   // a new conversation: the old one is no longer tied to this phone
    Array.prototype.slice.call(log.children).forEach(function (node) {
      if (node !== welcomeBubble) node.remove();
    });
    typingBubble = null;
    log.scrollTop = 0;
    input.focus();
  }

  // ---- start --------------------------------------------------------------------------------------------------
  function start() {
    log = document.getElementById("log");
    input = document.getElementById("input");
    form = document.getElementById("composer");
    offlineBox = document.getElementById("offline");
    offlineText = document.getElementById("offline-text");
    offlineAlt = document.getElementById("offline-text-alt");

    applyTexts();
    restoreHistory();

    document.getElementById("clear-chat").addEventListener("click", clearChat);
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(); }
    });
    document.getElementById("retry-now").addEventListener("click", function () { if (retryNow) retryNow(); });
    document.querySelectorAll(".lang-switch button").forEach(function (button) {
      button.addEventListener("click", function () { switchLanguage(button.getAttribute("data-lang")); });
    });

    // Messages that were not delivered before the page was closed are sent now, in order.
    var pending = [];
    try { pending = JSON.parse(readStorage(STORAGE.pending) || "[]"); } catch (e) { pending = []; }
    var shown = Array.prototype.slice.call(log.querySelectorAll(".msg.user"));
    pending.forEach(function (item) {
      if (!item || typeof item.message !== "string") return;
      var display = typeof item.display === "string" ? item.display : null;
      var bubble = null;
      for (var i = shown.length - 1; display && i >= 0; i--) {
        if (shown[i].textContent === display) { bubble = shown.splice(i, 1)[0]; break; }
      }
      send(item.message, display, false, bubble);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
