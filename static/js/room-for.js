// Room for what floats over the page: an element's height kept in a custom property on the page's root,
// so the style sheets can leave that much free where it would otherwise cover something to tap.

/** Keep `element`'s height (in px, its border included) in `--name` on <html>, as it changes. */
export function keepHeight(element, name) {
  const write = () => document.documentElement.style.setProperty(name, `${element.getBoundingClientRect().height}px`);
  new ResizeObserver(write).observe(element);
  write();
}
