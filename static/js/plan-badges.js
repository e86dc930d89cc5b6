// Keeping a drawn plan's badges off each other's tables: after each drawing, the badges that would lie over
// another table, over a badge kept before them or outside the plan's frame (or a held-for name on its own table's
// edge) are set aside, least needed first
// kept last. A table's covers and timer (with "Overdue") and its "Waiting to sync" always stay: the style
// sheet keeps them within their table's width. What is set aside is still in the table's name, read out with
// it, and in its dialog.

// Kept in this order while there is room: who it is held for, the joined tables, who else has it in hand,
// when it is likely free, who looks after it, its section's initials (its outline keeps the section's colour).
const SET_ASIDE_IN_TURN = [".tile__held", ".tile__joined", ".claim", ".tile__likely", ".tile__assignee", ".tile__section"];

const shown = (element) => element && !element.hidden && element.getClientRects().length > 0;
const meet = (a, b) =>
  a.left < b.right - 0.5 && a.right > b.left + 0.5 && a.top < b.bottom - 0.5 && a.bottom > b.top + 0.5;
const outside = (box, frame) =>
  box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;

/** The box on the screen of `owner`'s pseudo-element `which` ("::after"), or null when it draws nothing. */
function drawnBox(owner, which) {
  const style = getComputedStyle(owner, which);
  if (style.content === "none") return null;
  const own = owner.getBoundingClientRect();
  const left = own.left + parseFloat(style.left);
  const top = own.top + parseFloat(style.top);
  return { left, top, right: left + parseFloat(style.width), bottom: top + parseFloat(style.height) };
}

// "Waiting to sync" (a tile's ::after) and "Turned a quarter to fit this screen" (the frame's ::before).
const pendingBox = (tile) => (tile.dataset.pending === "true" ? drawnBox(tile, "::after") : null);
const turnedNoteBox = (frame) => (frame.hasAttribute("data-turned") ? drawnBox(frame, "::before") : null);

/** Whether a line inside a table (who it is held for) would touch its shape's border: on a table too short for it. */
function onTheEdge(tile, box) {
  const shape = tile.querySelector(".tile__shape");
  const own = shape.getBoundingClientRect();
  const border = parseFloat(getComputedStyle(shape).borderBottomWidth);
  return box.bottom > own.bottom - border - 1 || box.top < own.top + border + 1;
}

const GAP = 4; // px kept between a table's covers and timer and the next table or the frame's edge

/** How wide a table's covers and timer may run, centred under it, and how far below its edge they may hang:
    up to the middle of the gap to the nearest table beside it in their band (or the frame's edge), and to the
    table below it. */
function serviceRoom({ tile, box }, shapes, bounds) {
  const centre = (box.left + box.right) / 2;
  let half = Math.min(centre - bounds.left, bounds.right - centre) - GAP;
  let below = bounds.bottom - box.bottom;
  for (const other of shapes) {
    if (other.tile === tile) continue;
    const o = other.box;
    // Beside the lines of covers and timer: from three lines above the table's bottom edge to below it.
    const besideBand = o.top < box.bottom + 30 && o.bottom > box.bottom - 60;
    // Up to the middle of the gap: the table beside it has the other half for its own covers and timer.
    if (besideBand && o.left >= centre) half = Math.min(half, (o.left >= box.right ? (box.right + o.left) / 2 : o.left) - centre);
    if (besideBand && o.right <= centre) half = Math.min(half, centre - (o.right <= box.left ? (o.right + box.left) / 2 : o.right));
    if (o.top >= box.bottom - 1 && o.left < box.right && o.right > box.left) below = Math.min(below, o.top - box.bottom);
  }
  return { width: Math.max(box.width, 2 * (half - GAP / 2)), below: Math.max(0, below - GAP) };
}

const ROOMS = ["--service-room", "--room-below", "--label-lift"];

