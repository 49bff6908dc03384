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

  document.addEventListener("DOMContentLoaded", function () {
    fitMenu();
    labelCells(document);
    showNoticeAtAnchor();
  });
  window.addEventListener("pageshow", matchFiltersToResults);
  WIDE.addEventListener("change", fitMenu);
  document.addEventListener("keydown", closeOnEscape);
  document.addEventListener("click", closeOnClickOutside);
  /* Rows swapped in by HTMX (filters, approvals) get their labels too. */
  document.addEventListener("htmx:afterSettle", function () { labelCells(document); });
})();
