// The phone pages offline: registers the service worker (scope /m/), keeps the offline data set fresh,
// puts a form submitted without a network into the outbox, sends the outbox when the network returns,
// searches categories and places a GPS point from the cached data, and shows the outbox page.
// Loaded (defer) only on the signed-in phone pages; words come from the page (#offline-strings).
import { CHANNEL, UNSENT, allItems, clearAll, deleteItem, getItem, putItem, readData, writeData } from "./store.js";
import { flush } from "./send.js";
import { locate } from "./geo.js";
import { UnreadablePhoto, shrink } from "./photos.js";
import { searchCategories } from "./search.js";

const script = document.getElementById("offline-script");
const cfg = script ? script.dataset : {};
const S = Object.assign({}, ...[...document.querySelectorAll("[data-offline-strings]")].map((n) => JSON.parse(n.textContent)));
const t = (name, value) =>
  (S[name] || (data && data.strings && data.strings[name]) || name).replace("%s", value === undefined ? "" : value);
const REFRESH_MS = 2 * 60 * 1000;
const TIMER_MS = 30 * 1000;
const CASE_PAGES = 40;  // at most this many case pages of open tasks are kept for offline use
const KEEP_SENT_MS = 7 * 24 * 3600 * 1000;  // a sent item stays listed (with its case number) for a week
const user = Number(cfg.user) || null;  // the signed-in user, as the page was rendered
let data = null;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { node.setAttribute(k, v); }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

// ---- the bar: network state, data age, outbox count ----
async function showBar() {
  const bar = document.getElementById("offline-bar");
  if (!bar) { return; }
  const mine = (await allItems(user)).filter((i) => UNSENT.includes(i.state));
  document.getElementById("outbox-count").textContent = String(mine.length);
  document.getElementById("offline-state").textContent = navigator.onLine ? "" : t("offline");
  document.getElementById("data-age").textContent = data ? data.fetched_label : t("never_fetched");
  bar.hidden = navigator.onLine && mine.length === 0;
  bar.classList.toggle("is-offline", !navigator.onLine);
}

// ---- the offline data set and the pages the service worker keeps ----
async function warm() {
  if (!("serviceWorker" in navigator)) { return; }
  const reg = await navigator.serviceWorker.ready;
  const worker = navigator.serviceWorker.controller || reg.active;
  if (!worker) { return; }
  const pages = (cfg.pages || "").split(" ").filter(Boolean);
  if (data && data.tasks) {  // the case pages of the open tasks, with their verification forms (and versions)
    const tasks = data.tasks.verify.concat(data.tasks.mine).slice(0, CASE_PAGES);
    pages.push(...new Set(tasks.map((task) => task.url)));
  }
  const assets = [...document.querySelectorAll("script[src], link[rel=stylesheet][href]")].map((n) => n.src || n.href);
  await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    worker.postMessage({ type: "warm", urls: pages.concat(assets, [location.pathname]) }, [channel.port2]);
    setTimeout(resolve, 15000);
  });
}

async function ownData() {  // the kept data set, if it is this user's (never another account's grids and tasks)
  const kept = (await readData()) || null;
  return kept && kept.user === user ? kept : null;
}

async function refresh(force) {
  const kept = (await readData()) || null;
  data = kept && kept.user === user ? kept : null;
  if (!navigator.onLine) { return; }
  if (!force && data && Date.now() - Date.parse(data.fetched_at) < REFRESH_MS) { return; }
  const res = await fetch(cfg.data, { credentials: "same-origin", cache: "no-store" });
  if (!res.ok || res.redirected) { return; }
  const fresh = await res.json();
  if (kept && kept.user !== fresh.user && "caches" in window) {  // another account on this phone: drop the old pages
    for (const name of await caches.keys()) { await caches.delete(name); }
  }
  await writeData(fresh);
  data = fresh;
  await warm();
}

// ---- sending ----
let sending = null;
function send() {
  if (!navigator.onLine) { return Promise.resolve(); }
  if (!sending) {
    sending = flush(cfg.session).catch(() => null).finally(() => { sending = null; showBar(); renderOutbox(); });
  }
  return sending;
}

