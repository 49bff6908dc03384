// Forms marked data-confirm="Question?" ask before they submit (no inline handlers: the
// Content Security Policy forbids them).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
