/* Search suggestions while typing (progressive enhancement: without this file the search
   boxes are plain inputs). Each input with data-suggest gets a <datalist> filled from the
   JSON endpoint; the browser shows it as the input's own suggestion list. */
(function () {
  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (!typed || typed === last) return;
        last = typed;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.suggestions.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
