// The colour theme: the device's choice if one was made here, else the system's; loaded before the page paints.
(function () {
  "use strict";
  var KEY = "tableside:theme";
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function chosen() {
    try {
      var stored = localStorage.getItem(KEY);
      if (stored === "dark" || stored === "light") return stored;
    } catch (error) {
      // Storage can be off (private mode); follow the system.
    }
    return system && system.matches ? "dark" : "light";
  }

  function apply() {
    var theme = chosen();
    root.dataset.theme = theme;
    var button = document.querySelector("[data-theme-switch]");
    if (button) button.setAttribute("aria-pressed", String(theme === "dark"));
  }

  apply();
  if (system && system.addEventListener) system.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", function () {
    apply();
    var button = document.querySelector("[data-theme-switch]");
    if (!button) return;
    button.addEventListener("click", function () {
      var next = root.dataset.theme === "dark" ? "light" : "dark";
      var systemTheme = system && system.matches ? "dark" : "light";
      try {
        // Switching back to the system's theme follows the system again.
        if (next === systemTheme) localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, next);
      } catch (error) {
        // Not remembered, but still switched for this page.
      }
      apply();
      if (root.dataset.theme !== next) root.dataset.theme = next;
    });
  });
})();