// What the last setting aside was done for, by plan: nothing it depends on changed, nothing is written again
// (a ticking timer, "3 min" to "4 min", moves no badge; the plan is not touched every minute).
const done = new WeakMap();

/** What the badges' places depend on: the frame's size, and each table's place, state and words' lengths. */
function situation(root, frame, cards) {
  const parts = [cards, frame.clientWidth, frame.clientHeight];
  for (const tile of root.querySelectorAll("[data-table-id]")) {
    const { tableId, status, overdue, pending, claimedBy } = tile.dataset;
    parts.push(tableId, status, overdue, pending, claimedBy, tile.className, tile.getAttribute("style"));
    for (const part of tile.querySelectorAll("[data-format], [data-field], .claim")) parts.push(part.hidden, part.textContent.length);
  }
  return parts.join("|");
}

/** Set aside each badge of the drawn plan in `root` that has no room; on cards every badge is shown. */
export function keepBadgesClear(root, frame, { cards }) {
  if (done.get(root) === situation(root, frame, cards)) return;
  setAside(root, frame, cards);
  done.set(root, situation(root, frame, cards));
}

function setAside(root, frame, cards) {
  for (const badge of root.querySelectorAll("[data-crowded]")) delete badge.dataset.crowded;
  const tiles = [...root.querySelectorAll("[data-table-id]")].filter((tile) => !tile.classList.contains("is-leaving"));
  for (const tile of tiles) for (const name of ROOMS) tile.style.removeProperty(name);
  if (cards) return;
  const bounds = frame.getBoundingClientRect();
  const shapes = tiles.map((tile) => ({ tile, box: tile.querySelector(".tile__shape").getBoundingClientRect() }));
  // All measured, then all written, each time: the browser lays the plan out once for each step.
  const rooms = shapes.map((shape) => serviceRoom(shape, shapes, bounds));
  shapes.forEach(({ tile }, index) => {
    tile.style.setProperty("--service-room", `${Math.floor(rooms[index].width)}px`);
    tile.style.setProperty("--room-below", `${Math.floor(rooms[index].below)}px`);
  });
  // A table's words move up, as far as its shape allows, until its covers and timer no longer cover them.
  const lifts = shapes.map(({ tile, box }) => {
    const service = tile.querySelector(".tile__service");
    const label = tile.querySelector(".tile__label");
    if (!shown(service)) return 0;
    const overlap = label.getBoundingClientRect().bottom - service.getBoundingClientRect().top;
    const above = label.getBoundingClientRect().top - box.top;
    return Math.max(0, Math.min(overlap + 1, above - 2));
  });
  shapes.forEach(({ tile }, index) => {
    if (lifts[index]) tile.style.setProperty("--label-lift", `${Math.ceil(lifts[index])}px`);
  });
  const note = turnedNoteBox(frame);
  const kept = note ? [{ tile: null, box: note }] : [];
  for (const tile of tiles) {
    // Its number and status word are never covered: a badge that would lie over them has no room.
    for (const words of tile.querySelectorAll(".tile__number, .tile__status")) {
      if (shown(words)) kept.push({ tile, box: words.getBoundingClientRect() });
    }
    const service = tile.querySelector(".tile__service");
    if (shown(service)) kept.push({ tile, box: service.getBoundingClientRect() });
    const pending = pendingBox(tile);
    if (pending) kept.push({ tile, box: pending });
  }
  for (const selector of SET_ASIDE_IN_TURN) {
    for (const tile of tiles) {
      const badge = tile.querySelector(selector);
      if (!shown(badge)) continue;
      const box = badge.getBoundingClientRect();
      const crowded =
        (selector === ".tile__held" && onTheEdge(tile, box)) ||
        outside(box, bounds) ||
        shapes.some((shape) => shape.tile !== tile && meet(shape.box, box)) ||
        kept.some((other) => meet(other.box, box));
      if (crowded) badge.dataset.crowded = "true";
      else kept.push({ tile, box });
    }
  }
}
