// The floor plan view: one floor's tables at their places, kept current from the store.

import { fitPlan, placeTile, planSize } from "./plan-scale.js";
import { createTile, fadeOut, flash, renderCounts, updateTile } from "./table-render.js";

export class FloorPlanView {
  constructor({ root, store, labels, floor, onOpen }) {
    this.root = root;
    this.store = store;
    this.labels = labels;
    this.floor = floor;
    this.onOpen = onOpen;
    this.empty = document.querySelector(".plan-frame [data-empty]");
    root.addEventListener("click", (event) => {
      const tile = event.target.closest("[data-table-id]");
      if (tile) onOpen(Number(tile.dataset.tableId));
    });
    window.addEventListener("resize", () => this.fit());
    store.subscribe((change) => this.changed(change));
    this.renderAll();
  }

  /** The rooms this view follows: its floor. */
  rooms() {
    return [this.floor];
  }

  shows(floor) {
    return floor === this.floor;
  }

  tile(tableId) {
    return this.root.querySelector(`[data-table-id="${tableId}"]`);
  }

  renderAll() {
    const views = this.store.views();
    const keep = new Set(views.map((table) => String(table.tableId)));
    for (const tile of this.root.querySelectorAll("[data-table-id]")) {
      if (!keep.has(tile.dataset.tableId)) tile.remove();
    }
    for (const table of views) this.draw(table);
    this.after(false);
  }

  draw(table, { entering = false } = {}) {
    let tile = this.tile(table.tableId);
    const isNew = !tile;
    if (isNew) {
      tile = createTile(table);
      this.root.append(tile);
    }
    updateTile(tile, table, this.labels);
    placeTile(tile, table);
    if (isNew && entering) flash(tile, "is-entering");
    return tile;
  }

  changed(change) {
    if (change.kind === "reset") {
      this.renderAll();
      return;
    }
    if (change.kind === "removed") {
      const tile = this.tile(change.id);
      if (tile) fadeOut(tile);
      this.after(true);
      return;
    }
    const table = this.store.view(change.id);
    if (!table) return;
    const tile = this.draw(table, { entering: change.kind === "added" });
    if (change.kind === "changed" && change.previous && change.previous.status !== table.status && !change.local) {
      flash(tile, "is-changed");
    }
    this.after(true);
  }

  after(animate) {
    const views = this.store.views();
    renderCounts(views, { animate });
    if (this.empty) this.empty.hidden = views.length > 0;
    this.fit();
  }

  fit() {
    fitPlan(this.root, planSize(this.store.all()));
  }
}
