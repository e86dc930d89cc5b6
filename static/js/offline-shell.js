// The service worker from the page's side: registered for a signed-in person, who is offered a
// reload when a new release is ready; on a signed-out page, whatever was kept for anyone goes.

import { showNotice } from "./notices.js";
import { forgetLastSeen } from "./last-seen.js";

const UPDATE_CHECK_MS = 15 * 60 * 1000;
const user = document.getElementById("offline-shell")?.dataset.user || "";
let registration = null;

if (!("serviceWorker" in navigator)) {
  // Nothing to keep without a worker (an insecure origin or an old browser).
} else if (user) {
  register();
} else {
  forgetKeptPages();
}

async function register() {
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  } catch {
    return; // e.g. offline before the first registration: the page works as before
  }
  offerNewRelease(registration);
  const ready = await navigator.serviceWorker.ready;
  ready.active?.postMessage({ type: "keep-pages", user, urls: pagesToKeep() });
}

/** The floor plan of every floor on the page's switcher, the first floor and the list. */
function pagesToKeep() {
  const element = document.getElementById("initial-state");
  if (!element) return ["/tables", "/tables?view=list"];
  const { floors = [] } = JSON.parse(element.textContent);
  return ["/tables", ...floors.map((entry) => `/tables?floor=${entry.floor}`), "/tables?view=list"];
}

/** A waiting worker means a new release: offer to reload rather than mix old scripts and a new server. */
function offerNewRelease(registered) {
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) window.location.reload();
  });
  const offer = (worker) => {
    if (!navigator.serviceWorker.controller) return; // the first worker: nothing older to replace
    showNotice("new-release", "A new version of Tableside is ready.", {
      kind: "info",
      actions: [
        {
          label: "Reload",
          primary: true,
          onClick: () => {
            reloading = true;
            worker.postMessage({ type: "skip-waiting" });
          },
        },
      ],
    });
  };
  if (registered.waiting) offer(registered.waiting);
  registered.addEventListener("updatefound", () => {
    const worker = registered.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
  setInterval(checkForRelease, UPDATE_CHECK_MS);
  window.addEventListener("online", checkForRelease);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") checkForRelease();
  });
}

/** Ask the server whether the worker changed, e.g. after the connection came back from a deploy. */
export function checkForRelease() {
  registration?.update().catch(() => {});
}

/** Signed out: no page or table copy may outlive the session (the offline queue keeps its per-user keys). */
async function forgetKeptPages() {
  forgetLastSeen();
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) if (name.startsWith("tableside-pages:")) await caches.delete(name);
}
