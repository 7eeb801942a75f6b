/* Progressive enhancement only: every page works without this file.
   Loaded synchronously in <head>, so classes apply before first paint:
   "js-enabled", and the reader's accessibility choices from the "a11y" cookie
   (the server renders them too; this covers pages served from a cache). */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js-enabled");
  var FLAGS = { hc: "a11y-contrast", ls: "a11y-spacing", rg: "a11y-guide", el: "a11y-elderly" };
  var match = document.cookie.match(/(?:^|;\s*)a11y=([^;]*)/);
  var tokens = match ? decodeURIComponent(match[1]).split(".") : [];
  ["a11y-text-1", "a11y-text-2", "a11y-text-3"].concat(Object.keys(FLAGS).map(function (k) { return FLAGS[k]; }))
    .forEach(function (name) { root.classList.remove(name); });
  tokens.forEach(function (token) {
    if (/^t[1-3]$/.test(token)) root.classList.add("a11y-text-" + token.charAt(1));
    if (FLAGS[token]) root.classList.add(FLAGS[token]);
  });
  // The main navigation (栏目导航) is a <details>: on wide screens portal.css shows its links
  // through ::details-content; a browser without that gets the menu opened there instead.
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!supported && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 48em)");
    document.addEventListener("DOMContentLoaded", function () {
      var menu = document.querySelector(".main-nav__menu");
      if (!menu) return;
      var sync = function () { menu.open = wide.matches; };
      sync();
      if (wide.addEventListener) wide.addEventListener("change", sync);
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
