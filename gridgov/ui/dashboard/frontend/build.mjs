// Builds GridGov's front-end static files into frontend-build/ (git-ignored; served as STATICFILES_DIRS):
//   vendor/echarts/charts.js  the ECharts parts the dashboard uses (charts.js beside this file): bundled by
//                             esbuild, minified by terser (≈ 8 KB gzip less than esbuild's own minifier,
//                             which keeps the dashboard's first load within its 200 KB)
//   vendor/leaflet/           Leaflet's dist files, as npm installed them
// Every .js and .css also gets a .gz beside it, so that whitenoise sends it compressed even when it serves
// straight from this directory (DEBUG, as in bin/demo); collectstatic compresses its own copies.
// Run by `npm run build` (bin/_setup.sh does, after npm ci).
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";
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
