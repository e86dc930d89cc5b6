// The shift presets of the floors a page shows, by id: their names, as the sections screen lists them.
// Filled from the page's state and kept current by the preset:* events (live-events.js) and a sync's
// snapshot (sync.js), so a preset another manager saves or deletes shows on every open screen.

import { KeptList } from "./kept-list.js";

class Presets extends KeptList {
  /** A preset saved: new, or in place of one of its name (its name as typed last). */
  saved({ presetId, floor, name, savedBy, savedAt }) {
    this.put({ presetId, floor, name, savedBy, savedAt });
  }
  deleted(payload) {
    this.remove(payload.presetId);
  }
}

/** The presets by id; `onFloor(floor)` by name, as the screen lists them. */
export const presets = new Presets((preset) => preset.presetId);
