// Placing a point in its grid from the cached boundaries (GeoJSON, [lng, lat]); the GPS point and orientation
// a photo's EXIF carries (read before the photo is re-encoded), and an EXIF block carrying a GPS point again.

function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) { inside = !inside; }
  }
  return inside;
}

function inPolygon(rings, x, y) {
  return rings.length > 0 && inRing(rings[0], x, y) && !rings.slice(1).some((hole) => inRing(hole, x, y));
}

export function contains(geometry, lat, lng) {
  if (!geometry) { return false; }
  if (geometry.type === "Polygon") { return inPolygon(geometry.coordinates, lng, lat); }
  if (geometry.type === "MultiPolygon") { return geometry.coordinates.some((p) => inPolygon(p, lng, lat)); }
  if (geometry.type === "Feature") { return contains(geometry.geometry, lat, lng); }
  return false;
}

const DEPTH = { village: 1, grid: 2, microgrid: 3 };

// The deepest cached area holding the point, with its village: {area, village} or null.
export function locate(areas, lat, lng) {
  let best = null;
  for (const area of areas || []) {
    if ((DEPTH[area.level] || 0) > (best ? DEPTH[best.level] : 0) && contains(area.boundary, lat, lng)) { best = area; }
  }
  if (!best) { return null; }
  const byId = new Map(areas.map((a) => [a.id, a]));
  let village = best;
  while (village && village.level !== "village") { village = byId.get(village.parent); }
  return { area: best, village: village || null };
}

// EXIF GPS of a JPEG (ArrayBuffer) as {latitude, longitude}, or null.
export function exifGps(buffer) {
  return exifOf(buffer).gps;
}

// EXIF of a JPEG: {gps: {latitude, longitude} | null, orientation: 1–8 (1: upright, also when absent)}.
export function exifOf(buffer) {
  const none = { gps: null, orientation: 1 };
  try {
    const view = new DataView(buffer);
    if (view.getUint16(0) !== 0xffd8) { return null; }
    let offset = 2;
    while (offset + 4 < view.byteLength) {
      const marker = view.getUint16(offset);
      const size = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) { return tiffExif(view, offset + 10); }
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) { return none; }
      offset += 2 + size;
    }
  } catch (e) { /* a damaged EXIF block: no point */ }
  return none;
}

function tiffExif(view, start) {
  let gps = null;
  let orientation = 1;
  try { gps = tiffGps(view, start); } catch (e) { /* no point */ }
  try {
    const little = view.getUint16(start) === 0x4949;
    const ifd = start + view.getUint32(start + 4, little);
    const count = view.getUint16(ifd, little);
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      if (view.getUint16(at, little) === 0x0112) { orientation = view.getUint16(at + 8, little) || 1; }
    }
  } catch (e) { /* upright */ }
  return { gps, orientation };
}

function tiffGps(view, start) {
  const little = view.getUint16(start) === 0x4949;
  const u16 = (o) => view.getUint16(start + o, little);
  const u32 = (o) => view.getUint32(start + o, little);
  const entries = (ifd) => {
    const found = {};
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      found[u16(at)] = at;
    }
    return found;
  };
  const ifd0 = entries(u32(4));
  if (ifd0[0x8825] === undefined) { return null; }
  const gps = entries(u32(ifd0[0x8825] + 8));
  const rational = (at, k) => { const o = u32(at + 8) + k * 8; return u32(o) / (u32(o + 4) || 1); };
  const degrees = (tag) => (gps[tag] === undefined ? null
    : rational(gps[tag], 0) + rational(gps[tag], 1) / 60 + rational(gps[tag], 2) / 3600);
  const ref = (tag) => (gps[tag] === undefined ? "" : String.fromCharCode(view.getUint8(start + gps[tag] + 8)));
  let latitude = degrees(2);
  let longitude = degrees(4);
  if (latitude === null || longitude === null) { return null; }
  if (ref(1) === "S") { latitude = -latitude; }
  if (ref(3) === "W") { longitude = -longitude; }
  return { latitude, longitude };
}

// An APP1 EXIF segment (bytes, marker included) holding only a GPS point: IFD0 → GPS IFD (version 2.2, N/S,
// latitude, E/W, longitude as degrees/minutes/seconds rationals). Little-endian TIFF, 150 bytes.
export function gpsSegment(latitude, longitude) {
  const tiff = new DataView(new ArrayBuffer(140));
  let o = 0;
  const u16 = (v) => { tiff.setUint16(o, v, true); o += 2; };
  const u32 = (v) => { tiff.setUint32(o, v, true); o += 4; };
  const entry = (tag, type, count, value) => { u16(tag); u16(type); u32(count); u32(value); };
  u16(0x4949); u16(42); u32(8);  // header: IFD0 at 8
  u16(1); entry(0x8825, 4, 1, 26); u32(0);  // IFD0: the GPS IFD at 26
  u16(5);  // the GPS IFD (ends at 92), then two 3-rational values (92, 116)
  entry(0x0000, 1, 4, 0x00000202);  // GPSVersionID 2.2.0.0
  entry(0x0001, 2, 2, latitude < 0 ? 0x53 : 0x4e);  // "S" / "N"
  entry(0x0002, 5, 3, 92);
  entry(0x0003, 2, 2, longitude < 0 ? 0x57 : 0x45);  // "W" / "E"
  entry(0x0004, 5, 3, 116);
  u32(0);
  for (const value of [Math.abs(latitude), Math.abs(longitude)]) {
    const degrees = Math.floor(value);
    const minutes = Math.floor((value - degrees) * 60);
    const seconds = Math.round(((value - degrees) * 60 - minutes) * 60 * 10000);
    u32(degrees); u32(1); u32(minutes); u32(1); u32(seconds); u32(10000);
  }
  const head = new Uint8Array([0xff, 0xe1, 0, 0, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  new DataView(head.buffer).setUint16(2, 2 + 6 + 140);
  const segment = new Uint8Array(head.length + 140);
  segment.set(head, 0);
  segment.set(new Uint8Array(tiff.buffer), head.length);
  return segment;
}