// ---- a form submitted without a network goes into the outbox ----
function problem(form, message) {
  let box = form.querySelector(".offline-problem");
  if (!box) { box = el("p", { class: "error banner offline-problem", role: "alert" }); form.prepend(box); }
  box.textContent = message;
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

async function keep(form, submitter) {
  const fields = [];
  const files = [];
  const entries = new FormData(form);
  if (submitter && submitter.name) { entries.append(submitter.name, submitter.value); }
  let gps = null;
  for (const [name, value] of entries) {
    if (name === "csrfmiddlewaretoken" || name === "once_token" || name === "q") { continue; }
    if (value instanceof File) {
      if (!value.size) { continue; }
      const photo = await shrink(value);
      gps = gps || (photo.reencoded ? photo.gps : null);
      files.push([name, photo.blob, photo.name]);
    } else {
      fields.push([name, value]);
    }
  }
  const has = (name) => fields.some(([n, v]) => n === name && v);
  if (gps && form.dataset.outbox === "report" && !has("latitude")) {  // the photo's point (kept in its EXIF too)
    const drop = new Set(["latitude", "longitude"]);
    fields.splice(0, fields.length, ...fields.filter(([n]) => !drop.has(n)));
    fields.push(["latitude", gps.latitude.toFixed(6)], ["longitude", gps.longitude.toFixed(6)]);
  }
  const text = fields.find(([n]) => n === "description" || n === "note");
  const label = form.dataset.label || (text ? String(text[1]).slice(0, 40) : "");
  const item = {
    user,
    key: newKey(),  // a fixed item gets a new one too: its old key was answered with a refusal
    kind: form.dataset.outbox,
    url: form.getAttribute("action") || location.pathname,
    label,
    fields,
    files,
    state: "waiting",
    created: Date.now(),
    tries: 0,
  };
  const fixing = form.dataset.fix ? await getItem(Number(form.dataset.fix)) : null;
  if (fixing && fixing.user === user) {  // the refused item, fixed: it keeps its place in the order
    Object.assign(item, { id: fixing.id, created: fixing.created, url: fixing.url, fixed: (fixing.fixed || 0) + 1 });
  }
  await putItem(item);
  try {
    const reg = await navigator.serviceWorker.ready;
    if (reg.sync) { await reg.sync.register("gridgov-outbox"); }
  } catch (e) { /* no Background Sync: sent on the next page load, when the network returns, or by the timer */ }
}

document.addEventListener("submit", async (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement)) { return; }
  if (form.hasAttribute("data-logout")) { return signOut(ev, form); }
  if (!form.dataset.outbox || (navigator.onLine && !form.dataset.fix)) { return; }  // a fix goes through the outbox
  ev.preventDefault();
  ev.stopImmediatePropagation();
  if (form.dataset.keeping) { return; }
  form.dataset.keeping = "1";
  try {
    await keep(form, ev.submitter);
    location.assign(cfg.outbox);
  } catch (e) {
    if (e instanceof UnreadablePhoto) { problem(form, t("photo_unreadable", e.message)); } else if (e && e.name === "QuotaExceededError") { problem(form, t("storage_full")); } else { problem(form, t("storage_full")); }
  } finally {
    delete form.dataset.keeping;
  }
}, true);

async function signOut(ev, form) {
  if (form.dataset.confirmed) { return; }
  ev.preventDefault();
  const unsent = (await allItems(user)).filter((i) => UNSENT.includes(i.state)).length;
  if (unsent && !window.confirm(t("unsent_logout", unsent))) { return; }
  await clearAll();
  if ("caches" in window) { for (const name of await caches.keys()) { await caches.delete(name); } }
  form.dataset.confirmed = "1";
  form.submit();
}

// ---- offline: categories and the GPS point from the cached data ----
function showCategories(results) {
  const box = document.getElementById("category-results");
  if (!box) { return; }
  const chosen = box.querySelector("input[name=category]:checked");
  box.replaceChildren();
  if (chosen) { box.append(chosen.closest("label")); }
  for (const entry of results) {
    if (chosen && String(entry.id) === chosen.value) { continue; }
    const label = el("label", { class: "option" });
    label.append(el("input", { type: "radio", name: "category", value: String(entry.id) }), ` ${entry.label}`);
    box.append(label);
  }
  if (!results.length) { box.append(el("p", { class: "empty" }, t("no_match"))); }
}

function placeOffline(lat, lng, accuracy) {
  const status = document.getElementById("place-status");
  const setValue = (id, value) => { const input = document.getElementById(id); if (input) { input.value = value; } };
  setValue("id_latitude", lat.toFixed(6));
  setValue("id_longitude", lng.toFixed(6));
  const found = data ? locate(data.areas, lat, lng) : null;
  let text;
  if (found) {
    const names = found.village && found.village !== found.area ? `${found.village.name} · ${found.area.name}` : found.area.name;
    if (found.area.report === false) {  // the server would refuse it: say so now, choose nothing
      setValue("id_area", "");
      text = t("not_yours", names);
    } else {
      setValue("id_area", String(found.area.id));
      text = t("located", names);
    }
  } else {
    text = t("outside");
  }
  if (accuracy) { text += ` ${t("accuracy", accuracy)}`; }
  if (status) { status.textContent = text; status.dataset.offline = "1"; }
}

