// Photos shrunk on the phone to at most 300 KB before they wait in the outbox. A JPEG that already fits and
// stands upright is kept as it is, EXIF and all. The others are drawn upright (EXIF orientation applied) on a
// canvas and re-encoded as JPEG, smaller and smaller until they fit; their GPS point, read first, is written
// back into the new file (an EXIF block with the point only), and also returned for the report's location.
import { exifOf, gpsSegment } from "./geo.js";

export const MAX_BYTES = 300 * 1024;
const MAX_SIDE = 1600;
const SMALLEST_SIDE = 64;

export class UnreadablePhoto extends Error {}

function encode(bitmap, width, height, quality) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

function withGps(blob, gps) {  // the EXIF block right after the JPEG's start-of-image marker
  if (!gps) { return blob; }
  return new Blob([blob.slice(0, 2), gpsSegment(gps.latitude, gps.longitude), blob.slice(2)], { type: "image/jpeg" });
}

export async function shrink(file) {
  const buffer = await file.arrayBuffer();
  const { gps, orientation } = exifOf(buffer);
  if (file.type === "image/jpeg" && file.size <= MAX_BYTES && orientation === 1) {
    return { blob: file, name: file.name, gps, reencoded: false };
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (e) {
    throw new UnreadablePhoto(file.name);
  }
  const room = MAX_BYTES - (gps ? 150 : 0);
  let scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  let quality = 0.82;
  let blob = null;
  for (;;) {  // lower the quality, then the size, until it fits (a 64-pixel photo always does)
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    blob = await encode(bitmap, width, height, quality);
    if (!blob) { throw new UnreadablePhoto(file.name); }
    if (blob.size <= room || Math.max(width, height) <= SMALLEST_SIDE) { break; }
    if (quality > 0.5) { quality -= 0.12; } else { scale *= 0.75; }
  }
  bitmap.close();
  return { blob: withGps(blob, gps), name: `${file.name.replace(/\.[^.]*$/, "") || "photo"}.jpg`, gps, reencoded: true };
}
