// The phone's service worker (served at /sw.js, scope /m/). Pages of the phone: network first, the kept
// copy when there is no network. Static files: the kept copy, refreshed in the background. Data answers,
// photos, the public pages and everything posted: never kept (the offline data lives in IndexedDB, put
// there by the page). Background Sync sends the outbox. Sign-out clears the caches (the page does).
//
// Versions: each build has its own cache (gridgov-phone-VERSION). A new version installs by copying what the
// previous one kept (so the phone stays usable offline across an update), then takes over at once
// (skipWaiting); on activation it claims the open pages — the very first install included, so the page it was
// registered from is controlled without a reload — and only then drops the older caches.
import { flush } from "./send.js";

const PREFIX = "gridgov-phone-";
const CACHE = `${PREFIX}${VERSION}`;
const scope = new URL(self.registration.scope);
const NEVER = ["offline/", "public/", "photos/", "categories/", "locate/", "map.geojson", "manifest.webmanifest"];

async function inherit() {  // the pages and files an older version kept, unless this version has them already
  const cache = await caches.open(CACHE);
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) { continue; }
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (await cache.match(request)) { continue; }
      const response = await old.match(request);
      if (response) { await cache.put(request, response); }
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(inherit().catch(() => null).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    for (const name of await caches.keys()) { if (name.startsWith(PREFIX) && name !== CACHE) { await caches.delete(name); } }
  })());
});

function isPage(url) {
  return url.origin === scope.origin && url.pathname.startsWith(scope.pathname) &&
    !NEVER.some((part) => url.pathname.includes(part));
}

function isStatic(url) {
  return url.origin === scope.origin && url.pathname.startsWith("/static/");
}

async function keep(request, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function page(request) {
  try {
    return await keep(request, await fetch(request));
  } catch (e) {
    const cache = await caches.open(CACHE);
    const kept = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (kept) { return kept; }
    const home = await cache.match(new URL("outbox/", scope).href);
    if (home) { return home; }
    throw e;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then((response) => keep(request, response)).catch(() => null);
  return kept || (await fresh) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (isStatic(url)) { event.respondWith(asset(request)); return; }
  if (request.mode === "navigate" && isPage(url)) { event.respondWith(page(request)); }
});

const ASSET = /(?:src|href)="(\/static\/[^"]+)"/g;

async function warm(urls) {
  const cache = await caches.open(CACHE);
  const assets = new Set();
  for (const raw of urls) {
    const url = new URL(raw, scope);
    if (!isPage(url) && !isStatic(url)) { continue; }
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok || response.redirected) { continue; }
      await cache.put(url, response.clone());
      if (isPage(url)) {
        const html = await response.text();
        for (const match of html.matchAll(ASSET)) { assets.add(match[1].replace(/&amp;/g, "&")); }
      }
    } catch (e) { /* offline now: the next visit fills it */ }
  }
  for (const path of assets) {
    try { await keep(new Request(path), await fetch(path)); } catch (e) { /* later */ }
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "claim") {  // a page opened while this worker was installing: it takes that page too
    event.waitUntil(self.clients.claim());
    return;
  }
  if (message.type === "warm") {
    event.waitUntil(warm(message.urls || []).finally(() => { if (event.ports[0]) { event.ports[0].postMessage("warm"); } }));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "gridgov-outbox") { event.waitUntil(flush(new URL("offline/session/", scope).href)); }
});
