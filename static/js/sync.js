// Catching up: `tables:sync` after every (re)connect, a floor switch, or a gap noticed through `tables:head`.

import { hideNotice, showNotice } from "./notices.js";
import { applyEvent } from "./live-events.js";
import { line } from "./door.js";
import { setFloorNames } from "./floor-names.js";
import { setTurnMinutes } from "./service.js";
import { sections } from "./sections/kept.js";
import { presets } from "./sections/presets.js";

const GAP_GRACE_MS = 1500; // a head can be read before its event's broadcast arrives
const SIGNIFICANT = 3; // "Synced N table updates" only when N is more than this

export class SyncManager {
  constructor({ connection, store, scope }) {
    this.connection = connection;
    this.store = store;
    this.scope = scope;
    this.syncing = false;
    this.again = null;
    this.buffer = [];
    this.gapTimer = null;
  }

  /** A live event: applied now, or held back while a sync is answering. */
  receive(name, payload) {
    if (this.syncing) this.buffer.push([name, payload]);
    else applyEvent(this.store, this.scope, name, payload);
  }

  /** A room's newest event id; when it is ahead of us for a moment, something was missed. */
  head({ lastEventId }) {
    if (!lastEventId || !this.store.isNew(lastEventId) || this.syncing || this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.store.isNew(lastEventId)) this.sync({ announce: true });
    }, GAP_GRACE_MS);
  }

  /**
   * Ask for what was missed since the last applied event (or a snapshot with `fresh`).
   * Resolves to the number of table updates applied.
   */
  async sync({ announce = false, fresh = false, before = null } = {}) {
    if (this.syncing && !before) {
      this.again = { announce: announce || this.again?.announce, fresh: fresh || this.again?.fresh };
      return 0;
    }
    this.syncing = true;
    if (announce) showNotice("syncing", "Syncing updates...", { kind: "info" });
    let applied = 0;
    try {
      if (before) await before(); // e.g. leave one floor's room and join another's, events held meanwhile
      const answer = await this.connection.ask("tables:sync", {
        lastEventId: fresh ? null : this.store.lastEventId,
      });
      applied = this.apply(answer);
    } catch (error) {
      if (announce) showNotice("sync-failed", `Could not sync updates: ${error.message}`, { kind: "error", timeout: 6000 });
    } finally {
      this.syncing = false;
      hideNotice("syncing");
      const held = this.buffer;
      this.buffer = [];
      for (const [name, payload] of held) applyEvent(this.store, this.scope, name, payload);
    }
    if (announce && applied > SIGNIFICANT) {
      showNotice("synced", `Synced ${applied} table updates`, { kind: "success", timeout: 5000 });
    }
    if (this.again) {
      const next = this.again;
      this.again = null;
      applied += await this.sync(next);
    }
    return applied;
  }

  apply(answer) {
    if (answer.recovered) {
      let applied = 0;
      for (const entry of answer.events) {
        applied += applyEvent(this.store, this.scope, entry.event, { ...entry.data, eventId: entry.eventId });
      }
      return applied;
    }
    setTurnMinutes(answer.floors);
    setFloorNames(answer.floors);
    line.replace(answer.parties);
    if (answer.sections) sections.replace(answer.sections);
    if (answer.presets) presets.replace(answer.presets);
    const tables = answer.tables.filter((table) => this.scope.shows(table.floor));
    const changed = this.store.replaceAll(tables, { cause: "sync" });
    this.store.resetEvents(answer.lastEventId);
    return changed;
  }
}
