// The waitlist panel: the line in the order it joined, each party with its size, name, tags, wait
// against its quote and a suggested table; a walk-in added in two taps (size, Add); per party Notify,
// Back to waiting, Seat, Edit, Remove (asked first) and its guest page. What waits to sync shows too.

import { line } from "../door.js";
import { suggestion } from "./fit.js";
import { PartyForm, fieldsOf } from "./party-form.js";
import { TAG_WORDS, partyName, shownState, waitWords } from "./wait-words.js";

const TICK_MS = 10_000;
const ENDINGS = new Set(["left", "cancelled", "no_show"]);

/** The line as this page shows it: the server's, with this device's changes still waiting over it. */
export function shownLine(parties, entries) {
  const shown = new Map(parties.map((party) => [party.partyId, party]));
  for (const entry of entries) {
    if (entry.kind === "add") {
      const party = { tags: [], quotedMinutes: null, ...entry.body, partyId: entry.partyId, state: "waiting" };
      shown.set(entry.partyId, { ...party, joinedAt: entry.queuedAt, guestUrl: null, pending: true });
      continue;
    }
    const party = shown.get(entry.partyId);
    if (!party) continue;
    const { expectedState, ...changes } = entry.body;
    if (entry.kind === "seat" || ENDINGS.has(changes.state)) shown.delete(entry.partyId);
    else {
      const notifiedAt = changes.state === "notified" ? entry.queuedAt : party.notifiedAt;
      shown.set(entry.partyId, { ...party, ...changes, notifiedAt, pending: true });
    }
  }
  return [...shown.values()];
}

export class WaitlistPanel {
  constructor({ root, store, actions, seating, hosting }) {
    this.root = root;
    this.store = store;
    this.actions = actions;
    this.seating = seating;
    this.hosting = hosting;
    this.list = root.querySelector("[data-waitlist-parties]");
    this.template = document.querySelector("[data-party-template]");
    this.confirming = null; // the party whose removal is being asked
    this.parties = [];
    this.form = hosting ? new PartyForm(document.getElementById("party-dialog"), (party, fields) => actions.change(party, fields)) : null;
    if (hosting) this.wireWalkIn(root.querySelector("[data-walk-in]"));
    this.list.addEventListener("click", (event) => this.clicked(event));
    line.subscribe(() => this.render());
    actions.subscribe(() => this.render());
    store.subscribe(() => this.renderSuggestions());
    this.render();
    // Waits move on by themselves: "12 of 20 min" becomes "Overdue by 1 min" with no event.
    setInterval(() => this.render(), TICK_MS);
  }

