// The HRIS import page: while a file is read and checked, show progress and mark the buttons
// busy (large files take a while; the page must not look stuck).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.import-form")) {
    form.addEventListener("submit", () => {
      const progress = document.getElementById("import-progress");
      if (progress) progress.hidden = false;
      for (const button of form.querySelectorAll("button")) button.setAttribute("aria-busy", "true");
    });
  }
});
