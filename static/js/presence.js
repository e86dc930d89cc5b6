// Who else is looking at this floor, and the table each of them has in hand (presence:update).
// Presence is a courtesy: nothing waits for it, and a change someone else makes first is still
// caught by the conflict dialog.

const CLAIM_CLASS = "claim";

export class Presence {
  /** view.floor: the floor shown (null on the list); dialog: the table dialog, whose table is "in hand". */
  constructor({ connection, view, dialog, store, me }) {
    this.connection = connection;
    this.view = view;
    this.me = me;
    this.watched = null;
    this.newest = { floor: null, version: 0, viewers: [] };
    this.bar = document.querySelector("[data-presence]");
    this.list = document.querySelector("[data-presence-list]");
    this.bar?.querySelector("[data-presence-toggle]")?.addEventListener("click", () => this.toggleList());
    connection.socket.on("presence:update", (update) => this.receive(update));
    connection.addEventListener("lost", () => this.forget());
    // The table in hand: the open dialog's, else the one the host is seating a party at (see hold).
    this.hands = { dialog: null, seating: null };
    dialog.onOpenChange = (tableId) => this.hold("dialog", tableId);
    this.dialog = dialog;
    // The plan draws its tiles anew on changes: put the claims back after each drawing.
    store.subscribe(() => this.markTables());
  }

  /** Follow the floor shown (after the page joined its room, and after each switch of floor). */
  async watch() {
    const floor = this.view.floor;
    if (floor == null || !this.connection.connected) return;
    this.watched = floor;
    this.newest = { floor, version: 0, viewers: [] };
    try {
      await this.connection.ask("presence:watch", { floor });
      if (this.inHand() != null) this.claim(this.inHand());
    } catch {
      this.watched = null; // presence only: the floor itself is followed all the same
    }
  }

  /** What `source` ("dialog" or "seating") has in hand now (null: nothing); the dialog's comes first. */
  hold(source, tableId) {
    const before = this.inHand();
    this.hands[source] = tableId ?? null;
    if (this.inHand() !== before) this.claim(this.inHand());
  }

  inHand() {
    return this.hands.dialog ?? this.hands.seating;
  }

  claim(tableId) {
    if (this.watched == null || !this.connection.connected) return;
    this.connection.socket.emit("presence:claim", { floor: this.watched, tableId: tableId ?? null });
  }

  receive(update) {
    if (update.floor !== this.view.floor) return;
    if (update.floor === this.newest.floor && update.version <= this.newest.version) return;
    this.newest = update;
    this.render();
  }

  forget() {
    this.watched = null;
    this.newest = { floor: null, version: 0, viewers: [] };
    this.render();
  }

  /** Everyone else on this floor, one entry a person (a person's several screens are one). */
  others() {
    const people = new Map();
    for (const viewer of this.newest.viewers) {
      if (viewer.userId === this.me.userId) continue;
      const known = people.get(viewer.userId);
      if (!known || (known.tableId == null && viewer.tableId != null)) people.set(viewer.userId, viewer);
    }
    return [...people.values()];
  }

  render() {
    const others = this.others();
    if (this.bar) {
      this.bar.hidden = others.length === 0;
      const badges = this.bar.querySelector("[data-presence-people]");
      badges.replaceChildren(
        ...others.map((viewer) => {
          const badge = document.createElement("span");
          badge.className = "presence__person";
          badge.textContent = viewer.initials;
          badge.title = viewer.username;
          return badge;
        }),
      );
      this.bar.querySelector("[data-presence-count]").textContent =
        others.length === 1 ? `${others[0].username} is also here` : `${others.length} others here`;
    }
    if (this.list) {
      this.list.replaceChildren(
        ...others.map((viewer) => {
          const item = document.createElement("li");
          const table = viewer.tableId != null ? this.view.store?.get(viewer.tableId) : null;
          item.textContent = table ? `${viewer.username}, on ${table.tableNumber}` : viewer.username;
          return item;
        }),
      );
    }
    this.markTables();
  }

  toggleList() {
    if (!this.list) return;
    this.list.hidden = !this.list.hidden;
    this.bar.querySelector("[data-presence-toggle]").setAttribute("aria-expanded", String(!this.list.hidden));
  }

  /** "host is on T-12": each table someone else has in hand says so, in words. */
  markTables() {
    const root = this.view.root;
    if (!root) return;
    for (const old of root.querySelectorAll(`.${CLAIM_CLASS}`)) old.remove();
    for (const tile of root.querySelectorAll("[data-claimed-by]")) delete tile.dataset.claimedBy;
    for (const viewer of this.others()) {
      if (viewer.tableId == null) continue;
      const tile = root.querySelector(`[data-table-id="${viewer.tableId}"]`);
      if (!tile) continue;
      const number = tile.dataset.tableNumber ?? this.view.store?.get(viewer.tableId)?.tableNumber ?? "";
      tile.dataset.claimedBy = viewer.username;
      const badge = document.createElement("span");
      badge.className = CLAIM_CLASS;
      badge.textContent = `${viewer.username} is on ${number}`.trim();
      tile.append(badge);
    }
  }
}
