// A live character counter under every field with data-maxlength (bio, career goals,
// expertise, focus-area goals). The visible count updates as you type; screen readers hear
// it through a polite live region, once typing pauses, so they are not interrupted per key.
(function () {
  "use strict";

  function words(used, limit) {
    var left = limit - used;
    if (left < 0) {
      return -left + " characters over the limit of " + limit;
    }
    return used + " of " + limit + " characters used";
  }

  function attach(field) {
    if (field.dataset.counterReady) {
      return;
    }
    field.dataset.counterReady = "1";
    var limit = parseInt(field.dataset.maxlength, 10);
    var counter = document.createElement("span");
    counter.className = "char-counter";
    counter.id = (field.id || field.name) + "-counter";
    var visible = document.createElement("span");
    visible.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    counter.appendChild(visible);
    counter.appendChild(spoken);
    // On the help text's line when the field has one, else on a line of its own.
    var help = field.nextElementSibling;
    if (!help || help.tagName !== "SMALL") {
      help = document.createElement("small");
      field.insertAdjacentElement("afterend", help);
    }
    help.classList.add("with-counter");
    help.appendChild(counter);
    var described = (field.getAttribute("aria-describedby") || "").split(" ");
    if (!help.id || described.indexOf(help.id) === -1) {
      described.push(counter.id);
      field.setAttribute("aria-describedby", described.join(" ").trim());
    }

    var timer = null;
    function update(announce) {
      // Line breaks count once, as the server counts them.
      var used = field.value.replace(/\r\n/g, "\n").length;
      visible.textContent = used + " / " + limit;
      counter.classList.toggle("near-limit", used >= limit * 0.9 && used <= limit);
      counter.classList.toggle("over-limit", used > limit);
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          spoken.textContent = words(used, limit);
        }, 700);
      }
    }
    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  function attachAll(root) {
    root.querySelectorAll("[data-maxlength]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    attachAll(event.target);
  });
})();
