// GridGov web pages: small progressive enhancements, no third-party code.
// 1. A form that is being submitted cannot be submitted again (double clicks never send twice).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-allow-resubmit")) return;
  if (form.dataset.submitting === "1") { event.preventDefault(); return; }
  form.dataset.submitting = "1";
  form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
    // Disable after the browser has read the pressed button's name/value.
    setTimeout(function () { button.disabled = true; }, 0);
  });
}, true);
// 2. Back/forward cache: a page restored from history gets its buttons back.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
    form.querySelectorAll("button[disabled], input[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
  });
});
// 3. Filter panels start open on wide screens (closed on phones, to keep the list in view).
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(min-width: 761px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
});
// 4. The header's menu button (phones): opens and closes the menu; a drop-down — the header's groups and a list's
//    multi-choice filter (状态 ▾), which would otherwise stay over the results — closes when one clicks elsewhere.
document.addEventListener("DOMContentLoaded", function () {
  var header = document.querySelector("header.site");
  var toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    document.querySelectorAll("header.site details.group[open], details.multi[open]").forEach(function (d) {
      if (!d.contains(event.target)) { d.open = false; }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("header.site details.group[open], details.multi[open]").forEach(function (d) {
      d.open = false;
    });
  });
});
