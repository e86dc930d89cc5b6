// Switching floors without a reload: leave the old floor's room, join the new one, load its tables.

import { api } from "./api.js";
import { showFloorTitle } from "./floor-names.js";
import { showNotice } from "./notices.js";

export function enableFloorSwitch({ view, store, connection, sync, dialog, onSwitched = () => {} }) {
  const links = [...document.querySelectorAll(".floor-tabs [data-floor]")];
  const firstFloor = links.length ? Number(links[0].dataset.floor) : view.floor;

  const mark = (floor) => {
    showFloorTitle(floor);
    for (const link of links) {
      if (Number(link.dataset.floor) === floor) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    for (const link of document.querySelectorAll("[data-floor-param]")) {
      const url = new URL(link.href);
      url.searchParams.set("floor", floor);
      link.href = url.pathname + url.search;
    }
  };

  async function switchTo(floor, { push }) {
    if (floor === view.floor) return;
    const previous = view.floor;
    dialog.close();
    if (connection.connected) {
      view.floor = floor;
      mark(floor);
      if (push) history.pushState({ floor }, "", `/tables?floor=${floor}`);
      await sync.sync({
        fresh: true,
        before: async () => {
          await connection.leaveAll([previous]);
          await connection.joinAll([floor]);
        },
      });
      onSwitched(floor);
      return;
    }
    // No live connection: read the floor over HTTP; the reconnect's sync starts from a snapshot.
    try {
      const response = await api.tables(floor);
      if (!response.ok) throw new Error(response.data?.message || `error ${response.status}`);
      view.floor = floor;
      mark(floor);
      if (push) history.pushState({ floor }, "", `/tables?floor=${floor}`);
      store.replaceAll(response.data, { cause: "switch" });
      store.resetEvents(null);
    } catch (error) {
      showNotice("switch-failed", `Cannot switch floors while offline (${error.message}).`, {
        kind: "error",
        timeout: 6000,
      });
    }
  }

  for (const link of links) {
    link.addEventListener("click", (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      switchTo(Number(link.dataset.floor), { push: true });
    });
  }
  window.addEventListener("popstate", () => {
    const floor = Number(new URL(window.location.href).searchParams.get("floor")) || firstFloor;
    switchTo(floor, { push: false });
  });
}