document.addEventListener("htmx:beforeRequest", (ev) => {
  if (navigator.onLine) { return; }
  const detail = ev.detail || {};
  const path = String((detail.requestConfig && detail.requestConfig.path) || "");
  const elt = detail.elt;
  ev.preventDefault();  // offline: answer from the cached data, do not wait for the network
  if (!data) { return; }
  if (path.includes("/locate/")) {
    const params = new URLSearchParams(path.split("?")[1] || "");
    placeOffline(Number(params.get("latitude")), Number(params.get("longitude")), params.get("accuracy"));
    return;
  }
  if (path.includes("/categories/")) {
    const major = new URLSearchParams(path.split("?")[1] || "").get("major");
    const search = document.getElementById("category-search");
    const query = elt && elt.id === "category-search" ? search.value : "";
    showCategories(searchCategories(data.categories, query, major ? Number(major) : null));
  }
});

// ---- "fix and resend": the report form again, filled in from a refused outbox item ----
function kept(item, name) {
  const found = item.fields.find(([n]) => n === name);
  return found ? String(found[1]) : "";
}

async function prefill() {
  const form = document.getElementById("report-form");
  const id = Number(new URLSearchParams(location.search).get("fix"));
  if (!form || !id) { return; }
  const item = await getItem(id);
  if (!item || item.user !== user || item.kind !== "report" || item.state !== "refused") {
    problem(form, t("fix_gone"));
    return;
  }
  form.dataset.fix = String(item.id);
  for (const name of ["description", "address", "resolution_note"]) {
    const input = form.elements.namedItem(name);
    if (input && "value" in input) { input.value = kept(item, name); }
  }
  const category = kept(item, "category");
  const box = document.getElementById("category-results");
  if (category && box) {
    const entry = data ? data.categories.find((e) => String(e.id) === category) : null;
    const radio = el("input", { type: "radio", name: "category", value: category });
    radio.checked = true;
    const label = el("label", { class: "option" });
    label.append(radio, ` ${entry ? entry.label : t("category_kept")}`);
    box.replaceChildren(label);
  }
  const spot = form.elements.namedItem("resolve_on_spot");
  if (spot && kept(item, "resolve_on_spot")) {
    spot.checked = true;
    const section = document.getElementById("on-spot");
    if (section) { section.removeAttribute("data-hidden"); }
  }
  const lat = kept(item, "latitude");
  const lng = kept(item, "longitude");
  if (lat && lng) { placeOffline(Number(lat), Number(lng)); }
  const area = document.getElementById("id_area");
  if (area && kept(item, "area")) { area.value = kept(item, "area"); }
  for (const name of ["photos", "after_photos"]) {  // the photos kept on the phone, as chosen files again
    const input = form.elements.namedItem(name);
    const photos = item.files.filter(([n]) => n === name);
    if (!input || !photos.length || typeof DataTransfer === "undefined") { continue; }
    const chosen = new DataTransfer();
    for (const [, blob, filename] of photos) { chosen.items.add(new File([blob], filename, { type: blob.type || "image/jpeg" })); }
    input.files = chosen.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  const banner = el("div", { class: "problem", role: "alert", id: "fix-reason" });
  banner.append(el("b", {}, t("fix_title")), " ", item.error || "");
  form.prepend(banner);
}

// ---- the outbox page ----
function when(ms) {  // Beijing time, in the page's words: "12月4日 15:32"
  const parts = {};
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
  for (const part of format.formatToParts(new Date(ms))) { parts[part.type] = part.value; }
  return (S.date || "{month}/{day} {time}").replace("{month}", String(Number(parts.month))).replace("{day}", String(Number(parts.day))).replace("{time}", `${parts.hour}:${parts.minute}`);
}

async function renderOutbox() {
  const list = document.getElementById("outbox-list");
  if (!list) { return; }
  const items = (await allItems(user)).reverse();
  list.replaceChildren();
  if (!items.length) { list.append(el("li", { class: "empty" }, t("empty"))); }
  for (const item of items) {
    const li = el("li", { class: `item state-${item.state}`, "data-state": item.state, "data-key": item.key });
    li.append(el("b", {}, `${t(item.kind)} ${item.label || ""}`), el("span", { class: "muted" }, ` ${t("made_at", when(item.created))}`));
    const line = el("p", { class: "state" }, t(item.state));
    if (item.state === "sent" && item.caseUrl) {
      line.append(" ", el("a", { href: item.caseUrl, class: "number" }, t("number", item.number)));
    }
    li.append(line);
    if (item.note === "retry" && item.state === "waiting") { li.append(el("p", { class: "hint" }, t("retry", item.tries))); }
    if (item.note === "sign_in") { li.append(el("p", { class: "notice" }, t("sign_in"))); }
    if (item.note === "corrupt") { li.append(el("p", { class: "error" }, t("corrupt"))); }
    if (item.error) { li.append(el("p", { class: "error reason" }, item.error)); }
    if (item.state === "conflict" && /\/cases\/\d+\//.test(item.url)) {
      li.append(el("a", { href: item.url.replace(/(\/cases\/\d+\/).*/, "$1"), class: "btn small open-case" }, t("open_case")));
    }
    if (item.state === "conflict") {  // the engine's message is above; what became of the case meanwhile
      if (item.statusLabel) { li.append(el("p", { class: "now-status" }, t("now_status", item.statusLabel))); }
      if (item.happened && item.happened.length) {
        const list = el("ul", { class: "happened" });
        for (const line of item.happened) { list.append(el("li", {}, line)); }
        li.append(el("p", { class: "hint" }, t("happened")), list);
      }
    }
    if (item.state === "refused" || item.state === "conflict") {
      const field = item.fields && item.fields.find(([n]) => n === "description" || n === "note");
      if (item.state === "refused" && item.kind === "report" && item.note !== "corrupt" && cfg.report) {
        // the whole report form again, filled in from the item (category, place, photos, text)
        li.append(el("a", { href: `${cfg.report}?fix=${item.id}`, class: "btn small primary fix-report" }, t("resend")));
      } else if (item.state === "refused" && field && item.note !== "corrupt") {
        const area = el("textarea", { rows: "2", class: "fix" });
        area.value = field[1];
        li.append(area);
        const again = el("button", { type: "button", class: "btn small primary resend" }, t("resend"));
        again.addEventListener("click", async () => {
          field[1] = area.value;
          // a new Idempotency-Key: the old one was answered with the refusal
          Object.assign(item, { state: "waiting", error: "", note: "", key: newKey(), tries: 0 });
          await putItem(item);
          send();
        });
        li.append(again);
      }
      const drop = el("button", { type: "button", class: "btn small discard" }, t("discard"));
      drop.addEventListener("click", async () => { if (window.confirm(t("confirm_discard"))) { await deleteItem(item.id); } });
      li.append(drop);
    }
    list.append(li);
  }
}

// ---- start ----
async function start() {
  data = await ownData();
  try { await prefill(); } catch (e) { /* the form stays empty: the item is still in the outbox */ }
  for (const item of await allItems(user)) {
    if (item.state === "sent" && Date.now() - (item.updated || 0) > KEEP_SENT_MS) { await deleteItem(item.id); }
  }
  showBar();
  renderOutbox();
  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(CHANNEL).onmessage = () => { showBar(); renderOutbox(); };
  }
  const button = document.getElementById("outbox-send");
  if (button) { button.addEventListener("click", () => send()); }
  window.addEventListener("online", () => { showBar(); refresh(true).catch(() => null).then(send); });
  window.addEventListener("offline", showBar);
  setInterval(() => { if (navigator.onLine) { send(); } }, TIMER_MS);
  if ("serviceWorker" in navigator && cfg.sw) {
    try { await navigator.serviceWorker.register(cfg.sw, { scope: cfg.scope }); } catch (e) { /* offline use is then unavailable */ }
  }
  try { await refresh(false); } catch (e) { /* offline or signed out: keep what was cached */ }
  await send();
  showBar();
  if ("serviceWorker" in navigator && cfg.sw && !navigator.serviceWorker.controller) {
    // the first visits: the new worker claims the open pages when it activates; a page loaded while it was
    // still installing (e.g. the next page after sign-in) missed that claim, so it asks for one — no reload
    await new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
      setTimeout(resolve, 15000);
      navigator.serviceWorker.ready.then((reg) => {
        if (!navigator.serviceWorker.controller && reg.active) { reg.active.postMessage({ type: "claim" }); }
      });
    });
  }
  document.documentElement.dataset.offlineReady = navigator.serviceWorker && navigator.serviceWorker.controller ? "controlled" : "1";
}

if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
