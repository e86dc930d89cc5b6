// The plan is one tab stop: the arrow keys move between tables by where they stand (roving tabindex).

const KEYS = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowDown: [0, 1],
  ArrowUp: [0, -1],
};

const centre = (element) => {
  const box = element.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
};

/** The nearest tile from `from` in direction [dx, dy], favouring tiles straight ahead. */
export function nextTile(tiles, from, [dx, dy]) {
  const start = centre(from);
  let best = null;
  let bestScore = Infinity;
  for (const tile of tiles) {
    if (tile === from) continue;
    const point = centre(tile);
    const ahead = (point.x - start.x) * dx + (point.y - start.y) * dy;
    if (ahead <= 1) continue;
    const aside = Math.abs((point.x - start.x) * dy) + Math.abs((point.y - start.y) * dx);
    const score = ahead + 2 * aside;
    if (score < bestScore) {
      bestScore = score;
      best = tile;
    }
  }
  return best;
}

export class PlanKeys {
  constructor(root) {
    this.root = root;
    this.current = null;
    root.addEventListener("keydown", (event) => this.keydown(event));
    root.addEventListener("focusin", (event) => {
      const tile = event.target.closest("[data-table-id]");
      if (tile) this.make(tile);
    });
  }

  tiles() {
    return [...this.root.querySelectorAll("[data-table-id]:not(.is-set-aside)")]; // "Mine only" cards leave others out
  }

  /** Exactly one tile takes Tab: the last one used while it stays, else the first. */
  refresh() {
    const tiles = this.tiles();
    if (!tiles.includes(this.current)) this.current = tiles[0] ?? null;
    for (const tile of tiles) tile.tabIndex = tile === this.current ? 0 : -1;
  }

  make(tile) {
    this.current = tile;
    this.refresh();
  }

  keydown(event) {
    const from = event.target.closest("[data-table-id]");
    if (!from) return;
    const tiles = this.tiles();
    let to = null;
    if (event.key in KEYS) to = nextTile(tiles, from, KEYS[event.key]);
    else if (event.key === "Home") to = tiles[0];
    else if (event.key === "End") to = tiles[tiles.length - 1];
    else return;
    event.preventDefault();
    if (!to) return;
    this.make(to);
    to.focus();
  }
}
