// Skills chat page: talks to the bot over a WebSocket at /ws (JSON text frames). Plain JS, no build.
(function () {
  "use strict";

  var TOKEN_KEY = "spocc_token";
  var MAX_TEXT = 4096;
  var BACKOFF_START_MS = 500;
  var BACKOFF_MAX_MS = 10000;

  var list = document.getElementById("messages");
  var banner = document.getElementById("banner");
  var form = document.getElementById("composer-form");
  var input = document.getElementById("composer");
  var menuButton = document.getElementById("menu-button");
  var menu = document.getElementById("menu");

  var socket = null;
  var attempts = 0;
  var welcomed = false;
  var outbox = [];
  var player = document.createElement("audio");  // the server's speech (OGG/Opus), one at a time
  player.hidden = true;
  player.preload = "none";
  player.setAttribute("data-testid", "player");
  document.body.appendChild(player);

  // ---- storage (may be unavailable in private modes) ----

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not kept: fine */ }
  }

  // ---- ids: crypto.randomUUID needs a secure context, so plain http gets a v4 UUID by hand ----

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  // ---- the socket ----

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + "/ws";
  }

  function connect() {
    welcomed = false;
    var ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = function () {
      var hello = {
        type: "hello", token: load(TOKEN_KEY), lang: navigator.language,
        history: !list.hasChildNodes()  // a fresh page: the server sends back what it showed
      };
      var invite = new URLSearchParams(window.location.search).get("invite");
      if (invite) { hello.invite = invite; }
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (event) { receive(event.data); };
    ws.onclose = function () {
      if (socket === ws) { socket = null; scheduleReconnect(); }
    };
    ws.onerror = function () { ws.close(); };
  }

  function scheduleReconnect() {
    welcomed = false;
    banner.hidden = false;
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * Math.pow(2, attempts));
    attempts += 1;
    window.setTimeout(connect, delay * (0.75 + Math.random() * 0.5));
  }

  function send(frame) {
    if (socket && welcomed && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    } else {
      outbox.push(frame);
    }
  }

  function flush() {
    var waiting = outbox;
    outbox = [];
    waiting.forEach(send);
  }

  // ---- what the server sends ----

  function receive(data) {
    var frame;
    try { frame = JSON.parse(data); } catch (e) { return; }
    if (!frame || typeof frame !== "object") { return; }
    var handler = handlers[frame.type];
    if (handler) { handler(frame); }
  }

  var handlers = {
    welcome: onWelcome,
    message: showMessage,
    image: showImage,
    document: showDocument,
    audio: showAudio,
    answered: onAnswered,
    voice: function (frame) { play(frame.src); },
    ui: applyLabels,
    error: function (frame) { showNote(String(frame.text || "")); }
  };

  var uiLabels = {};

  // The page's own words, in the person's language (sent when their language changes).
  function applyLabels(frame) {
    var labels = frame.labels && typeof frame.labels === "object" ? frame.labels : {};
    uiLabels = labels;
    Object.keys(labels).forEach(function (key) {
      var text = String(labels[key]);
      document.querySelectorAll('[data-ui="' + cssEscape(key) + '"]').forEach(function (node) {
        node.textContent = text;
      });
      document.querySelectorAll('[data-ui-label="' + cssEscape(key) + '"]').forEach(function (node) {
        node.setAttribute("aria-label", text);
      });
      document.querySelectorAll('[data-ui-placeholder="' + cssEscape(key) + '"]').forEach(function (node) {
        node.setAttribute("placeholder", text);
      });
    });
    if (labels.title) { document.title = String(labels.title); }
  }

  function onWelcome(frame) {
    var previous = load(TOKEN_KEY);
    if (typeof frame.token === "string") {
      if (previous && previous !== frame.token) { list.textContent = ""; }
      save(TOKEN_KEY, frame.token);
    }
    welcomed = true;
    attempts = 0;
    banner.hidden = true;
    flush();
  }

  function showMessage(frame) {
    if (frame.id && list.querySelector('[data-id="' + cssEscape(frame.id) + '"]')) { return; }
    replaceOpenQuestion(frame.ref);
    var buttons = Array.isArray(frame.buttons) && frame.buttons.length ? frame.buttons : null;
    if (buttons) { closeAllQuestions(); }
    var bubble = element("article", "msg bot");
    bubble.setAttribute("data-testid", "bot-message");
    setLanguage(bubble, frame);
    if (frame.id) { bubble.setAttribute("data-id", frame.id); }
    if (frame.ref) { bubble.setAttribute("data-ref", frame.ref); }
    bubble.appendChild(messageHead(frame));
    if (buttons) {
      bubble.appendChild(optionList(bubble, buttons));
      bubble.setAttribute("data-open", "");
    }
    append(bubble);
    fitLabels(bubble);
  }

  function messageHead(frame) {
    var head = element("div", "msg-head");
    var text = element("p", "text");
    appendWithLinks(text, String(frame.text || ""));
    head.appendChild(text);
    if (isSpeech(frame.audio)) {
      var button = element("button", "speak");
      button.type = "button";
      button.setAttribute("aria-label", uiLabels.read_aloud || "Read aloud");
      button.setAttribute("data-testid", "speak");
      button.setAttribute("data-src", frame.audio);
      button.textContent = "🔊";
      button.addEventListener("click", function () { play(frame.audio); });
      head.appendChild(button);
    }
    return head;
  }

  function optionList(bubble, rows) {
    var options = element("div", "options");
    rows.forEach(function (row) {
      if (!Array.isArray(row)) { return; }
      var nav = row.length > 1;  // buttons side by side: icon above a short label
      var line = element("div", nav ? "option-row nav-row" : "option-row");
      row.forEach(function (item) { line.appendChild(optionButton(bubble, item, nav)); });
      options.appendChild(line);
    });
    return options;
  }

  // Navigation shows its icon above a short word or two, so three fit side by side.
  function optionButton(bubble, item, nav) {
    var button = element("button", nav ? "option nav" : "option");
    button.type = "button";
    button.setAttribute("data-testid", "option");
    button.setAttribute("data-payload", String(item.payload));
    var label = String(item.label);
    var parts = nav ? /^(\S+)\s+([\s\S]+)$/.exec(label) : null;
    if (parts && !/[\p{L}\p{N}]/u.test(parts[1])) {
      var icon = element("span", "nav-icon");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = parts[1];
      var words = element("span", "nav-label");
      words.textContent = parts[2];
      button.appendChild(icon);
      button.appendChild(words);
      button.setAttribute("aria-label", label);
    } else {
      button.textContent = label;
    }
    button.addEventListener("click", function () {
      if (button.disabled) { return; }
      disableOptions(bubble);
      button.classList.add("chosen");
      button.setAttribute("aria-pressed", "true");
      send({ type: "choice", id: newId(), payload: String(item.payload) });
    });
    return button;
  }

  function onAnswered(frame) {
    var bubble = findByRef(frame.ref);
    if (!bubble) { return; }
    disableOptions(bubble);
    var label = String(frame.label || "");
    bubble.setAttribute("data-answered", "true");
    var matched = false;
    Array.prototype.forEach.call(bubble.querySelectorAll(".option"), function (button) {
      var chosen = (button.getAttribute("aria-label") || button.textContent) === label;
      matched = matched || chosen;
      button.classList.toggle("chosen", chosen);
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
    var mark = bubble.querySelector(".answer") || element("p", "");
    // The green button already shows the answer; the words stay for screen readers.
    mark.className = matched ? "answer visually-hidden" : "answer";
    mark.setAttribute("data-testid", "answer");
    mark.textContent = "✓ " + label;
    bubble.appendChild(mark);
  }

  function showImage(frame) {
    var figure = element("figure", "figure");
    figure.setAttribute("data-testid", "bot-image");
    var image = element("img", "");
    image.src = String(frame.src || "");
    image.alt = String(frame.alt || frame.caption || "");
    image.setAttribute("data-testid", "result-image");
    image.addEventListener("load", settle);
    figure.appendChild(image);
    if (frame.caption) {
      var caption = element("figcaption", "");
      caption.textContent = String(frame.caption);
      figure.appendChild(caption);
    }
    append(figure);
  }

  function showDocument(frame) {
    var box = element("div", "msg bot");
    box.setAttribute("data-testid", "bot-document");
    if (frame.caption) {
      var caption = element("p", "doc-caption");
      caption.textContent = String(frame.caption);
      box.appendChild(caption);
    }
    var link = element("a", "download");
    link.href = String(frame.href || "");
    link.setAttribute("download", String(frame.filename || "file"));
    link.setAttribute("data-testid", "download");
    link.setAttribute("role", "button");
    link.textContent = "⬇ " + String(frame.label || frame.filename || "Download");
    box.appendChild(link);
    append(box);
  }

  function showAudio(frame) {
    var box = element("div", "msg bot");
    box.setAttribute("data-testid", "bot-audio");
    if (frame.caption) {
      var caption = element("p", "doc-caption");
      caption.textContent = String(frame.caption);
      box.appendChild(caption);
    }
    var player = element("audio", "");
    player.controls = true;
    player.preload = "metadata";
    player.src = String(frame.src || "");
    box.appendChild(player);
    append(box);
  }

  function showNote(text) {
    var note = element("p", "note");
    note.setAttribute("data-testid", "note");
    note.textContent = text;
    append(note);
  }

  // ---- questions: only the newest can be answered ----

  function findByRef(ref) {
    if (!ref) { return null; }
    var found = list.querySelectorAll('[data-ref="' + cssEscape(ref) + '"]');
    return found.length ? found[found.length - 1] : null;
  }

  function replaceOpenQuestion(ref) {
    var old = findByRef(ref);
    if (old && !old.hasAttribute("data-answered") && !old.querySelector(".chosen")) {
      old.parentNode.removeChild(old); // the server re-sent it after a reconnect
    }
  }

  function closeAllQuestions() {
    Array.prototype.forEach.call(list.querySelectorAll(".msg.bot"), disableOptions);
  }

  function disableOptions(bubble) {
    bubble.removeAttribute("data-open");
    Array.prototype.forEach.call(bubble.querySelectorAll(".option"), function (button) {
      button.disabled = true;
    });
  }

  // ---- what the person sends ----

  function sendText(text) {
    var trimmed = text.trim().slice(0, MAX_TEXT);
    if (!trimmed) { return; }
    var bubble = element("div", "msg me");
    bubble.setAttribute("data-testid", "my-message");
    bubble.setAttribute("dir", "auto");
    var body = element("p", "text");
    body.textContent = trimmed;
    bubble.appendChild(body);
    list.appendChild(bubble);
    scrollToEnd();
    send({ type: "text", id: newId(), text: trimmed });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendText(input.value);
    input.value = "";
    input.focus();
  });

  // ---- header: menu and auto-read ----

  menuButton.addEventListener("click", function () { setMenu(menu.hidden); });

  Array.prototype.forEach.call(menu.querySelectorAll("[data-command]"), function (button) {
    button.addEventListener("click", function () {
      setMenu(false);
      sendText(button.getAttribute("data-command"));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !menu.hidden) { setMenu(false); menuButton.focus(); }
  });

  document.addEventListener("click", function (event) {
    if (!menu.hidden && !menu.contains(event.target) && !menuButton.contains(event.target)) {
      setMenu(false);
    }
  });

  function setMenu(open) {
    menu.hidden = !open;
    menuButton.setAttribute("aria-expanded", open ? "true" : "false");
  }

  // ---- speech: files the server made (a "voice" frame plays when the person turned audio on) ----

  function isSpeech(src) { return typeof src === "string" && /^\/audio\/[0-9a-f]{32}\.ogg$/.test(src); }

  function play(src) {
    if (!isSpeech(src)) { return; }
    player.pause();
    player.src = src;
    var started = player.play();
    if (started && typeof started.catch === "function") { started.catch(function () { /* autoplay refused */ }); }
  }

  // ---- small helpers ----

  function setLanguage(node, frame) {
    var dir = frame.dir === "rtl" ? "rtl" : "ltr";
    node.setAttribute("dir", dir);
    document.documentElement.setAttribute("dir", dir);
    if (frame.lang) {
      node.setAttribute("lang", String(frame.lang));
      document.documentElement.setAttribute("lang", String(frame.lang));
    }
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    return node;
  }

  function append(node) {
    list.appendChild(node);
    settle();
  }

  function scrollToEnd() { list.scrollTop = list.scrollHeight; }

  // Show the end of the chat, but never scroll the open question's first line (progress and
  // situation) out of view: a question taller than the screen starts at its top.
  function settle() {
    var open = list.querySelectorAll(".msg.bot[data-open]");
    var question = open.length ? open[open.length - 1] : null;
    var end = list.scrollHeight - list.clientHeight;
    if (!question) { list.scrollTop = end; return; }
    var top = question.getBoundingClientRect().top - list.getBoundingClientRect().top +
      list.scrollTop - 8;
    list.scrollTop = Math.min(end, Math.max(0, top));
  }

  // A word too long for its button (a long compound word) makes the label smaller, not split.
  function fitLabels(bubble) {
    Array.prototype.forEach.call(bubble.querySelectorAll(".option"), function (button) {
      var size = 100;
      while (button.scrollWidth > button.clientWidth + 1 && size > 70) {
        size -= 5;
        button.style.fontSize = size + "%";
      }
    });
  }

  // Text with its web addresses as links to tap (built from text nodes: nothing is parsed as HTML).
  function appendWithLinks(node, text) {
    var address = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;
    var at = 0;
    var match;
    while ((match = address.exec(text)) !== null) {
      node.appendChild(document.createTextNode(text.slice(at, match.index)));
      var link = element("a", "link");
      link.href = match[0];
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.setAttribute("data-testid", "link");
      link.textContent = match[0];
      node.appendChild(link);
      at = match.index + match[0].length;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
  }

  function cssEscape(value) {
    var text = String(value);
    return window.CSS && window.CSS.escape ? window.CSS.escape(text) : text.replace(/["\\]/g, "\\$&");
  }

  connect();
})();
