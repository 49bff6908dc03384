/* MentorBridge page behaviour: the site menu, dropdowns and stacked tables.
   Every page works without this file; it makes them nicer on small screens and by keyboard. */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 768px)");

  /* The site menu is a <details>: always open on wide screens, collapsed behind "Menu" on
     small ones. */
  function fitMenu() {
    document.querySelectorAll("details.site-menu").forEach(function (menu) {
      menu.open = WIDE.matches;
    });
  }

  /* Escape closes the innermost open menu and gives focus back to its button; a click
     outside closes the user menu. */
  function closeOnEscape(event) {
    if (event.key !== "Escape") return;
    var open = Array.prototype.slice.call(
      document.querySelectorAll("details.dropdown[open], details.site-menu[open]")
    ).filter(function (d) { return !(d.classList.contains("site-menu") && WIDE.matches); });
    var last = open[open.length - 1];
    if (!last) return;
    last.open = false;
    last.querySelector("summary").focus();
  }

  function closeOnClickOutside(event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.open = false;
    });
  }

  /* Tables of class "list" stack their cells on small screens; each cell is labelled with
     its column header so a stacked row still reads "Status: Active". */
  function labelCells(root) {
    (root || document).querySelectorAll("table.list").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); }
      );
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[column]) {
            cell.setAttribute("data-label", heads[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  /* After an action the page often opens at the section it changed (#feedback): the notice
     that says what happened ("already sent", "on its way") sits at the top of the page, out
     of sight. Move it just above that section and show both. */
  function showNoticeAtAnchor() {
    var notice = document.querySelector("main > .messages");
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!notice || !target || target.contains(notice)) return;
    target.parentNode.insertBefore(notice, target);
    /* after the browser's own scroll to the anchor, which comes with the load event */
    window.addEventListener("load", function () {
      window.requestAnimationFrame(function () { notice.scrollIntoView(); });
    });
  }

  /* Back (or Forward) to a page of results: the browser puts back what was last typed in
     its filter form, which need not be what the results show (typed, filtered, then Back to
     the unfiltered page). Each filter form goes back to the values the page was served with,
     which are the ones its results answer. */
  function matchFiltersToResults(event) {
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    var returning = event.persisted || (entries.length && entries[0].type === "back_forward");
    if (!returning) return;
    document.querySelectorAll('form.filters[method="get"]').forEach(function (form) {
      form.reset();
    });
  }

  /* An HTMX request the server refused (400, 403, 404, 409, 5xx: nothing swapped in), or one
     that never reached it: say so above the form that sent it, whose fields keep what was
     typed. A 422 carries the form back with its errors and is swapped in instead. */
  var REFUSED_CLASS = "htmx-refused";

  function refusalText(detail) {
    var xhr = detail.xhr;
    if (!xhr || !xhr.status) {
      return "Could not reach MentorBridge. Nothing was saved: check your connection and try again.";
    }
    var type = xhr.getResponseHeader("Content-Type") || "";
    var body = (xhr.responseText || "").trim();
    if (type.indexOf("text/plain") === 0 && body && body.length <= 500) return body;
    if (type.indexOf("application/json") === 0) {
      try {
        var data = JSON.parse(body);
        if (data && typeof data.detail === "string" && data.detail) return data.detail;
      } catch (ignored) { /* not JSON after all: the general message below */ }
    }
    if (xhr.status === 403) return "You can't do that here. Nothing was saved.";
    if (xhr.status >= 500) {
      return "Something went wrong on our side (error " + xhr.status + "). Nothing was saved: try again in a moment.";
    }
    return "That could not be done (error " + xhr.status + "). Nothing was saved.";
  }

  function showRefusal(event) {
    var source = event.detail.elt;
    if (!source || !source.closest) return;
    var form = source.closest("form") || source;
    /* the errors of the last answer are not this one's */
    form.querySelectorAll(".form-errors:not(." + REFUSED_CLASS + ")").forEach(function (old) {
      old.remove();
    });
    var note = form.querySelector(":scope > ." + REFUSED_CLASS);
    if (!note) {
      note = document.createElement("p");
      note.className = "form-errors " + REFUSED_CLASS;
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = refusalText(event.detail);
  }

  function clearRefusal(event) {
    var source = event.detail.elt;
    var form = source && source.closest ? source.closest("form") : null;
    var note = form && form.querySelector(":scope > ." + REFUSED_CLASS);
    if (note && event.detail.successful) note.remove();
  }

  /* "Go back to the form" on a refusal page: the browser's own Back, which keeps what was
     typed in the form; the link's address is the fallback without JavaScript. */
  function goBack(event) {
    var link = event.target.closest && event.target.closest("a[data-history-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitMenu();
    labelCells(document);
    showNoticeAtAnchor();
  });
  window.addEventListener("pageshow", matchFiltersToResults);
  WIDE.addEventListener("change", fitMenu);
  document.addEventListener("keydown", closeOnEscape);
  document.addEventListener("click", closeOnClickOutside);
  document.addEventListener("click", goBack);
  document.addEventListener("htmx:responseError", showRefusal);
  document.addEventListener("htmx:sendError", showRefusal);
  document.addEventListener("htmx:afterRequest", clearRefusal);
  /* Rows swapped in by HTMX (filters, approvals) get their labels too. */
  document.addEventListener("htmx:afterSettle", function () { labelCells(document); });
  /* A form swapped back in with its errors inside an exclusive <details name=…> comes in
     closed (the one it replaces was still open when it was inserted): open it again. */
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("details[data-reopen]").forEach(function (details) {
      details.open = true;
    });
  });
})();
