/* Progressive enhancement only: every page works without this file.
   Loaded in <head> so the "js-enabled" class applies before first paint. */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js-enabled");
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
