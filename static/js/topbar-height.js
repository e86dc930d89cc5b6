// The top bar's height as --topbar-height, for what sticks just under it (the seating bar): the bar
// wraps to two rows on a phone, so its height is read, not assumed.

const bar = document.querySelector(".topbar");
if (bar) {
  const keep = () => document.documentElement.style.setProperty("--topbar-height", `${bar.offsetHeight}px`);
  keep();
  new ResizeObserver(keep).observe(bar);
}
