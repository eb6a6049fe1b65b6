// Sending the outbox: in order, once per Idempotency-Key, by the page or by the service worker (Background
// Sync). A network failure or a server error stops the round (the rest waits, order kept) and is retried;
// a refusal (4xx) or a conflict (409) is kept with the server's reason for the worker to fix or discard.
import { allItems, putItem } from "./store.js";

const LOCK = "gridgov-outbox-send";

async function session(url) {
  const res = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  const type = res.headers.get("content-type") || "";
  if (res.redirected || !res.ok || !type.includes("json")) { return null; } // signed out
  return res.json();
}

function valid(item) {
  return item && typeof item.key === "string" && typeof item.url === "string" && Array.isArray(item.fields) &&
    Array.isArray(item.files);
}

async function post(item, csrf) {
  const body = new FormData();
  for (const [name, value] of item.fields) { body.append(name, value); }
  for (const [name, blob, filename] of item.files) { body.append(name, blob, filename); }
  const res = await fetch(item.url, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrf, Accept: "application/json" },
  });
  const type = res.headers.get("content-type") || "";
  const json = type.includes("json") ? await res.json().catch(() => null) : null;
  return { res, json };
}

async function round(sessionUrl) {
  const pending = (await allItems()).filter((item) => item.state === "waiting" || item.state === "sending");
  if (!pending.length) { return { sent: 0 }; }
  let who;
  try { who = await session(sessionUrl); } catch (e) { return { offline: true }; }
  if (!who) {
    for (const item of pending) { if (item.note !== "sign_in") { item.note = "sign_in"; await putItem(item); } }
    return { signIn: true };
  }
  let sent = 0;
  for (const item of pending) {
    if (item.user !== who.user) { continue; } // another account's items are never sent as this one
    if (!valid(item)) { item.state = "refused"; item.note = "corrupt"; await putItem(item); continue; }
    item.state = "sending"; item.note = "";
    await putItem(item);
    let answer;
    try {
      answer = await post(item, who.csrf);
    } catch (e) {
      item.state = "waiting"; item.tries = (item.tries || 0) + 1; item.note = "retry";
      await putItem(item);
      return { offline: true, sent };
    }
    const { res, json } = answer;
    if (res.ok && json && json.ok) {
      item.state = "sent"; item.number = json.number; item.caseUrl = json.url; item.message = json.message;
      item.error = ""; item.files = []; // the photos are on the server now
      sent += 1;
    } else if (res.status === 409 && json) {
      item.state = "conflict"; item.error = json.error; item.number = json.number || "";
      item.statusLabel = json.status_label || ""; item.happened = Array.isArray(json.happened) ? json.happened : [];
    } else if (res.redirected || (res.status === 403 && !json)) {
      item.state = "waiting"; item.note = "sign_in"; await putItem(item); return { signIn: true, sent };
    } else if (res.status >= 500 || res.status === 429) {
      item.state = "waiting"; item.tries = (item.tries || 0) + 1; item.note = "retry";
      await putItem(item);
      return { failed: true, sent };
    } else {
      item.state = "refused"; item.error = (json && json.error) || `HTTP ${res.status}`; item.number = (json && json.number) || "";
    }
    await putItem(item);
  }
  return { sent };
}

export function flush(sessionUrl) {
  if (typeof navigator !== "undefined" && navigator.locks) {
    return navigator.locks.request(LOCK, () => round(sessionUrl));
  }
  return round(sessionUrl);
}
