/* Live interview transcript (progressive enhancement: without JavaScript the page shows
   the transcript so far and a refresh link).

   Polls transcript.json?since=<revision> every few seconds; the answer lists the entries
   added or changed since that revision, already rendered by the server. New entries are
   inserted in order (answers under their question) and announced politely to screen
   readers through a status region; focus never moves. Polling pauses while the tab is
   hidden, backs off after errors and stops when the interview has ended. The browser's
   HTTP cache revalidates with the ETag, so an unchanged transcript costs a 304. */
(function () {
  "use strict";
  var list = document.getElementById("transcript");
  if (!list || !window.fetch || !window.JSON) return;
  var url = list.getAttribute("data-poll-url");
  var revision = parseInt(list.getAttribute("data-revision"), 10) || 0;
  var status = list.getAttribute("data-status");
  var interval = (parseInt(list.getAttribute("data-interval"), 10) || 5) * 1000;
  var delay = interval;
  var announcer = document.querySelector("[data-announcer]");
  var pinnedSection = document.getElementById("pinned");
  var pinnedList = document.querySelector("[data-pinned]");
  var timer = null;

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function answersOf(node) {
    for (var i = 0; i < node.children.length; i++) {
      if (node.children[i].classList.contains("entry__answers")) return node.children[i];
    }
    return null;
  }

  function apply(entry) {
    var existing = document.getElementById("entry-" + entry.id);
    if (entry.hidden) {
      if (existing) existing.parentNode.removeChild(existing);
      return null;
    }
    var node = parse(entry.html);
    if (existing) {
      var keep = answersOf(existing);
      var fresh = answersOf(node);
      if (keep && fresh) node.replaceChild(keep, fresh);
      existing.parentNode.replaceChild(node, existing);
      return null;
    }
    var container = list;
    if (entry.parent) {
      var parent = document.getElementById("entry-" + entry.parent);
      container = parent ? answersOf(parent) : null;
      if (!container) return null;
    }
    container.appendChild(node);
    return node;
  }

  function summary(node) {
    var speaker = node.querySelector(".entry__speaker");
    var text = node.querySelector(".entry__text");
    var words = (speaker ? speaker.textContent : "") + "：" + (text ? text.textContent.trim() : "");
    return words.length > 120 ? words.slice(0, 120) + "…" : words;
  }

  function update(data) {
    if (data.revision <= revision && data.status === status) return;
    var added = [];
    data.entries.forEach(function (entry) {
      var node = apply(entry);
      if (node) added.push(node);
    });
    revision = Math.max(revision, data.revision);
    if (pinnedList) {
      pinnedList.innerHTML = data.pinned || "";
      pinnedSection.hidden = !data.pinned;
    }
    if (added.length) {
      var empty = document.querySelector("[data-empty]");
      if (empty) empty.parentNode.removeChild(empty);
      if (announcer) {
        announcer.textContent = (list.getAttribute("data-new-label") || "") + added.map(summary).join("；");
      }
    }
    if (data.status !== status) {
      status = data.status;
      document.querySelectorAll("[data-status-label]").forEach(function (label) {
        label.textContent = data.status_label;
        label.className = "badge badge--" + status;
      });
      var note = document.querySelector("[data-status-note]");
      var noteText = list.getAttribute("data-note-" + status);
      if (note && noteText) note.textContent = noteText;
      if (announcer && noteText) announcer.textContent = noteText;
    }
  }

  function poll() {
    timer = null;
    if (document.hidden) return;
    fetch(url + "?since=" + revision, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        update(data);
        delay = interval;
      })
      .catch(function () {
        delay = Math.min(delay * 2, 60000);
      })
      .then(schedule);
  }

  function schedule() {
    if (status === "ended" || timer || document.hidden) return;
    timer = window.setTimeout(poll, delay);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      if (timer) window.clearTimeout(timer);
      timer = null;
      poll();
    }
  });
  schedule();
})();
