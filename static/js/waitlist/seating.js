// Seating from the waitlist in two taps: the party, then a table marked "Fits" on the plan (or a row
// of the list). A party bigger than every free table gets neighbouring tables marked "Together",
// seated all at once from the bar ("Seat at T-01 + T-02") or a tap on one of them. Where the servers
// panel runs, the table of the server next up is marked "Next up" and named in the bar; the host may
// take any other table that fits.
// A seated party is moved (or given another table) the same way: from its table's dialog, "Tap on the
// plan" marks the free tables it may have, and a tap on one of them moves it there.

import { showNotice } from "../notices.js";
import { fittingTables, suggestion } from "./fit.js";
import { freeNear } from "./move-join.js";
import { partyName } from "./wait-words.js";

const MOVE_WORDS = {
  move: { mark: "fits", doing: (who) => `Tap a free table to move ${who} to.`, none: (who) => `No free table on this floor fits ${who}.` },
  join: { mark: "add", doing: (who) => `Tap a free table to add to ${who}.`, none: () => "No free table on this floor to add." },
};

export class Seating {
  /**
   * onSeat(party, tableIds); onMove(kind, partyId, from, to) for a seated party; onChange() after a party is picked
   * or let go; onHand(tableId) with the table the host has in hand while seating or moving (null: none), for others to see.
   */
  constructor({ store, root, onSeat, onMove, onChange, onHand = () => {} }) {
    this.store = store;
    this.root = root;
    this.onSeat = onSeat;
    this.onMove = onMove;
    this.onChange = onChange;
    this.onHand = onHand;
    this.party = null; // a party from the waitlist to seat
    this.moving = null; // or a seated party to move ("move") or give a table ("join"): {kind, partyId, tableId}
    this.bar = document.querySelector("[data-seating-bar]");
    this.barText = this.bar?.querySelector("[data-seating-text]");
    this.together = this.bar?.querySelector("[data-seating-together]");
    this.nextText = this.bar?.querySelector("[data-seating-next]");
    this.nextUp = null; // {userId, name, tableId, tableNumber} for the picked party, once the rotation answers
    this.together?.addEventListener("click", () => this.seatTogether());
    this.bar?.querySelector("[data-seating-cancel]").addEventListener("click", () => this.pick(null));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && (this.party || this.moving) && !document.querySelector("dialog[open]")) this.pick(null);
    });
    store.subscribe(() => this.mark());
  }

  /** Pick a party to seat (null lets it go); picking the one picked lets it go too. */
  pick(party) {
    this.party = party && this.party?.partyId !== party.partyId ? party : null;
    this.moving = null;
    this.nextUp = null;
    this.mark();
    this.onChange();
    this.askWhoIsNext();
  }

  /** Move the party seated at `table` ("move") or give it another table ("join") by a tap on the plan. */
  moveFrom(kind, table) {
    this.party = null;
    this.nextUp = null;
    this.moving = { kind, partyId: table.partyId, tableId: table.tableId };
    this.mark();
    this.onChange();
    this.bar?.scrollIntoView({ block: "nearest" });
  }

  /** The table the moving party sits at, while it still sits there. */
  movingFrom() {
    const table = this.moving && this.store.view(this.moving.tableId);
    return table?.status === "occupied" && table.partyId === this.moving.partyId ? table : null;
  }

  /** The server next up for the picked party (servers panel: window.tableside.rotation), marked when it answers. */
  async askWhoIsNext() {
    const rotation = window.tableside?.rotation;
    const party = this.party;
    if (!rotation || !party) return;
    const nextUp = await rotation.nextUpFor(party.size).catch(() => null);
    if (this.party?.partyId !== party.partyId) return;
    this.nextUp = nextUp;
    this.mark();
  }

  /** The party picked, kept current from the line (it may have been seated or edited elsewhere). */
  refresh(parties) {
    if (!this.party) return;
    const now = parties.find((party) => party.partyId === this.party.partyId);
    this.party = now ?? null;
    this.mark();
  }

  get pickedId() {
    return this.party?.partyId ?? null;
  }

  /** What the picked party may sit at: tables that fit, or else neighbours together. */
  options() {
    const from = this.movingFrom();
    if (from) return { fits: freeNear(this.store, from, { fits: this.moving.kind === "move" }).map((table) => table.tableId), group: null };
    if (!this.party) return { fits: [], group: null };
    const tables = this.store.views();
    const fits = fittingTables(tables, this.party.size).map((table) => table.tableId);
    const group = fits.length ? null : suggestion(tables, this.party.size);
    return { fits, group };
  }

  /** Mark the tables that fit the picked party, in words and outline, and say what to do in the bar. */
  mark() {
    if (this.moving && !this.movingFrom()) {
      // The party left or was moved meanwhile (from another screen): nothing to move now, and the host is told
      // (a table no longer held is another floor the host switched to: nothing to say).
      const table = this.store.view(this.moving.tableId);
      if (table) showNotice("move-ended", `The party at ${table.tableNumber} was moved or cleared meanwhile: nothing was moved.`, { kind: "info", timeout: 6000 });
      this.moving = null;
    }
    const { fits, group } = this.options();
    this.onHand(this.inHand(fits, group));
    const together = new Set(group?.tableIds ?? []);
    const moveWords = this.moving && MOVE_WORDS[this.moving.kind];
    const who = this.moving ? this.movingName() : this.party && partyName(this.party);
    this.root.classList.toggle("is-seating", Boolean(this.party || this.moving));
    for (const element of this.root.querySelectorAll("[data-table-id]")) {
      const id = Number(element.dataset.tableId);
      const mark = fits.includes(id) ? (moveWords?.mark ?? "fits") : together.has(id) ? "together" : null;
      element.toggleAttribute("data-next-table", mark === "fits" && this.nextUp?.tableId === id);
      if (mark) {
        element.dataset.fits = mark;
        const doing = this.moving?.kind === "join" ? `Add to ${who}` : this.moving ? `Fits ${who}: tap to move there` : `Fits ${who}: tap to seat`;
        element.setAttribute("aria-description", mark === "together" ? `Together with ${group.label}` : doing);
      } else if (element.dataset.fits) {
        delete element.dataset.fits;
        element.removeAttribute("aria-description");
      }
    }
    if (!this.bar) return;
    this.bar.hidden = !this.party && !this.moving;
    if (this.moving) {
      this.barText.textContent = fits.length ? moveWords.doing(who) : moveWords.none(who);
      this.together.hidden = true;
      if (this.nextText) this.nextText.hidden = true;
    }
    if (!this.party) return;
    this.barText.textContent = fits.length
      ? `Seating ${who}: tap a table marked “Fits”.`
      : group
        ? `Seating ${who}: no free table is big enough; seat at ${group.label} together.`
        : `Seating ${who}: no free tables fit now.`;
    this.together.hidden = !group;
    this.together.textContent = group ? `Seat at ${group.label}` : "";
    const nextUp = this.nextUp && fits.includes(this.nextUp.tableId) ? this.nextUp : null;
    if (this.nextText) {
      this.nextText.hidden = !nextUp;
      this.nextText.textContent = nextUp ? `Next up: ${nextUp.name} — ${nextUp.tableNumber}` : "";
    }
  }

  /**
   * The table in hand: the one a seated party is being moved from, or for a party picked from the line the
   * table it is likely to get (the server next up's when it fits, else the first that fits or of the group).
   */
  inHand(fits, group) {
    if (this.moving) return this.moving.tableId;
    if (!this.party) return null;
    if (this.nextUp && fits.includes(this.nextUp.tableId)) return this.nextUp.tableId;
    return fits[0] ?? group?.tableIds[0] ?? null;
  }

  /** A tap on a table while a party is picked: true when the tap was for the seating (no dialog opens). */
  tap(tableId) {
    if (this.moving) return this.moveTo(tableId);
    if (!this.party) return false;
    const { fits, group } = this.options();
    if (fits.includes(tableId)) this.seat([tableId]);
    else if (group?.tableIds.includes(tableId)) this.seat(group.tableIds);
    else {
      const table = this.store.view(tableId);
      this.barText.textContent = `${table?.tableNumber ?? "That table"} does not fit ${partyName(this.party)}: pick a table marked “Fits”, or Cancel.`;
    }
    return true;
  }

  /** "the party of 5 at T-01" (at T-01 + T-02 when joined). */
  movingName() {
    const from = this.movingFrom();
    return `the party of ${from.covers ?? "?"} at ${from.tableNumber}`;
  }

  /** A tap while moving a seated party: a marked table takes it; any other says why not. */
  moveTo(tableId) {
    const from = this.movingFrom();
    if (!from) return false;
    if (!this.options().fits.includes(tableId)) {
      const table = this.store.view(tableId);
      const why = table?.tableId === from.tableId ? "is where the party sits" : table?.status !== "available" ? "is not free" : "is too small";
      this.barText.textContent = `${table?.tableNumber ?? "That table"} ${why}: tap a marked table, or Cancel.`;
      return true;
    }
    const { kind, partyId } = this.moving;
    this.pick(null);
    this.onMove(kind, partyId, from, this.store.view(tableId));
    return true;
  }

  seatTogether() {
    const { group } = this.options();
    if (group) this.seat(group.tableIds);
  }

  seat(tableIds) {
    const party = this.party;
    this.pick(null);
    this.onSeat(party, tableIds);
  }
}
