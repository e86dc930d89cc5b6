// The sections of the floors a page shows, by id: their names, colours and who looks after each.
// Filled from the page's state and kept current by the section:* events (live-events.js), so the
// plan's colour bands and the legend follow a manager's changes as tables follow their own.

const kept = new Map();
const listeners = new Set();
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

function changed() {
  paint([...kept.values()]);
  for (const listener of listeners) listener();
}

export const sections = {
  /** Every section at once (the page's first state, or a sync's snapshot). */
  replace(list) {
    kept.clear();
    for (const section of list ?? []) kept.set(section.sectionId, section);
    changed();
  },

  get: (sectionId) => kept.get(sectionId),

  /** A floor's sections by name, as the legend lists them. */
  onFloor(floor) {
    return [...kept.values()].filter((section) => section.floor === floor).sort((a, b) => a.name.localeCompare(b.name));
  },

  /** A section:* event's news about the section itself (its tables are the store's). */
  created(payload) {
    kept.set(payload.sectionId, { ...payload });
    changed();
  },
  updated(payload) {
    const section = kept.get(payload.sectionId);
    if (section) kept.set(payload.sectionId, { ...section, ...payload.changes });
    changed();
  },
  deleted(payload) {
    kept.delete(payload.sectionId);
    changed();
  },
  assigned(payload) {
    const section = kept.get(payload.sectionId);
    if (section) kept.set(payload.sectionId, { ...section, assignee: payload.assignee ?? null });
    changed();
  },

  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

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
