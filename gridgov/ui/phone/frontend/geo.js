// Placing a point in its grid from the cached boundaries (GeoJSON, [lng, lat]), and the GPS point a
// photo's EXIF carries (read before the photo is re-encoded, which drops EXIF).

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
  try {
    const view = new DataView(buffer);
    if (view.getUint16(0) !== 0xffd8) { return null; }
    let offset = 2;
    while (offset + 4 < view.byteLength) {
      const marker = view.getUint16(offset);
      const size = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) { return tiffGps(view, offset + 10); }
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) { return null; }
      offset += 2 + size;
    }
  } catch (e) { /* a damaged EXIF block: no point */ }
  return null;
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
