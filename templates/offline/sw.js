// Tableside's service worker (rendered by app/offline/routes.py). It keeps the application shell
// (static files and the web app manifest) and the signed-in person's floor plan and list pages, so a
// reload without network still shows the floor, installable; the page itself brings back the tables
// as last seen (static/js/last-seen.js). Online, pages always come from the network. API calls, the
// socket and sign-in are never touched.

const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const STATIC_PREFIX = {{ url_for("static", filename="")|tojson }};
const MANIFEST = {{ url_for("offline.web_app_manifest")|tojson }};
const SHELL_CACHE = `tableside-shell-${VERSION}`;
const PAGES_PREFIX = "tableside-pages:";
const USER_HEADER = "X-Tableside-User";
const KEPT_AT_HEADER = "X-Tableside-Kept-At";
const KEEP_AGAIN_AFTER_MS = 10 * 60 * 1000;
// Answers that mean the page is no longer this person's (a server error keeps the copy).
const GONE = [401, 403, 404, 410];
// Paths the worker never answers, nor anything under them: their answers are live, or a session's.
const NEVER_KEPT = ["/api", "/socket.io", "/login", "/logout", "/sw.js", "/healthz", "/metrics"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
      // The first worker takes over at once; a new release waits until the page agrees to reload.
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("tableside-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "skip-waiting") self.skipWaiting();
  else if (message.type === "keep-pages") event.waitUntil(keepPages(message.user, message.urls || []));
  else if (message.type === "forget-pages") event.waitUntil(forgetPages());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || neverKept(url)) return;
  if (request.mode === "navigate" && lookupKey(url)) event.respondWith(page(event, url));
  else if (url.pathname.startsWith(STATIC_PREFIX) || url.pathname === MANIFEST) event.respondWith(shellFile(event, url));
});

/** True for a path at or under one of NEVER_KEPT, however it is written: the server decodes
 * escapes before routing and may merge slashes, so `/%61pi/x` and `//api//x` are the API too. */
function neverKept(url) {
  let decoded;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return true; // a malformed escape: nothing of ours, so nothing to keep
  }
  // Empty and dot segments go, including those the decoding revealed (`/static/%2e%2e/api`).
  const segments = [];
  for (const segment of decoded.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment !== "." && segment !== "") segments.push(segment);
  }
  const path = `/${segments.join("/")}`;
  return NEVER_KEPT.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The key a page is kept under when its URL is exactly one of the kept pages, else null. */
function keptKey(url) {
  const params = [...url.searchParams];
  if (url.pathname === "/tables" && params.length === 0) return "/tables";
  if (url.pathname !== "/tables" || params.length !== 1) return null;
  const [[name, value]] = params;
  if (name === "floor" && /^\d{1,9}$/.test(value)) return `/tables?floor=${value}`;
  if (name === "view" && value === "list") return "/tables?view=list";
  return null;
}

/** The kept page that can stand in for a URL offline (a filtered list falls back to the list). */
function lookupKey(url) {
  if (url.pathname === "/") return url.search ? null : "/tables";
  if (url.pathname !== "/tables") return null;
  if (url.searchParams.get("view") === "list") return "/tables?view=list";
  return keptKey(url);
}

/** Network first; the kept copy only when the network is away. */
async function page(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch {
    return (await keptPage(url)) || notKeptPage();
  }
  if (response.type === "opaqueredirect" || response.redirected) {
    // Sent to sign in: whatever was kept belongs to a session that has ended.
    event.waitUntil(forgetPages());
  } else if (response.status === 200 && response.headers.has(USER_HEADER) && keptKey(url)) {
    event.waitUntil(keep(keptKey(url), response.clone()));
  } else if (GONE.includes(response.status) && keptKey(url)) {
    event.waitUntil(forgetPage(keptKey(url))); // e.g. a floor no longer theirs to see
  }
  return response;
}

/** The one pages cache there is (one user's), or null. */
async function pagesCacheName() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES_PREFIX));
  return names.length === 1 ? names[0] : null;
}

async function keep(key, response) {
  const user = response.headers.get(USER_HEADER);
  const name = PAGES_PREFIX + encodeURIComponent(user);
  for (const other of await caches.keys()) {
    if (other.startsWith(PAGES_PREFIX) && other !== name) await caches.delete(other);
  }
  const headers = bodyFreeHeaders(response);
  headers.set(KEPT_AT_HEADER, String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(name);
  await cache.put(key, new Response(body, { status: 200, statusText: "OK", headers }));
}

async function keptPage(url) {
  const name = await pagesCacheName();
  if (!name) return null;
  const kept = await (await caches.open(name)).match(lookupKey(url));
  if (!kept) return null;
  // Tells the page it is a kept copy: it starts offline, from the tables it last saw.
  const html = (await kept.text()).replace("<html", '<html data-offline-copy="true"');
  return new Response(html, { status: 200, statusText: "OK", headers: bodyFreeHeaders(kept) });
}

/** A response's headers without those describing the body as it travelled (it is re-made here). */
function bodyFreeHeaders(response) {
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return headers;
}

function notKeptPage() {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Tableside</title>
<link rel="stylesheet" href="${STATIC_PREFIX}css/app.css"></head>
<body><main class="page"><section class="card card--narrow"><h1>You are offline</h1>
<p>This page was not kept on this device. It opens again when the connection is restored.</p>
</section></main></body></html>`;
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'self'" },
  });
}

/** Fetch the person's other pages now, so every floor they may see opens offline. */
async function keepPages(user, paths) {
  const current = await pagesCacheName();
  if (current && current !== PAGES_PREFIX + encodeURIComponent(user)) await forgetPages();
  for (const path of paths) {
    const url = new URL(path, self.location.origin);
    const key = keptKey(url);
    if (!key) continue;
    const name = await pagesCacheName();
    const kept = name ? await (await caches.open(name)).match(key) : null;
    if (kept && Date.now() - Number(kept.headers.get(KEPT_AT_HEADER)) < KEEP_AGAIN_AFTER_MS) continue;
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
    } catch {
      return; // the network went away; the next page load tries again
    }
    if (response.type === "opaqueredirect") return forgetPages();
    if (response.status === 200 && response.headers.get(USER_HEADER) === user) await keep(key, response);
    else if (GONE.includes(response.status)) await forgetPage(key);
  }
}

async function forgetPage(key) {
  const name = await pagesCacheName();
  if (name) await (await caches.open(name)).delete(key);
}

async function forgetPages() {
  for (const name of await caches.keys()) if (name.startsWith(PAGES_PREFIX)) await caches.delete(name);
}

/** A file name or query carrying a content hash never changes: the kept copy is the file. */
function isVersioned(url) {
  return url.searchParams.has("v") || /\.[0-9a-f]{8,}\.[a-z0-9]+$/i.test(url.pathname);
}

/** A shell file: a versioned one from the cache, any other from the network, or the kept copy offline. */
async function shellFile(event, url) {
  const cache = await caches.open(SHELL_CACHE);
  if (isVersioned(url)) {
    const kept = await cache.match(event.request);
    if (kept) return kept;
  }
  try {
    const response = await fetch(event.request);
    if (response.status === 200 && response.type === "basic") event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (error) {
    const kept = await cache.match(event.request);
    if (kept) return kept;
    throw error;
  }
}
