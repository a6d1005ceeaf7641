/* 随行 Suixing web chat: talks to Rasa's REST channel through the same-origin proxy of web/serve.py.
 *
 * Safety: every text from the bot or the user is put on the page with textContent / createElement only (never
 * innerHTML); links and images go through safeLinkUrl / safeImageUrl.
 * Reliability: messages are queued and sent one at a time; when the assistant cannot be reached the message stays in
 * the queue (and in localStorage, so a reload does not lose it) and is retried with back-off.
 */
(function () {
  "use strict";

  var WEBHOOK = "/webhooks/rest/webhook";
  var REQUEST_TIMEOUT_MS = 45000;
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000]; // then every 15 s
  var STORAGE = { sender: "suixing.sender", lang: "suixing.lang", pending: "suixing.pending" };

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

  var log, input, form, offlineBox, offlineText, offlineAlt, typingBubble, welcomeBubble;

  function readStorage(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function writeStorage(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: keep going without it */ }
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

  var STEP = /^\s*(?:(\d{1,2})\s*[.．、)）]|([①②③④⑤⑥⑦⑧⑨⑩]))\s*(.+)$/;
  var BULLET = /^\s*[-•·*]\s+(.+)$/;
  var CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩";

  // Text with line breaks, numbered steps (1. / 1、 / ①) and bullets, as DOM nodes.
  function renderText(text) {
    var frag = document.createDocumentFragment();
    var lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    var paragraph = null, list = null, listKind = null;
    function closeAll() { paragraph = null; list = null; listKind = null; }
    lines.forEach(function (rawLine) {
      var line = rawLine.replace(/^#{1,6}\s+/, "");  // markdown headings: keep the words
      var step = STEP.exec(line), bullet = BULLET.exec(line);
      if (!line.trim()) { closeAll(); return; }
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
        appendInline(li, step[3]);
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
        appendInline(item, bullet[1]);
        list.appendChild(item);
        return;
      }
      list = null; listKind = null;
      if (paragraph) paragraph.appendChild(el("br"));
      else { paragraph = el("p"); frag.appendChild(paragraph); }
      appendInline(paragraph, line);
    });
    return frag;
  }

  function addUserBubble(display) {
    var bubble = el("div", "msg user", display);
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
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
      if (image.indexOf("data:") !== 0) { link.target = "_blank"; link.rel = "noopener noreferrer"; }
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
    if (hasContent) {
      log.appendChild(bubble);
      scrollToEnd();
    }
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

  function showOffline(delayMs) {
    clearInterval(offlineTimer);
    offlineBox.hidden = false;
    var until = Date.now() + delayMs;
    var other = lang === "zh" ? "en" : "zh";
    function tick() {
      // Both languages: someone who switched by mistake must still understand that nothing is lost.
      var seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      offlineText.textContent = seconds > 0 ? t("offline").replace("{s}", String(seconds)) : t("offlineRetrying");
      offlineAlt.textContent = seconds > 0 ? TEXTS[other].offline.replace("{s}", String(seconds))
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
  function send(message, display, quiet) {
    var item = { message: message, display: display, quiet: !!quiet,
                 bubble: display ? addUserBubble(display) : null };
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
      if (response.status >= 500) return { kind: "offline" };
      if (!response.ok) return { kind: "error" };
      return response.json().then(function (data) {
        return { kind: "ok", messages: Array.isArray(data) ? data : [] };
      }, function () { return { kind: "error" }; });
    }, function () {
      clearTimeout(timer);
      return { kind: "offline" };
    });
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
        result.messages.forEach(renderBotMessage);
        if (!result.messages.length && !item.quiet) {
          var hint = el("div", "msg bot error");
          hint.appendChild(renderText(t("noAnswer")));
          log.appendChild(hint);
          scrollToEnd();
        }
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
      var delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      showOffline(delay);
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

  // ---- start --------------------------------------------------------------------------------------------------
  function start() {
    log = document.getElementById("log");
    input = document.getElementById("input");
    form = document.getElementById("composer");
    offlineBox = document.getElementById("offline");
    offlineText = document.getElementById("offline-text");
    offlineAlt = document.getElementById("offline-text-alt");

    applyTexts();

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
    pending.forEach(function (item) {
      if (item && typeof item.message === "string") send(item.message, typeof item.display === "string" ? item.display : null);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
