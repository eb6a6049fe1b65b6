// The phone's IndexedDB: "outbox" (what waits to be sent, in order) and "data" (the offline data set).
import { openDB } from "idb";

export const CHANNEL = "gridgov-outbox";
const DB = "gridgov-phone";

export function openStore() {
  return openDB(DB, 1, {
    upgrade(db) {
      db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      db.createObjectStore("data", { keyPath: "name" });
    },
  });
}

export async function allItems(user) {
  const db = await openStore();
  const items = await db.getAll("outbox");
  return items.filter((item) => user === undefined || item.user === user).sort((a, b) => a.id - b.id);
}

export async function getItem(id) {
  const db = await openStore();
  return db.get("outbox", id);
}

export async function putItem(item) {
  const db = await openStore();
  item.updated = Date.now();
  const id = await db.put("outbox", item);
  announce();
  return id;
}

export async function deleteItem(id) {
  const db = await openStore();
  await db.delete("outbox", id);
  announce();
}

export async function clearAll() {
  const db = await openStore();
  await db.clear("outbox");
  await db.clear("data");
  announce();
}

export async function readData() {
  const db = await openStore();
  return db.get("data", "offline");
}

export async function writeData(data) {
  const db = await openStore();
  await db.put("data", { ...data, name: "offline" });
}

export function announce() {
  if (typeof BroadcastChannel !== "undefined") {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage("changed");
    channel.close();
  }
}

export const UNSENT = ["waiting", "sending", "refused", "conflict"];
