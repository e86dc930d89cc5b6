// The table details dialog: status buttons for hosts (two taps per change: the table, then a status),
// a party's size, a hold and notes, and a banner when someone else changes the table while it is open.

import { HoldAndNotes, clockTime, holdLeft } from "./hold-and-notes.js";
import { LIMITS, conflictQuestion } from "./facts.js";
import { TableHistory } from "./history.js";
import { conflictWords } from "./status-actions.js";
import { relativeTime } from "./table-render.js";

const CHIPS_AT_MOST = 12; // more seats than this: the "More" field takes the rest

export class TableDialog {
  /**
   * onSetStatus(tableId, status, seenStatus, {covers?, notes?, reservedUntil?}) resolves to the outcome;
   * saved or queued closes the dialog.
   */
  constructor({ store, labels, me, onSetStatus }) {
    this.element = document.getElementById("table-dialog");
    this.store = store;
    this.labels = labels;
    this.me = me;
    this.tableId = null;
    this.shown = null;
    this.gone = false;
    const find = (selector) => this.element.querySelector(selector);
    this.banner = find("[data-dialog-banner]");
    this.bannerText = find("[data-dialog-banner-text]");
    this.message = find("[data-dialog-message]");
    this.buttons = [...this.element.querySelectorAll("[data-set-status]")];
    // Every change made here, a status, a party, a hold or notes, is one pick; notes typed and not yet
    // saved go along with it rather than being lost when the dialog closes.
    this.pick = async (status, details = {}) => {
      if (this.tableId == null || this.gone) return;
      const tableId = this.tableId;
      const notes = this.extras.draftNotes();
      const outcome = await onSetStatus(tableId, status, this.shown.status, notes === undefined ? details : { notes, ...details });
      if ((outcome === "saved" || outcome === "queued") && this.tableId === tableId) this.close();
    };
    for (const button of this.buttons) button.addEventListener("click", () => this.pick(button.dataset.setStatus));
    this.chips = find("[data-covers-chips]");
    this.moreForm = find("[data-covers-more-form]");
    this.chips?.addEventListener("click", (event) => {
      const chip = event.target.closest("[data-seat-covers]");
      if (chip?.dataset.seatCovers === "more") {
        this.moreForm.hidden = false;
        this.moreForm.elements.covers.focus();
      } else if (chip) this.pick("occupied", { covers: Number(chip.dataset.seatCovers) });
    });
    this.moreForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      const covers = Number(this.moreForm.elements.covers.value);
      if (Number.isInteger(covers) && covers >= LIMITS.covers[0] && covers <= LIMITS.covers[1]) this.pick("occupied", { covers });
    });
    this.extras = new HoldAndNotes(this.element, { pick: this.pick, say: (text) => this.say(text) });
    this.history = new TableHistory(find("[data-history]"), labels);
    find("[data-dialog-close]").addEventListener("click", () => this.close());
    find("[data-dialog-dismiss]").addEventListener("click", () => this.hideNotice());
    find("[data-dialog-refresh]").addEventListener("click", () => this.refresh());
    this.element.addEventListener("click", (event) => {
      if (event.target === this.element) this.close(); // a tap on the backdrop
    });
    this.element.addEventListener("close", () => {
      this.tableId = null;
      this.onOpenChange?.(null);
    });
    store.subscribe((change) => this.changed(change));
  }

  get isOpen() {
    return this.tableId != null && this.element.open;
  }

  open(tableId) {
    if (!this.store.get(tableId)) return;
    this.tableId = tableId;
    this.onOpenChange?.(tableId);
    this.gone = false;
    this.enableAfterGone();
    this.hideNotice();
    this.say(null);
    this.refresh();
    this.history.load(tableId);
    if (!this.element.open) this.element.showModal();
    (this.buttons.find((button) => button.dataset.setStatus !== this.shown.status) ?? this.element.querySelector("[data-dialog-close]")).focus();
  }

  close() {
    if (this.element.open) this.element.close();
    this.tableId = null;
  }

  /** Show the table as the store has it now. */
  refresh() {
    const table = this.store.view(this.tableId);
    this.hideNotice();
    if (!table) {
      this.close();
      return;
    }
    this.shown = table;
    const set = (selector, text) => {
      this.element.querySelector(selector).textContent = text;
    };
    set("[data-dialog-number]", table.tableNumber);
    set("[data-dialog-subtitle]", `${table.shape === "round" ? "Round" : "Rectangular"} table · floor ${table.floor}`);
    const waiting = table.pendingState === "queued" ? " (waiting to sync)" : "";
    set("[data-dialog-status]", `Status: ${this.labels[table.status]}${waiting}`);
    set('[data-detail="capacity"]', String(table.capacity));
    set('[data-detail="section"]', table.section || "None");
    set('[data-detail="since"]', relativeTime(table.statusChangedAt));
    this.element.querySelector('[data-detail="since"]').dataset.since = table.statusChangedAt ?? "";
    set('[data-detail="reservedUntil"]', table.reservedUntil ? clockTime(table.reservedUntil) : "");
    const left = this.element.querySelector("[data-hold-left]");
    left.dataset.until = table.reservedUntil ?? "";
    left.textContent = table.reservedUntil ? holdLeft(table.reservedUntil) : "";
    set('[data-detail="notes"]', table.notes || "");
    set('[data-detail="covers"]', table.status === "occupied" && table.covers ? `A party of ${table.covers} at ${table.capacity} seats` : "");
    set('[data-detail="assignee"]', table.assignee ? `${table.assignee.username} (${table.assignee.initials})` : "");
    this.element.querySelector('[data-detail-row="covers"]').hidden = !(table.status === "occupied" && table.covers);
    this.element.querySelector('[data-detail-row="assignee"]').hidden = !table.assignee;
    this.showChips(table);
    this.element.querySelector('[data-detail-row="reservedUntil"]').hidden = !table.reservedUntil;
    // A host reads and edits the notes in their field; others see them here.
    this.element.querySelector('[data-detail-row="notes"]').hidden = !table.notes || Boolean(this.extras.notes);
    this.extras.show(table);
    for (const button of this.buttons) {
      button.setAttribute("aria-pressed", String(button.dataset.setStatus === table.status));
      button.disabled = false;
    }
    const edit = this.element.querySelector("[data-edit-link]");
    if (edit) edit.href = `/tables/${table.tableId}/edit`;
    const remove = this.element.querySelector("[data-delete-link]");
    if (remove) remove.href = `/tables/${table.tableId}/delete`;
  }

  /** Number chips seat a party in one tap: 1 up to the table's seats, then "More" up to 99. */
  showChips(table) {
    if (!this.chips) return;
    const most = Math.min(table.capacity, CHIPS_AT_MOST);
    const chips = [];
    for (let covers = 1; covers <= most; covers += 1) chips.push(this.chip(String(covers), covers, table));
    chips.push(this.chip("More…", "more", table));
    this.chips.replaceChildren(...chips);
    this.moreForm.hidden = true;
    this.moreForm.elements.covers.value = "";
  }

  chip(text, value, table) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "covers-chip";
    chip.dataset.seatCovers = String(value);
    chip.textContent = text;
    const seated = table.status === "occupied" && table.covers === value;
    chip.setAttribute("aria-pressed", String(seated));
    chip.setAttribute("aria-label", value === "more" ? "Seat a larger party" : `Seat a party of ${value}`);
    return chip;
  }

  changed(change) {
    if (!this.isOpen) return;
    if (change.kind === "reset") {
      const table = this.store.get(this.tableId);
      if (!table) this.showGone(null);
      else if (table.version !== this.shown.version) this.showUpdated("someone else");
      return;
    }
    if (change.id !== this.tableId) return;
    if (change.kind === "removed") {
      this.showGone(change.by);
      return;
    }
    // The user's own changes show at once; someone else's wait for Refresh, so nothing moves under a finger.
    if (change.local || !change.by || change.by === this.me.username) {
      this.refresh();
      if (!change.local && change.cause !== "section") this.history.load(this.tableId, this.history.limit);
      return;
    }
    this.showUpdated(change.by);
  }

  showUpdated(name) {
    this.bannerText.textContent = conflictQuestion(name);
    this.banner.hidden = false;
  }

  showGone(by) {
    this.gone = true;
    this.bannerText.textContent = by ? `Table was deleted by ${by}.` : "This table is no longer on this floor.";
    this.banner.hidden = false;
    // Every control but closing and the notice's own buttons: nothing is left to change on a deleted table.
    for (const control of this.element.querySelectorAll("button, input, textarea, select, a[href]")) {
      if (control.closest("[data-dialog-banner]") || control.matches("[data-dialog-close]")) continue;
      if (control.matches("a")) control.setAttribute("aria-disabled", "true");
      else control.disabled = true;
      control.dataset.goneDisabled = "";
    }
  }

  /** Controls a deleted table's dialog disabled, usable again for the next table opened. */
  enableAfterGone() {
    for (const control of this.element.querySelectorAll("[data-gone-disabled]")) {
      if (control.matches("a")) control.removeAttribute("aria-disabled");
      else control.disabled = false;
      delete control.dataset.goneDisabled;
    }
  }

  hideNotice() {
    this.banner.hidden = true;
  }

  /** A message in the dialog (a refusal, a conflict); null clears it. */
  say(text, { info = false } = {}) {
    this.message.hidden = !text;
    this.message.textContent = text ?? "";
    this.message.classList.toggle("is-info", info);
    if (text) this.message.scrollIntoView({ block: "nearest" });
  }

  /** Someone changed the table first: show what it is now and ask; answer(useMine) resolves to the outcome. */
  ask(conflict, labels, answer) {
    this.refresh();
    const words = conflictWords(conflict, labels);
    this.say(words.text);
    const choices = [
      [words.keep, false],
      [words.use, true],
    ];
    for (const [label, useMine] of choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `button button--small${useMine ? "" : " button--quiet"}`;
      button.dataset.conflictChoice = useMine ? "mine" : "theirs";
      button.textContent = label;
      button.addEventListener("click", async () => {
        const tableId = this.tableId;
        this.say(null);
        const outcome = await answer(useMine);
        if (outcome !== "refused" && outcome !== "conflict" && this.tableId === tableId) this.close();
      });
      this.message.append(button);
    }
  }
}