  wireWalkIn(form) {
    const add = form.querySelector("[data-walk-in-add]");
    const more = form.querySelector("[data-size-more]");
    const chips = [...form.querySelectorAll("[data-party-size]")];
    let size = null;
    const choose = (value) => {
      size = value;
      for (const chip of chips) chip.setAttribute("aria-pressed", String(chip.dataset.partySize === String(value)));
      more.hidden = value !== "more";
      if (value === "more") more.querySelector("input").focus();
      add.disabled = value == null;
      add.textContent = value == null || value === "more" ? "Add" : `Add a party of ${value}`;
    };
    for (const chip of chips) chip.addEventListener("click", () => choose(chip.dataset.partySize === "more" ? "more" : Number(chip.dataset.partySize)));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = fieldsOf(form);
      fields.size = size === "more" ? fields.size : size;
      if (!Number.isInteger(fields.size) || !form.reportValidity()) return;
      this.actions.add(fields);
      form.reset();
      form.querySelector("details").open = false;
      choose(null);
    });
  }

  render() {
    this.parties = shownLine(line.all(), this.actions.entries());
    this.seating.refresh(this.parties);
    const keep = new Set(this.parties.map((party) => String(party.partyId)));
    for (const item of [...this.list.children]) if (!keep.has(item.dataset.partyId)) item.remove();
    this.parties.forEach((party, index) => {
      let item = this.list.querySelector(`[data-party-id="${CSS.escape(String(party.partyId))}"]`);
      if (!item) {
        item = this.template.content.firstElementChild.cloneNode(true);
        item.dataset.partyId = String(party.partyId);
      }
      this.fill(item, party);
      if (this.list.children[index] !== item) this.list.insertBefore(item, this.list.children[index] ?? null);
    });
    const { partiesWaiting, coversWaiting } = figures(this.parties);
    this.root.querySelector("[data-waitlist-empty]").hidden = this.parties.length > 0;
    this.root.querySelector("[data-waitlist-count]").textContent = `${partiesWaiting} ${partiesWaiting === 1 ? "party" : "parties"} · ${coversWaiting} covers`;
    document.querySelectorAll("[data-waitlist-tab-count]").forEach((count) => (count.textContent = String(partiesWaiting)));
    this.renderSuggestions();
  }

  fill(item, party) {
    const set = (selector, text) => {
      const slot = item.querySelector(selector);
      if (slot && slot.textContent !== text) slot.textContent = text;
    };
    item.dataset.state = shownState(party);
    item.dataset.joinedAt = party.joinedAt;
    item.toggleAttribute("data-pending", Boolean(party.pending));
    set("[data-party-size-text]", String(party.size));
    set("[data-party-name]", party.name || `Party of ${party.size}`);
    set("[data-party-tags]", (party.tags ?? []).map((tag) => TAG_WORDS[tag] ?? tag).join(" · "));
    set("[data-party-wait]", waitWords(party) + (party.pending ? " · waiting to sync" : ""));
    const picked = this.seating.pickedId === party.partyId;
    const pick = item.querySelector("[data-party-pick]");
    pick.setAttribute("aria-pressed", String(picked));
    pick.setAttribute("aria-label", `${partyName(party)}, ${waitWords(party)}${picked ? "; picked to seat" : ": tap to seat"}`);
    const guest = item.querySelector("[data-party-guest]");
    // The staff page of the guest's link: its QR code to show at the door, and the link to send.
    guest.hidden = Boolean(party.pending);
    if (!party.pending) guest.href = `/parties/${party.partyId}/guest`;
    if (!this.hosting) return;
    const show = (action, shown) => (item.querySelector(`[data-party-action="${action}"]`).hidden = !shown);
    show("notify", party.state === "waiting");
    show("waiting", party.state === "notified");
    const confirm = item.querySelector("[data-party-confirm]");
    confirm.hidden = this.confirming !== party.partyId;
    set("[data-party-confirm-text]", `Take ${partyName(party)} out of the line? They:`);
  }

  /** Each party's suggested table, from the tables as they are now. */
  renderSuggestions() {
    const tables = this.store.views();
    for (const party of this.parties) {
      const item = this.list.querySelector(`[data-party-id="${CSS.escape(String(party.partyId))}"]`);
      if (!item) continue;
      const suggested = suggestion(tables, party.size);
      const words = !suggested ? "No free table fits now" : `${suggested.together ? "Together: " : "Suggested: "}${suggested.label}`;
      const slot = item.querySelector("[data-party-suggest]");
      if (slot.textContent !== words) slot.textContent = words;
      const seat = item.querySelector('[data-party-action="seat"]');
      if (!seat) continue;
      seat.hidden = !suggested || this.seating.pickedId !== party.partyId;
      seat.textContent = suggested ? `Seat at ${suggested.label}` : "";
      seat.dataset.tableIds = suggested ? suggested.tableIds.join(",") : "";
    }
  }

  clicked(event) {
    const item = event.target.closest("[data-party-id]");
    if (!item) return;
    const party = this.parties.find((each) => String(each.partyId) === item.dataset.partyId);
    if (!party) return;
    if (event.target.closest("[data-party-pick]")) {
      if (!this.hosting) return;
      this.seating.pick(party);
      // Its Seat button appears on it: the card in sight down to that button, once drawn, in the line's own box
      // (render keeps a party's card while the party is in line).
      requestAnimationFrame(() => {
        if (item.isConnected) inSight(item, item.querySelector('[data-party-action="seat"]:not([hidden])') ?? item);
      });
      return;
    }
    const action = event.target.closest("[data-party-action]")?.dataset.partyAction;
    const end = event.target.closest("[data-party-end]")?.dataset.partyEnd;
    if (action === "notify") this.actions.change(party, { state: "notified" });
    else if (action === "waiting") this.actions.change(party, { state: "waiting" });
    else if (action === "seat") this.seating.seat(event.target.dataset.tableIds.split(",").map(Number));
    else if (action === "edit") this.form.open(party);
    else if (action === "remove") this.confirming = party.partyId;
    else if (end) {
      this.confirming = null;
      if (end !== "keep") this.actions.change(party, { state: end });
    }
    this.render();
  }
}

/** Scroll the box the line scrolls in (a strip that scrolls sideways on an upright tablet, the column beside the
    plan) so that `card`, a party's, is in sight across and from its top down to `last` (its Seat button); when that
    is taller than the box, down to `last`. The page itself stays. */
function inSight(card, last) {
  for (let box = card.parentElement; box && box !== document.body; box = box.parentElement) {
    const style = getComputedStyle(box);
    const scrolls = (overflow, size, shown) => /auto|scroll/.test(overflow) && size > shown + 1;
    const sideways = scrolls(style.overflowX, box.scrollWidth, box.clientWidth);
    const down = scrolls(style.overflowY, box.scrollHeight, box.clientHeight);
    if (!sideways && !down) continue;
    const whole = card.getBoundingClientRect();
    const view = box.getBoundingClientRect();
    const left = view.left + box.clientLeft;
    const top = view.top + box.clientTop;
    // How far to scroll so that start..end is in from..to (its end, when it cannot be whole).
    const by = (start, end, from, to) => {
      if (end - start > to - from) return end - to;
      return end > to ? end - to : Math.min(0, start - from);
    };
    box.scrollBy({
      left: sideways ? by(whole.left, whole.right, left, left + box.clientWidth) : 0,
      top: down ? by(whole.top, last.getBoundingClientRect().bottom, top, top + box.clientHeight) : 0,
    });
    return;
  }
}

function figures(parties) {
  return { partiesWaiting: parties.length, coversWaiting: parties.reduce((sum, party) => sum + party.size, 0) };
}
