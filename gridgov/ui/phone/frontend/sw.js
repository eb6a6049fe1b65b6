// The phone's service worker (served at /sw.js, scope /m/). Pages of the phone: network first, the kept
// copy when there is no network. Static files: the kept copy, refreshed in the background. Data answers,
// photos, the public pages and everything posted: never kept (the offline data lives in IndexedDB, put
// there by the page). Background Sync sends the outbox. Sign-out clears the caches (the page does).
import { flush } from "./send.js";

const CACHE = `gridgov-phone-${VERSION}`;
const scope = new URL(self.registration.scope);
const NEVER = ["offline/", "public/", "photos/", "categories/", "locate/", "map.geojson", "manifest.webmanifest"];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) { if (name.startsWith("gridgov-phone-") && name !== CACHE) { await caches.delete(name); } }
    await self.clients.claim();
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
  if (message.type === "warm") {
    event.waitUntil(warm(message.urls || []).finally(() => { if (event.ports[0]) { event.ports[0].postMessage("warm"); } }));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "gridgov-outbox") { event.waitUntil(flush(new URL("offline/session/", scope).href)); }
});
