// The servers panel on the floor plan: each server's tables and covers this shift, who is next up
// for a party, and a host's Cut and Skip once. Read from GET /api/rotation; read again when a
// table, a party, a section or a server changes (the live events every staff screen hears).
//
// For the waitlist and the seat dialog: `nextUpFor(size)` (also window.tableside.rotation.nextUpFor)
// resolves to {userId, name, tableId, tableNumber} or null, and shows "Next up: <name> — <table>"
// in the panel for that size. `nextUpText(nextUp)` is the same words, for a line of their own.

import { request } from "../api.js";
import { announce, showNotice } from "../notices.js";
import { keepHeight } from "../room-for.js";
import { relativeTime } from "../table-render.js";
import { tickEvery } from "../ticker.js";

const panel = document.querySelector("[data-servers-panel]");
const CHANGES = /^(table:status_changed|tables:batch_update|table:|party:(un)?seated|section:|server:)/;
let size = 2;
let asked = 0;

/** "Next up: maria — T-12", or why there is none, for a party of `forSize`. */
export function nextUpText(nextUp, forSize = size) {
  if (!nextUp) return `No server has a free table for ${forSize}.`;
  return `Next up: ${nextUp.name} — ${nextUp.tableNumber}`;
}

/** Who is next up for a party of `forSize` (and show it in the panel). */
export async function nextUpFor(forSize) {
  size = Math.max(1, Math.min(99, Number(forSize) || 1));
  const input = panel?.querySelector("[data-rotation-size]");
  if (input && Number(input.value) !== size) input.value = String(size);
  const rotation = await refresh();
  return rotation?.nextUp ?? null;
}

async function read() {
  const floor = panel.dataset.floor;
  const { ok, data } = await request("GET", `/api/rotation?size=${size}&floor=${encodeURIComponent(floor)}`);
  return ok ? data : null;
}

/** Read the rotation again; only the newest read asked for is shown (an older answer may come later). */
async function refresh() {
  if (!panel) return null;
  const wanted = ++asked;
  const rotation = await read().catch(() => null);
  if (rotation && wanted === asked) render(rotation);
  return rotation;
}

function render(rotation) {
  const list = panel.querySelector("[data-server-list]");
  const template = panel.querySelector("[data-server-template]");
  const mayChange = panel.dataset.mayChange === "true";
  const told = rotation.servers.length ? nextUpText(rotation.nextUp, rotation.size) : "";
  panel.querySelector("[data-next-up]").textContent = told;
  panel.querySelector("[data-next-up-short]").textContent = rotation.nextUp ? `· ${told}` : "";
  panel.querySelector("[data-servers-empty]").hidden = rotation.servers.length > 0;
  const items = rotation.servers.map((server) => {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.server = String(server.userId);
    item.classList.toggle("server--next", server.userId === rotation.nextUp?.userId);
    item.classList.toggle("server--cut", server.cut);
    item.querySelector("[data-server-initials]").textContent = server.initials;
    item.querySelector("[data-server-name]").textContent = server.name;
    const state = item.querySelector("[data-server-state]");
    state.hidden = !server.cut && !server.skipped && server.userId !== rotation.nextUp?.userId;
    state.textContent = server.cut ? "Cut" : server.skipped ? "Skipped once" : "Next up";
    item.querySelector("[data-server-tables]").textContent = server.tables.map((table) => table.tableNumber).join(", ") || "none";
    item.querySelector("[data-covers-now]").textContent = String(server.coversNow);
    item.querySelector("[data-covers-shift]").textContent = String(server.coversThisShift);
    const seated = item.querySelector("[data-last-seated]");
    seated.dataset.at = server.lastSeatedAt ?? "";
    seated.textContent = server.lastSeatedAt ? relativeTime(server.lastSeatedAt) : "not yet";
    const actions = item.querySelector("[data-server-actions]");
    if (!mayChange) actions.remove();
    else {
      const cut = actions.querySelector("[data-server-cut]");
      cut.textContent = server.cut ? "Uncut" : "Cut";
      cut.setAttribute("aria-label", `${server.cut ? "Uncut" : "Cut"} ${server.name}`);
      cut.addEventListener("click", () => change(server, server.cut ? "uncut" : "cut"));
      const skip = actions.querySelector("[data-server-skip]");
      skip.disabled = server.cut || server.skipped;
      skip.setAttribute("aria-label", `Skip ${server.name} once`);
      skip.addEventListener("click", () => change(server, "skip"));
    }
    return item;
  });
  list.replaceChildren(...items);
}

async function change(server, action) {
  const { ok, data } = await request("POST", `/api/rotation/${server.userId}/${action}`).catch(() => ({ ok: false, data: null }));
  if (!ok) {
    showNotice(`rotation-${server.userId}`, data?.message ?? "The change did not reach the server; try again.", { kind: "error", timeout: 6000 });
    return;
  }
  const done = { cut: "is cut: no more parties this shift", uncut: "is back in the rotation", skip: "is skipped for the next party" };
  announce(`${server.name} ${done[action]}.`);
  refresh();
}

if (panel) {
  const input = panel.querySelector("[data-rotation-size]");
  input.addEventListener("change", () => nextUpFor(input.value));
  tickEvery("[data-servers-panel] [data-last-seated]", (element, now) =>
    element.dataset.at ? relativeTime(element.dataset.at, now) : "not yet",
  );
  const connection = window.tableside?.connection;
  connection?.addEventListener("table-event", ({ detail: { name } }) => {
    if (CHANGES.test(name)) refresh();
  });
  connection?.addEventListener("ready", () => refresh());
  // The drawer's bar, for the notices to stand above it (waitlist.css).
  keepHeight(panel.querySelector(".servers-panel__summary"), "--servers-bar-height");
  window.tableside = { ...(window.tableside ?? {}), rotation: { nextUpFor, nextUpText, refresh } };
  refresh();
}
