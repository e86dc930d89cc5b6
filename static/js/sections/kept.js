// The sections of the floors a page shows, by id: their names, colours and who looks after each.
// Filled from the page's state and kept current by the section:* events (live-events.js), so the
// plan's colour bands and the legend follow a manager's changes as tables follow their own.

import { KeptList } from "./kept-list.js";

const COLOUR = /^#[0-9a-f]{6}$/i;

/**
 * Each section's colour as a rule of its own, `[data-section-id="7"] { --section-colour: … }`: a tile, a
 * legend entry or a pick carries only the attribute, so markup drawn by the server and by a script is the same.
 * Returns paint(list of {sectionId, colour}); a sheet made later wins over one made before (the sections
 * screen paints its unsaved draft over the saved sections).
 */
export function colourSheet() {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return (list) => {
    const rules = list
      .filter((section) => COLOUR.test(section.colour))
      .map((section) => `[data-section-id="${Number(section.sectionId)}"] { --section-colour: ${section.colour}; --section-ink: ${inkOn(section.colour)}; }`);
    sheet.replaceSync(rules.join("\n"));
  };
}

const paint = colourSheet();

class Sections extends KeptList {
  /** A section:* event's news about the section itself (its tables are the store's). */
  created(payload) {
    this.put({ ...payload });
  }
  updated(payload) {
    this.put({ sectionId: payload.sectionId, ...payload.changes }, { merge: true });
  }
  deleted(payload) {
    this.remove(payload.sectionId);
  }
  assigned(payload) {
    this.put({ sectionId: payload.sectionId, assignee: payload.assignee ?? null }, { merge: true });
  }
}

/** The sections by id; `onFloor(floor)` by name, as the legend lists them. */
export const sections = new Sections((section) => section.sectionId, paint);

/** Two letters for a section's badge on its tables, as staff initials are made: "Terrace door" is "TD", "Bar" "BA". */
export function initialsOf(name) {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[1][0]).toUpperCase();
  return (words[0] ?? name).slice(0, 2).toUpperCase();
}

/** Black or white, whichever reads better on `colour` (#rrggbb): WCAG relative luminance. */
export function inkOn(colour) {
  const channel = (at) => {
    const value = parseInt(colour.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const light = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) ? "#000000" : "#ffffff";
}
