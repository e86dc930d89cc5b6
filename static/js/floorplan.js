// The floor plan view: one floor's tables at their places (or as cards on a phone), kept current from the store.

import { clearPlacement, fillFrame, placeScaled, tablesBox } from "./plan-fill.js";
import { MyTables } from "./my-tables.js";
import { keepBadgesClear } from "./plan-badges.js";
import { PlanKeys } from "./plan-keys.js";
import { renderSummary } from "./service.js";
import { fill, newTableElement } from "./table-fill.js";
import { fadeOut, flash, renderCounts } from "./table-render.js";

const PHONE = window.matchMedia("(max-width: 599px)");
const MODE_KEY = "tableside:plan-mode";
const bySection = (a, b) =>
  (a.section ?? "").localeCompare(b.section ?? "") ||
  a.tableNumber.localeCompare(b.tableNumber, undefined, { numeric: true });

export class FloorPlanView {
  constructor({ root, store, floor, me, onOpen }) {
    this.root = root;
    this.store = store;
    this.floor = floor;
    this.frame = root.closest("[data-plan-frame]");
    this.empty = document.querySelector(".plan-frame [data-empty]");
    this.drawing = null;
    this.keys = new PlanKeys(root);
    this.myTables = new MyTables(me, () => this.after(false));
    root.addEventListener("click", (event) => {
      const tile = event.target.closest("[data-table-id]");
      if (tile) onOpen(Number(tile.dataset.tableId));
    });
    this.modeButtons = [...document.querySelectorAll("[data-plan-mode]")];
    for (const button of this.modeButtons) {
      button.addEventListener("click", () => {
        localStorage.setItem(MODE_KEY, button.dataset.planMode);
        this.after(false);
      });
    }
    PHONE.addEventListener("change", () => this.after(false));
    new ResizeObserver(() => this.fit()).observe(this.frame);
    // Badges are set aside anew whenever what they say or where they stand changes: a claim from another
    // screen, a ticking timer, a change waiting to sync, a table that has finished arriving.
    this.clearing = 0;
    const watched = ["hidden", "data-pending", "data-claimed-by", "data-overdue"];
    new MutationObserver(() => this.clearBadgesSoon()).observe(root, {
      subtree: true, childList: true, characterData: true, attributeFilter: watched,
    });
    root.addEventListener("animationend", () => this.clearBadgesSoon());
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

  /** Cards on a phone unless the person chose the plan; the plan everywhere else. */
  get cards() {
    return PHONE.matches && localStorage.getItem(MODE_KEY) !== "plan";
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
    if (isNew) this.root.append((tile = newTableElement(table)));
    else fill(tile, table);
    this.myTables.mark(tile, table);
    if (isNew && entering) flash(tile, "is-entering");
    return tile;
  }

  changed(change) {
    if (change.kind === "reset" || change.kind === "service") {
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
    renderSummary(views);
    if (this.empty) this.empty.hidden = views.length > 0;
    this.myTables.showEmpty(views);
    const cards = this.cards;
    this.frame.classList.toggle("is-cards", cards);
    for (const button of this.modeButtons) {
      button.setAttribute("aria-pressed", String((button.dataset.planMode === "cards") === cards));
    }
    this.arrange(views, cards);
    this.fit();
    this.keys.refresh();
  }

  /** Cards go in section order under section headings; a drawn plan keeps the headings hidden. */
  arrange(views, cards) {
    // Mine only: the cards leave the others out; the drawn plan keeps them, faint, to keep the room's shape.
    for (const table of views) {
      const setAside = cards && this.myTables.only && !this.myTables.mine(table);
      this.tile(table.tableId)?.classList.toggle("is-set-aside", setAside);
    }
    const wanted = [];
    let section;
    const shown = cards ? this.myTables.keep(views) : views;
    for (const table of [...shown].sort((a, b) => this.myTables.compare(a, b) || bySection(a, b))) {
      const heading = this.myTables.on && this.myTables.mine(table) ? "My tables" : (table.section ?? "");
      if (heading !== section) {
        section = heading;
        wanted.push(`section:${section}`);
      }
      wanted.push(String(table.tableId));
    }
    const current = [...this.root.children].filter(
      (child) => !child.classList.contains("is-leaving") && !child.classList.contains("is-set-aside"),
    );
    const key = (child) => (child.dataset.tableId ? child.dataset.tableId : `section:${child.dataset.section}`);
    if (current.map(key).join("|") === wanted.join("|") || !cards) return;
    // Reordering moves nodes, which restarts their animations: done only when the order is wrong.
    const headings = new Map(
      current.filter((child) => !child.dataset.tableId).map((heading) => [key(heading), heading]),
    );
    for (const item of wanted) {
      let node = item.startsWith("section:") ? headings.get(item) : this.tile(item);
      if (!node) {
        node = document.createElement("h2");
        node.className = "plan__section";
        node.dataset.section = item.slice("section:".length);
        node.textContent = node.dataset.section || "No section";
      }
      headings.delete(item);
      this.root.append(node);
    }
    for (const heading of headings.values()) heading.remove();
  }

  fit() {
    if (this.cards) {
      this.drawing = null;
      this.frame.removeAttribute("data-turned"); // cards are never turned: no note over their first heading
      for (const tile of this.root.querySelectorAll("[data-table-id]")) clearPlacement(tile);
    } else {
      this.drawing = fillFrame(this.root, this.frame, tablesBox(this.store.all()), { narrow: PHONE.matches });
      for (const table of this.store.views()) {
        const tile = this.tile(table.tableId);
        if (tile) placeScaled(tile, table, this.drawing);
      }
    }
    keepBadgesClear(this.root, this.frame, { cards: this.cards });
  }

  /** Set badges aside once the browser has drawn the latest changes (once for many changes at a time). */
  clearBadgesSoon() {
    if (this.clearing) return;
    this.clearing = requestAnimationFrame(() => {
      this.clearing = 0;
      keepBadgesClear(this.root, this.frame, { cards: this.cards });
    });
  }
}
