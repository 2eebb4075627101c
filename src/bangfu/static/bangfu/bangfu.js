/* bangfu — the few behaviours of our own; everything else is htmx. No external code. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    // Phone: the side navigation is a drawer opened by the menu button, closed by the scrim.
    var toggle = document.querySelector(".menu-toggle");
    var scrim = document.querySelector(".scrim");
    if (toggle) toggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (scrim) scrim.addEventListener("click", function () { document.body.classList.remove("nav-open"); });

    // Language switch submits on change (no inline script, so a strict CSP can be used).
    document.querySelectorAll("form.lang select").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });

    // Buttons and links that need a second thought: data-confirm="…".
    document.addEventListener("click", function (ev) {
      var el = ev.target.closest("[data-confirm]");
      if (el && !el.hasAttribute("hx-confirm") && !window.confirm(el.getAttribute("data-confirm"))) {
        ev.preventDefault();
        ev.stopPropagation();
      }
    }, true);

    // A "reset" link in a filters bar clears the fields and reloads without a query string.
    document.querySelectorAll("[data-reset-filters]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        ev.preventDefault();
        window.location = window.location.pathname;
      });
    });
  });
})();
