// Seating from the waitlist in two taps: the party, then a table marked "Fits" on the plan (or a row
// of the list). A party bigger than every free table gets neighbouring tables marked "Together",
// seated all at once from the bar ("Seat at T-01 + T-02") or a tap on one of them. Where the servers
// panel runs, the table of the server next up is marked "Next up" and named in the bar; the host may
// take any other table that fits.

import { fittingTables, suggestion } from "./fit.js";
import { partyName } from "./wait-words.js";

export class Seating {
  /** onSeat(party, tableIds); onChange() after a party is picked or let go. */
  constructor({ store, root, onSeat, onChange }) {
    this.store = store;
    this.root = root;
    this.onSeat = onSeat;
    this.onChange = onChange;
    this.party = null;
    this.bar = document.querySelector("[data-seating-bar]");
    this.barText = this.bar?.querySelector("[data-seating-text]");
    this.together = this.bar?.querySelector("[data-seating-together]");
    this.nextText = this.bar?.querySelector("[data-seating-next]");
    this.nextUp = null; // {userId, name, tableId, tableNumber} for the picked party, once the rotation answers
    this.together?.addEventListener("click", () => this.seatTogether());
    this.bar?.querySelector("[data-seating-cancel]").addEventListener("click", () => this.pick(null));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.party && !document.querySelector("dialog[open]")) this.pick(null);
    });
    store.subscribe(() => this.mark());
  }

  /** Pick a party to seat (null lets it go); picking the one picked lets it go too. */
  pick(party) {
    this.party = party && this.party?.partyId !== party.partyId ? party : null;
    this.nextUp = null;
    this.mark();
    this.onChange();
    this.askWhoIsNext();
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
    if (!this.party) return { fits: [], group: null };
    const tables = this.store.views();
    const fits = fittingTables(tables, this.party.size).map((table) => table.tableId);
    const group = fits.length ? null : suggestion(tables, this.party.size);
    return { fits, group };
  }

  /** Mark the tables that fit the picked party, in words and outline, and say what to do in the bar. */
  mark() {
    const { fits, group } = this.options();
    const together = new Set(group?.tableIds ?? []);
    this.root.classList.toggle("is-seating", Boolean(this.party));
    for (const element of this.root.querySelectorAll("[data-table-id]")) {
      const id = Number(element.dataset.tableId);
      const mark = fits.includes(id) ? "fits" : together.has(id) ? "together" : null;
      element.toggleAttribute("data-next-table", mark === "fits" && this.nextUp?.tableId === id);
      if (mark) {
        element.dataset.fits = mark;
        element.setAttribute("aria-description", mark === "fits" ? `Fits ${partyName(this.party)}: tap to seat` : `Together with ${group.label}`);
      } else if (element.dataset.fits) {
        delete element.dataset.fits;
        element.removeAttribute("aria-description");
      }
    }
    if (!this.bar) return;
    this.bar.hidden = !this.party;
    if (!this.party) return;
    const who = partyName(this.party);
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

  /** A tap on a table while a party is picked: true when the tap was for the seating (no dialog opens). */
  tap(tableId) {
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
