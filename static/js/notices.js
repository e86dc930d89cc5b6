// Notices (connection, sync, refusals, conflicts) in an overlay at the bottom edge, and the polite
// live region that reads out table changes. The overlay (#banners) is itself a live region, so a
// notice is read out when it appears; nothing above the plan moves when one comes or goes. Beside a waitlist
// the notices sit over its column, not over the tables; on a phone the page leaves room below for them.

import { keepHeight } from "./room-for.js";

const region = () => document.getElementById("banners");
// The notices' height, for the plan page to leave that much room below its last table (waitlist.css).
if (region()) keepHeight(region(), "--notices-height");

/**
 * Show (or replace) the notice named `id`.
 * actions: [{label, onClick, primary}] make it a decision, which stays until answered;
 * timeout in ms makes an information notice leave by itself.
 */
export function showNotice(id, text, { kind = "info", actions = [], timeout = 0, role = "status" } = {}) {
  hideNotice(id);
  const notice = document.createElement("div");
  notice.className = `banner banner--${kind}`;
  notice.dataset.banner = id;
  notice.setAttribute("role", role);
  const message = document.createElement("p");
  message.className = "banner__text";
  message.textContent = text;
  notice.append(message);
  if (actions.length) {
    const row = document.createElement("div");
    row.className = "banner__actions";
    for (const action of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `button button--small ${action.primary ? "" : "button--quiet"}`;
      button.textContent = action.label;
      button.addEventListener("click", () => action.onClick(notice));
      row.append(button);
    }
    notice.append(row);
  }
  region()?.append(notice);
  if (timeout) setTimeout(() => notice.remove(), timeout);
  return notice;
}

export function hideNotice(id) {
  region()
    ?.querySelectorAll(`[data-banner="${CSS.escape(id)}"]`)
    .forEach((notice) => notice.remove());
}

let pending = [];
let timer = null;

/** Read out table changes politely; a burst is read as one sentence, not a flood. */
export function announce(text) {
  pending.push(text);
  clearTimeout(timer);
  timer = setTimeout(() => {
    const announcer = document.getElementById("announcer");
    if (announcer) {
      announcer.textContent = pending.length > 3 ? `${pending.length} tables were updated.` : pending.join(" ");
    }
    pending = [];
  }, 400);
}

export const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
