/* The accessibility toolbar (无障碍工具条): text size, contrast, line spacing, reading
   guide, elderly mode, read-aloud with the browser's own speech synthesis, reset.
   Choices are kept in the "a11y" cookie (read by the server and by portal.js).
   Dependency-free; without JavaScript the toolbar link leads to /a11y/ instead.
   Every word it writes comes from the page (the toolbar template's data-msg-* and data-label-*
   attributes, translated there), so an English page hears English. */
(function () {
  "use strict";
  var root = document.documentElement;
  var panel = document.getElementById("a11y-panel");
  var toggle = document.getElementById("a11y-toggle");
  if (!panel || !toggle) return;
  var status = panel.querySelector(".a11y-panel__status");
  var FLAGS = { hc: "a11y-contrast", ls: "a11y-spacing", rg: "a11y-guide", el: "a11y-elderly" };
  var SIZES = ["100%", "112.5%", "125%", "150%"];

  // A status message from the panel's data-msg-NAME attribute, "{key}" replaced by values[key].
  function message(name, values) {
    return (panel.getAttribute("data-msg-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values && key in values ? values[key] : all;
    });
  }

  function read() {
    var match = document.cookie.match(/(?:^|;\s*)a11y=([^;]*)/);
    return match ? decodeURIComponent(match[1]).split(".").filter(Boolean) : [];
  }
  function write(tokens) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "a11y=" + encodeURIComponent(tokens.join(".")) + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
  }
  function textStep(tokens) {
    for (var i = 0; i < tokens.length; i++) if (/^t[1-3]$/.test(tokens[i])) return +tokens[i].charAt(1);
    return 0;
  }
  function apply(tokens) {
    for (var step = 1; step <= 3; step++) root.classList.toggle("a11y-text-" + step, textStep(tokens) === step);
    Object.keys(FLAGS).forEach(function (token) {
      var on = tokens.indexOf(token) !== -1;
      root.classList.toggle(FLAGS[token], on);
      var button = panel.querySelector('[data-token="' + token + '"]');
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var elderlyLink = document.querySelector("[data-a11y-elderly-link]");
    if (elderlyLink) {
      var label = elderlyLink.getAttribute(tokens.indexOf("el") !== -1 ? "data-label-on" : "data-label-off");
      if (label) elderlyLink.textContent = label;
    }
  }
  function say(message) {
    if (status) status.textContent = message;
  }
  function setText(tokens, step) {
    tokens = tokens.filter(function (t) { return !/^t[1-3]$/.test(t); });
    if (step > 0) tokens.unshift("t" + step);
    return tokens;
  }

  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    panel.hidden = open;
    if (!open) panel.querySelector("button").focus();
  });

  panel.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-a11y]");
    if (!button) return;
    var tokens = read();
    var action = button.getAttribute("data-a11y");
    if (action === "text-up" || action === "text-down" || action === "text-reset") {
      var step = action === "text-reset" ? 0 : Math.max(0, Math.min(3, textStep(tokens) + (action === "text-up" ? 1 : -1)));
      tokens = setText(tokens, step);
      say(message("size", { size: SIZES[step] }));
    } else if (action === "toggle") {
      var token = button.getAttribute("data-token");
      var on = tokens.indexOf(token) === -1;
      tokens = tokens.filter(function (t) { return t !== token; });
      if (on) tokens.push(token);
      say(message(on ? "on" : "off", { name: button.textContent.trim() }));
    } else if (action === "reset") {
      tokens = [];
      if (window.speechSynthesis) window.speechSynthesis.cancel();
      say(message("reset"));
    } else if (action === "close") {
      toggle.setAttribute("aria-expanded", "false");
      panel.hidden = true;
      toggle.focus();
      return;
    } else if (action === "speak") {
      speak();
      return;
    } else if (action === "stop") {
      if (window.speechSynthesis) window.speechSynthesis.cancel();
      say(message("stopped"));
      return;
    }
    write(tokens);
    apply(tokens);
  });

  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggle.setAttribute("aria-expanded", "false");
      panel.hidden = true;
      toggle.focus();
    }
  });

  function speak() {
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
      say(message("unsupported"));
      return;
    }
    var selection = window.getSelection ? String(window.getSelection()) : "";
    var main = document.getElementById("main-content");
    var text = (selection || (main ? main.innerText : "")).trim();
    if (!text) return;
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(text.slice(0, 4000));
    utterance.lang = root.lang === "en" ? "en-US" : "zh-CN";
    window.speechSynthesis.speak(utterance);
    say(message(selection ? "selection" : "page"));
  }

  // Reading guide: a band that follows the pointer, or the focused element for keyboard users.
  var guide = document.querySelector(".reading-guide");
  function moveGuide(y) {
    if (guide && root.classList.contains("a11y-guide")) guide.style.top = Math.max(0, y - 16) + "px";
  }
  document.addEventListener("mousemove", function (event) { moveGuide(event.clientY); });
  document.addEventListener("focusin", function (event) {
    var box = event.target.getBoundingClientRect ? event.target.getBoundingClientRect() : null;
    if (box) moveGuide(box.top + box.height / 2);
  });

  apply(read());
})();
