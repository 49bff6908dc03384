// The profile's timezone field: type to search the IANA zones (a <datalist>). When the
// profile still has the default UTC, the browser's own timezone is filled in and a note
// says so; saving the form keeps it, Cancel leaves the profile as it was.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector("[data-suggest-browser-timezone]");
    if (!picker) {
      return;
    }
    var input = picker.querySelector("[data-timezone-picker]");
    var note = picker.querySelector("[data-timezone-note]");
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    var known = document.querySelector(
      '#timezone-options option[value="' + CSS.escape(zone) + '"]',
    );
    if (!input || !known || zone === "UTC" || input.value !== "UTC") {
      return;
    }
    input.value = zone;
    if (note) {
      note.textContent =
        "Filled in from your browser: " + zone + ". Change it if it is wrong; it is saved with the form.";
      note.hidden = false;
    }
  });
})();
