// Page banners (connection, sync, refusals) and the polite live region for others' updates.

const region = () => document.getElementById("banners");

/**
 * Show (or replace) the banner named `id`.
 * actions: [{label, onClick, primary}]; timeout in ms hides it by itself.
 */
export function showBanner(id, text, { kind = "info", actions = [], timeout = 0, role = "status" } = {}) {
  hideBanner(id);
  const banner = document.createElement("div");
  banner.className = `banner banner--${kind}`;
  banner.dataset.banner = id;
  banner.setAttribute("role", role);
  const message = document.createElement("p");
  message.className = "banner__text";
  message.textContent = text;
  banner.append(message);
  if (actions.length) {
    const row = document.createElement("div");
    row.className = "banner__actions";
    for (const action of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `button button--small ${action.primary ? "" : "button--quiet"}`;
      button.textContent = action.label;
      button.addEventListener("click", () => action.onClick(banner));
      row.append(button);
    }
    banner.append(row);
  }
  region()?.append(banner);
  if (timeout) setTimeout(() => banner.remove(), timeout);
  return banner;
}

export function hideBanner(id) {
  region()
    ?.querySelectorAll(`[data-banner="${CSS.escape(id)}"]`)
    .forEach((banner) => banner.remove());
}

let pending = [];
let timer = null;

/** Announce others' updates politely; a burst is read as one sentence, not a flood. */
export function announce(text) {
  pending.push(text);
  clearTimeout(timer);
  timer = setTimeout(() => {
    const announcer = document.getElementById("announcer");
    if (announcer) {
      announcer.textContent =
        pending.length > 3 ? `${pending.length} tables were updated.` : pending.join(" ");
    }
    pending = [];
  }, 400);
}

export const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
