// The legend of a floor's sections on the plan: each colour with its name and who looks after it.
// Drawn on every screen size (cards too) and redrawn whenever a section changes.

import { initialsOf, sections } from "./kept.js";

/** Keep the `[data-section-legend]` list of the page showing the sections of `floor()` (redrawn on a store's reset: another floor). */
export function keepLegend(floor, store) {
  const legend = document.querySelector("[data-section-legend]");
  if (!legend) return;
  const list = legend.querySelector("ul");
  const draw = () => {
    const shown = sections.onFloor(floor());
    legend.hidden = shown.length === 0;
    list.replaceChildren(
      ...shown.map((section) => {
        const item = document.createElement("li");
        item.className = "section-legend__item";
        item.dataset.sectionId = section.sectionId;
        const swatch = document.createElement("span");
        swatch.className = "section-legend__swatch";
        swatch.setAttribute("aria-hidden", "true");
        swatch.textContent = initialsOf(section.name); // the badge its tables carry
        const name = document.createElement("span");
        name.className = "section-legend__name";
        name.textContent = section.name;
        item.append(swatch, name);
        if (section.assignee) {
          const who = document.createElement("span");
          who.className = "section-legend__who";
          who.textContent = section.assignee.username;
          item.append(who);
        }
        return item;
      }),
    );
  };
  sections.subscribe(draw);
  store?.subscribe((change) => change.kind === "reset" && draw());
  draw();
}
