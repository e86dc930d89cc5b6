// The list view: every table of the user's floors, filtered and sorted in place, with bulk actions.

import { MyTables } from "./my-tables.js";
import { renderSummary } from "./service.js";
import { fill, newTableElement } from "./table-fill.js";
import { fadeOut, flash, renderCounts } from "./table-render.js";

const STATUS_ORDER = ["available", "occupied", "reserved", "maintenance"];
const text = (value) => (value ?? "").toString().toLowerCase();
const SORTS = {
  number: (a, b) => text(a.tableNumber).localeCompare(text(b.tableNumber), undefined, { numeric: true }),
  floor: (a, b) => a.floor - b.floor,
  section: (a, b) => text(a.section).localeCompare(text(b.section)),
  capacity: (a, b) => a.capacity - b.capacity,
  status: (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
  since: (a, b) => Date.parse(a.statusChangedAt) - Date.parse(b.statusChangedAt),
};

export class ListView {
  constructor({ body, store, me, onOpen, onBulk }) {
    this.body = body;
    this.store = store;
    this.me = me;
    this.canChange = me.role !== "viewer";
    this.selected = new Set();
    this.form = document.querySelector("[data-list-filters]");
    this.filters = this.readFilters();
    this.empty = document.querySelector(".list-frame [data-empty]");
    this.bulkBar = document.querySelector("[data-bulk-bar]");
    this.myTables = new MyTables(me, () => this.render(false));
    this.wire(onOpen, onBulk);
    store.subscribe((change) => this.changed(change));
    this.render(false);
  }

  /** All floors for an unlimited user (all_tables), else each permitted floor's room. */
  rooms() {
    return this.me.floors.length ? this.me.floors : [null];
  }

  shows(floor) {
    return !this.me.floors.length || this.me.floors.includes(floor);
  }

  readFilters() {
    const data = new FormData(this.form);
    return {
      floor: data.get("floor") ? Number(data.get("floor")) : null,
      status: data.get("status") || null,
      sort: data.get("sort") || "number",
      order: data.get("order") || "asc",
    };
  }

  wire(onOpen, onBulk) {
    this.form.addEventListener("change", () => this.refilter());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.refilter();
    });
    document.querySelectorAll("[data-filter-status]").forEach((button) =>
      button.addEventListener("click", () => {
        const status = button.dataset.filterStatus;
        this.form.elements.status.value = this.filters.status === status ? "" : status;
        this.refilter();
      }),
    );
    document.querySelectorAll("thead [data-sort]").forEach((link) =>
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const key = link.dataset.sort;
        const again = this.filters.sort === key && this.filters.order === "asc";
        this.form.elements.sort.value = key;
        this.form.elements.order.value = again ? "desc" : "asc";
        this.refilter();
      }),
    );
    this.body.addEventListener("click", (event) => {
      if (event.target.closest("[data-select-table]")) return;
      const row = event.target.closest("tr[data-table-id]");
      if (row) onOpen(Number(row.dataset.tableId));
    });
    this.body.addEventListener("change", (event) => {
      const box = event.target.closest("[data-select-table]");
      if (!box) return;
      const id = Number(box.closest("tr").dataset.tableId);
      if (box.checked) this.selected.add(id);
      else this.selected.delete(id);
      this.showBulk();
    });
    document.querySelector("[data-select-all]")?.addEventListener("change", (event) => {
      for (const table of this.shown()) {
        if (event.target.checked) this.selected.add(table.tableId);
        else this.selected.delete(table.tableId);
      }
      this.render(false);
    });
    document.querySelectorAll("[data-bulk-status]").forEach((button) =>
      button.addEventListener("click", async () => {
        const ids = [...this.selected];
        this.selected.clear();
        this.render(false);
        await onBulk(ids, button.dataset.bulkStatus);
      }),
    );
    document.querySelector("[data-bulk-clear]")?.addEventListener("click", () => {
      this.selected.clear();
      this.render(false);
    });
  }

  refilter() {
    this.filters = this.readFilters();
    const params = new URLSearchParams({ view: "list" });
    for (const [key, value] of Object.entries(this.filters)) if (value != null) params.set(key, value);
    history.replaceState(null, "", `/tables?${params}`);
    this.render(false);
  }

  shown() {
    const { floor, status, sort, order } = this.filters;
    const rows = this.myTables
      .keep(this.store.views())
      .filter((table) => (floor == null || table.floor === floor) && (status == null || table.status === status));
    rows.sort((a, b) => SORTS[sort](a, b) || SORTS.number(a, b));
    if (order === "desc") rows.reverse();
    rows.sort((a, b) => this.myTables.compare(a, b)); // stable: the person's own tables first, each part in order
    return rows;
  }

  render(animate, entering = null) {
    const rows = this.shown();
    const existing = new Map([...this.body.querySelectorAll("tr[data-table-id]")].map((row) => [row.dataset.tableId, row]));
    let cursor = this.body.firstElementChild;
    for (const table of rows) {
      let row = existing.get(String(table.tableId));
      existing.delete(String(table.tableId));
      const isNew = !row;
      if (isNew) row = newTableElement(table);
      else fill(row, table);
      const box = row.querySelector("[data-select-table]");
      if (box) box.checked = this.selected.has(table.tableId);
      this.myTables.mark(row, table);
      if (isNew && table.tableId === entering) flash(row, "is-entering");
      // Move only rows out of order, so running colour transitions are not cut short.
      if (row === cursor) cursor = cursor.nextElementSibling;
      else this.body.insertBefore(row, cursor);
    }
    for (const row of existing.values()) row.remove();
    const noneMine = this.myTables.showEmpty(this.store.views());
    this.empty.hidden = rows.length > 0 || noneMine; // that notice says why the list is empty
    this.renderHeader();
    const onFloor = this.store.views().filter((table) => this.filters.floor == null || table.floor === this.filters.floor);
    renderCounts(onFloor, { animate });
    renderSummary(this.store.views()); // every floor the person may see
    this.showBulk();
  }

  renderHeader() {
    document.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    const active = document.querySelector(`thead [data-sort="${this.filters.sort}"]`);
    active?.closest("th").setAttribute("aria-sort", this.filters.order === "asc" ? "ascending" : "descending");
    document.querySelectorAll("[data-filter-status]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.filterStatus === this.filters.status));
    });
  }

  showBulk() {
    if (!this.bulkBar) return;
    for (const id of this.selected) if (!this.store.get(id)) this.selected.delete(id);
    this.bulkBar.hidden = this.selected.size === 0;
    this.bulkBar.querySelector("[data-bulk-count]").textContent = `${this.selected.size} selected`;
  }

  changed(change) {
    if (change.kind === "removed") {
      const row = this.body.querySelector(`tr[data-table-id="${change.id}"]`);
      this.selected.delete(change.id);
      if (row) fadeOut(row);
      this.render(true);
      return;
    }
    this.render(true, change.kind === "added" ? change.id : null);
    if (change.kind !== "changed" || change.local) return;
    const table = this.store.view(change.id);
    const row = this.body.querySelector(`tr[data-table-id="${change.id}"]`);
    if (row && table && change.previous?.status !== table.status) flash(row, "is-changed");
  }
}
