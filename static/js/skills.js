// Skill autocomplete for the profile's skill rows and the join form's focus-area skills.
// Both ask the same endpoint (people/skills/autocomplete/?format=json) and fill the input's
// <datalist>. An input with data-skill-list holds several skills separated by commas: its
// suggestions complete the last one and keep the ones before it.
(function () {
  "use strict";

  var pending = new WeakMap();

  function split(input) {
    if (!("skillList" in input.dataset)) {
      return { before: "", term: input.value.trim() };
    }
    var parts = input.value.split(",");
    var term = parts.pop().trim();
    var before = parts
      .map(function (part) {
        return part.trim();
      })
      .filter(Boolean)
      .join(", ");
    return { before: before ? before + ", " : "", term: term };
  }

  function fill(input, names, before) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    list.replaceChildren();
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = before + name;
      list.appendChild(option);
    });
  }

  function suggest(input) {
    var parts = split(input);
    if (!parts.term) {
      fill(input, [], "");
      return;
    }
    var previous = pending.get(input);
    if (previous) {
      previous.abort();
    }
    var controller = new AbortController();
    pending.set(input, controller);
    var url = new URL(input.dataset.skillAutocomplete, window.location.href);
    url.searchParams.set("format", "json");
    url.searchParams.set("q", parts.term);
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { skills: [] };
      })
      .then(function (data) {
        fill(input, data.skills || [], parts.before);
      })
      .catch(function () {
        // Aborted by a newer keystroke, or offline: the field still takes free text.
      });
  }

  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.skillAutocomplete) {
      return;
    }
    window.clearTimeout(timers.get(input));
    timers.set(
      input,
      window.setTimeout(function () {
        suggest(input);
      }, 150),
    );
  });

  // "✕" on a profile skill row removes the row (and its catalogue question, if any).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-skill-row]");
    if (!button) {
      return;
    }
    var group = button.closest(".skill-row-group");
    var next = group.nextElementSibling || group.previousElementSibling;
    group.remove();
    var focusTarget = next && next.querySelector("input[name=skill_name]");
    if (focusTarget) {
      focusTarget.focus();
    }
  });
})();
