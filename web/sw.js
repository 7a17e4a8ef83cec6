// Regroup's service worker (web/sw.js; web/build.py fills in VERSION and CORE). It replaces flet's, which
// unregisters itself, so that after one visit the app starts with no network: cache first, one cache per build.
const VERSION = "__VERSION__";
const CACHE = "regroup-" + VERSION;
const CORE = __CORE__; // every file the app needs in any browser, relative to this file
const SCOPE = new URL("./", self.location).pathname;

self.addEventListener("install", (event) => {
  // force-cache: the page has just downloaded these, so they come from the HTTP cache, not the network again.
  const requests = CORE.map((path) => new Request(new URL(path, self.location), { cache: "force-cache" }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("regroup-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// The page lists what it loaded (the renderer this browser chose, fonts): kept too.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "regroup-cache" && Array.isArray(event.data.urls)) {
    event.waitUntil(keep(event.data.urls));
  }
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  for (const raw of urls) {
    const url = new URL(raw, self.location);
    url.search = "";
    if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) continue;
    if (await cache.match(url)) continue;
    try {
      await cache.add(new Request(url, { cache: "force-cache" }));
    } catch (e) {
      // offline or gone: the next visit tries again
    }
  }
  const clients = await self.clients.matchAll();
  clients.forEach((client) => client.postMessage({ type: "regroup-cached", version: VERSION }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the app's own files: never the specialist server's API, never another origin.
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  if (request.mode === "navigate") {  // any route of the app (/journal, /help) is index.html
    event.respondWith(caches.match(new URL("index.html", self.location)).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request)));
});
