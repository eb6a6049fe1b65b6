// Builds GridGov's front-end static files into frontend-build/ (git-ignored; served as STATICFILES_DIRS):
//   vendor/echarts/charts.js  the ECharts parts the dashboard uses (charts.js beside this file): bundled by
//                             esbuild, minified by terser (≈ 8 KB gzip less than esbuild's own minifier,
//                             which keeps the dashboard's first load within its 200 KB)
//   vendor/leaflet/           Leaflet's dist files, as npm installed them
//   phone/offline.js, sw.js   the phone's offline script and service worker (gridgov/ui/phone/frontend,
//                             with idb), bundled and minified by esbuild; phone/icon-*.png drawn below
// Every .js and .css also gets a .gz beside it, so that whitenoise sends it compressed even when it serves
// straight from this directory (DEBUG, as in bin/demo); collectstatic compresses its own copies.
// Run by `npm run build` (bin/_setup.sh does, after npm ci).
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, deflateSync, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { minify } from "terser";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../../..");
const out = join(root, "frontend-build");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const bundled = await build({
  entryPoints: [join(here, "charts.js")],
  bundle: true,
  write: false,
  format: "iife",
  target: "es2017",
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
const minified = await minify(bundled.outputFiles[0].text, { ecma: 2017, compress: { passes: 2 }, mangle: true });
mkdirSync(join(out, "vendor/echarts"), { recursive: true });
writeFileSync(join(out, "vendor/echarts/charts.js"), minified.code);

cpSync(join(root, "node_modules/leaflet/dist"), join(out, "vendor/leaflet"), {
  recursive: true,
  filter: (source) => !/leaflet-src/.test(source), // the unminified copies; leaflet.js.map stays (leaflet.js names it)
});

// The phone's offline code: one bundle for its pages, one for the service worker (served at /sw.js).
const phone = resolve(root, "gridgov/ui/phone/frontend");
const phoneSources = readdirSync(phone).filter((name) => name.endsWith(".js")).sort();
const phoneVersion = createHash("sha256")
  .update(phoneSources.map((name) => readFileSync(join(phone, name))).join("\n"))
  .update(readFileSync(join(root, "package-lock.json")))
  .digest("hex")
  .slice(0, 12);
for (const entry of ["offline.js", "sw.js"]) {
  await build({
    entryPoints: [join(phone, entry)],
    outfile: join(out, "phone", entry),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    define: { VERSION: JSON.stringify(phoneVersion) },
    logLevel: "warning",
  });
}

// The phone app's icons, drawn here (no image files from elsewhere): a red square with a white 3×3 grid.
function png(size, inset) {
  const rows = [];
  const line = Math.max(2, Math.round(size / 32));
  const lo = Math.round(size * inset);
  const hi = size - lo;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const inside = x >= lo && x < hi && y >= lo && y < hi;
      const cell = (hi - lo) / 3;
      const onLine = inside && [0, 1, 2, 3].some((k) => Math.abs(x - (lo + k * cell)) < line || Math.abs(y - (lo + k * cell)) < line);
      const [r, g, b] = onLine ? [255, 255, 255] : [185, 28, 28];
      row.set([r, g, b, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
function crc32(data) {
  let crc = -1;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return crc ^ -1;
}
writeFileSync(join(out, "phone/icon-192.png"), png(192, 0.16));
writeFileSync(join(out, "phone/icon-512.png"), png(512, 0.16));
writeFileSync(join(out, "phone/icon-maskable-512.png"), png(512, 0.26)); // the drawing inside the safe zone

function compressAll(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      compressAll(path);
    } else if (/\.(js|css)$/.test(name)) {
      writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }));
    }
  }
}
compressAll(out);
writeFileSync(join(out, ".built"), "built by npm run build\n");
