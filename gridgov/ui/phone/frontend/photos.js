// Photos shrunk on the phone to at most 300 KB before they wait in the outbox: drawn upright (EXIF
// orientation applied) on a canvas and re-encoded as JPEG, smaller and smaller until they fit. A JPEG that
// already fits is kept as it is, EXIF and all; for the others the GPS point is read first and returned.
import { exifGps } from "./geo.js";

export const MAX_BYTES = 300 * 1024;
const MAX_SIDE = 1600;

export class UnreadablePhoto extends Error {}

function encode(bitmap, width, height, quality) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

export async function shrink(file) {
  const buffer = await file.arrayBuffer();
  const gps = exifGps(buffer);
  if (file.type === "image/jpeg" && file.size <= MAX_BYTES) {
    return { blob: file, name: file.name, gps, reencoded: false };
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (e) {
    throw new UnreadablePhoto(file.name);
  }
  let scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  let quality = 0.82;
  let blob = null;
  for (let i = 0; i < 10; i++) {
    blob = await encode(bitmap, Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)), quality);
    if (!blob) { throw new UnreadablePhoto(file.name); }
    if (blob.size <= MAX_BYTES) { break; }
    if (quality > 0.5) { quality -= 0.12; } else { scale *= 0.75; }
  }
  bitmap.close();
  return { blob, name: `${file.name.replace(/\.[^.]*$/, "") || "photo"}.jpg`, gps, reencoded: true };
}
