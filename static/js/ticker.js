// One clock for every time on the page that moves on by itself ("12 min ago", and seated timers).
// Each kind of ticking text registers a selector and a formatter; a tick rewrites only those
// text nodes, never the plan or the list around them.

const TICK_MS = 5000;
const kinds = new Map(); // selector -> format(element, now) => text
let timer = null;

/** Keep every element matching `selector` up to date with `format(element, now)`. */
export function tickEvery(selector, format) {
  kinds.set(selector, format);
  if (!timer) {
    timer = setInterval(tick, TICK_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") tick();
    });
  }
}

/** Bring every ticking text up to date now; returns how many texts changed. */
export function tick(now = Date.now()) {
  let changed = 0;
  for (const [selector, format] of kinds) {
    for (const element of document.querySelectorAll(selector)) {
      const text = format(element, now);
      if (element.textContent === text) continue;
      // Rewriting the one text node in place: nothing around it is redrawn or re-laid out as new.
      const node = element.firstChild;
      if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) node.data = text;
      else element.textContent = text;
      changed += 1;
    }
  }
  return changed;
}
