#!/usr/bin/env node
// npm run bench: performance and size of pave-hotspots, next to js-cloudimage-hotspot, in one run.
//   1. builds the release package (under the shared build lock) and prints what a dealer page
//      downloads: JS + wasm (no CSS file), raw, gzip -9, brotli; and the design's floor, src/core
//      alone built the same way (bench/core-only.mjs);
//   2. a twiggy report of a names-preserving copy of the same wasm: the biggest items, and bytes
//      per crate;
//   3. page tasks in headless Chromium (the page tests' flags), the same tasks done by both
//      libraries on the same page, runs interleaved: main-thread time (median, p95), layouts and
//      forced layouts, DOM writes;
//   4. first visits (bench/cold.mjs): a fresh browser context per run, navigation → markers on
//      screen, on loopback and on a throttled mobile network;
//   5. a fixed-width table on stdout (progress goes to stderr) and the same data as JSON in
//      bench/out/results.json.
// It prints figures and never fails on speed (the size budget is scripts/size-budget.mjs).
// Options: --quick (1 warm-up, 3 runs, for trying things), --runs N (runs of the small tasks),
//          --tasks a,b,… , --no-build (measure the current dist/ and target/), --no-twiggy,
//          --no-core-only,
//          --no-trace, --json PATH (where the JSON goes). See bench/README.md for what is
//          measured and how.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
};
const started = Date.now();
const log = (...a) => console.error(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s]:`, ...a);

// ---- 1. Build and snapshot -------------------------------------------------------------------

const snap = mkdtempSync(join(tmpdir(), 'pave-bench-'));
mkdirSync(join(snap, 'dist'));
const targetWasm = join('target', 'wasm32-unknown-unknown', 'release', 'pave_hotspots.wasm');
{
  // Build and copy under the lock, so a build by someone else can't swap files under the bench.
  const copy = `cp dist/pave-hotspots.js dist/pave-hotspots.wasm '${snap}/dist/' && cp '${targetWasm}' '${snap}/pave_hotspots.wasm'`;
  const script = flag('no-build') ? copy : `node scripts/build.mjs --quiet && ${copy}`;
  log(flag('no-build') ? 'snapshotting the current build' : 'building the release package (node scripts/build.mjs, under /tmp/pave-build.lock)');
  try {
    execFileSync('flock', ['/tmp/pave-build.lock', 'sh', '-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(String(error.stdout ?? '') + String(error.stderr ?? ''));
    throw new Error('the build failed');
  }
}

const compress = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const sum = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const theirsDir = join(root, 'node_modules', 'js-cloudimage-hotspot');
const theirsVersion = JSON.parse(readFileSync(join(theirsDir, 'package.json'), 'utf8')).version;
const oursFiles = ['pave-hotspots.js', 'pave-hotspots.wasm'].map((f) => ({ file: f, ...compress(readFileSync(join(snap, 'dist', f))) }));
// Their script-tag build (unpkg/CDN entry) carries its CSS inside the JS (injected at run time): no
// CSS file. The ESM build is what a bundler starts from (it minifies it again).
const theirFiles = [
  { file: 'js-cloudimage-hotspot.min.js', note: 'UMD, minified, CSS inside' },
  { file: 'js-cloudimage-hotspot.esm.js', note: 'ESM for bundlers, not minified' },
].map((f) => ({ ...f, ...compress(readFileSync(join(theirsDir, 'dist', f.file))) }));
const sizes = {
  ours: { files: oursFiles, total: sum(oursFiles) },
  theirs: { version: theirsVersion, files: theirFiles, total: sum(theirFiles.slice(0, 1)) },
};

// ---- 1b. The design's floor: src/core alone (bench/core-only.mjs) ------------------------------

let coreOnly = null;
if (!flag('no-core-only')) {
  const { coreOnlySizes } = await import('../bench/core-only.mjs');
  log('the core alone (bench/core-only): two release builds');
  try {
    coreOnly = { variants: coreOnlySizes({ root, dir: join(snap, 'core-only'), env, compress }).map((v) => ({ ...v, total: sum([v.js, v.wasm]) })) };
  } catch (error) {
    const why = `${error.message.split('\n')[0]} ${String(error.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`.trim();
    log(`core-only sizes skipped: ${why}`);
    coreOnly = { error: why };
  }
}

// ---- 2. twiggy ---------------------------------------------------------------------------------

let twiggy = null;
if (!flag('no-twiggy')) {
  const { ensureTwiggy, namedBuild, twiggyReport } = await import('../bench/twiggy.mjs');
  try {
    ensureTwiggy(env, log);
    log('twiggy: names-preserving build (wasm-bindgen --keep-debug, wasm-opt -g)');
    const { named, flags } = namedBuild({ root, targetWasm: join(snap, 'pave_hotspots.wasm'), dir: join(snap, 'names'), env });
    twiggy = { flags, ...twiggyReport({ named, shippedBytes: oursFiles[1].raw, env }) };
  } catch (error) {
    log(`twiggy report skipped: ${error.message.split('\n')[0]}`);
    twiggy = { error: error.message };
  }
}

// ---- 3. Page tasks -------------------------------------------------------------------------------

// warm: runs before the counted ones, per library. c and c2 have none of their own (each run takes
// seconds): tasks a and b ran the same code paths just before. Tasks without `blocks`: a fresh
// element per run, the libraries interleaved run by run. With `blocks`: the runs go in that many
// blocks on one element (a spin turning, a window being resized), each block after `warm` runs of
// its own, one library at a time (two live instances would react to each other's loads and
// resizes), the libraries alternating block by block.
const TASKS = {
  a: { title: '27-damage sample: set results → markers written', warm: 5, runs: 30, traces: 2 },
  b: { title: '1,000 damages on one photo (1200 px wide)', warm: 3, runs: 20, traces: 2 },
  c: { title: '10,000 damages on one photo (4000 px wide)', warm: 0, runs: 3, traces: 1, traceLibs: ['ours', 'floor'] },
  c2: { title: '10,000 random damages at 900 px (all cluster)', warm: 0, runs: 3, traces: 1, libs: ['ours'] },
  d: { title: 'switch photo (img src, 30 markers each)', warm: 2, runs: 30, traces: 2, blocks: 3 },
  e: { title: 'resize 1200 ↔ 1180 px with 1,000 markers', warm: 1, runs: 30, traces: 2, blocks: 3 },
  f: { title: 'scroll the page ±40 px with 1,000 markers', warm: 1, runs: 30, traces: 1, blocks: 3 },
  g: { title: 'resize with 12 widgets of 30 markers (cards)', warm: 1, runs: 30, traces: 2, blocks: 3 },
  h: { title: 'scroll the page ±40 px with the 12 cards', warm: 1, runs: 30, traces: 1, blocks: 3 },
};
const quick = flag('quick');
const smallRuns = option('runs') ? Math.max(1, Number(option('runs'))) : null;
for (const t of Object.values(TASKS)) {
  if (quick) Object.assign(t, { warm: Math.min(1, t.warm), runs: Math.min(3, t.runs), traces: 1, blocks: t.blocks && 1 });
  else if (smallRuns && t.runs >= 20) t.runs = smallRuns;
  else if (smallRuns) t.runs = Math.min(t.runs, smallRuns);
  if (flag('no-trace')) t.traces = 0;
  t.libs ??= ['ours', 'theirs', 'floor'];
  t.traceLibs ??= t.libs;
}
const only = option('tasks')?.split(',').filter(Boolean);
const taskNames = Object.keys(TASKS).filter((k) => !only || only.includes(k));
// "load": first visits (bench/cold.mjs), apart from the page tasks above.
const COLD = { title: 'navigation → the sample\'s markers on screen', warm: quick ? 1 : 2, runs: quick ? 2 : (smallRuns ?? 12), libs: ['ours', 'ours-pre', 'theirs', 'floor'] };
const coldWanted = !only || only.includes('load');

const photos = join(root, 'www', 'generated', 'photos');
if (!existsSync(join(photos, 'frame-05.svg'))) {
  log('generating the demo photos (scripts/gen-photos.mjs)');
  execFileSync('node', [join(root, 'scripts', 'gen-photos.mjs'), photos], { stdio: 'ignore' });
}

const { serve, browser, closeBrowser } = await import('../tests/page/harness.mjs');
const { coldSite, coldRun, PROFILES } = await import('../bench/cold.mjs');
const cold = coldSite({ root, dist: join(snap, 'dist'), theirs: theirsDir, sample: readFileSync(join(root, 'tests', 'fixtures', 'pave', 'results-27-damages.json'), 'utf8') });
const { analyzeTrace, TRACE_CATEGORIES } = await import('../bench/trace.mjs');
const pageHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pave-hotspots bench</title>
<style>body { margin: 0; font: 16px/1.4 sans-serif } .stage img { display: block; width: 100%; height: auto }</style>
</head><body><div id="area"></div><script type="module" src="/bench/page.js"></script></body></html>`;
const server = await serve({
  mounts: { '/bench/': join(root, 'bench'), '/dist/': join(snap, 'dist') },
  pages: { '/bench/page.html': pageHtml, ...cold.pages },
  // The photos are cacheable, as a spin viewer's frames are (the harness serves no-store).
  handler: async (req, res, url) => {
    if (cold.handler(req, res, url)) return true;
    if (!url.pathname.startsWith('/photos/')) return false;
    const name = url.pathname.slice('/photos/'.length);
    const body = /^[\w.-]+\.svg$/.test(name) ? await readFile(join(photos, name)).catch(() => null) : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' });
    res.end(body ?? '');
    return true;
  },
});
const chromium = await browser();
const context = await chromium.newContext({ viewport: { width: 1280, height: 1000 } });
await context.addInitScript({ path: join(root, 'bench', 'instrument.js') });
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
await page.goto(`${server.url}/bench/page.html`);
await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const load0 = loadavg()[0];

async function oneRun(lib, task, { trace = false } = {}) {
  await page.evaluate(([l, t]) => window.benchPage.setup(l, t), [lib, task]);
  const m0 = await metrics();
  if (trace) await chromium.startTracing(page, { categories: TRACE_CATEGORIES });
  const r = await page.evaluate(() => window.benchPage.run());
  const buffer = trace ? await chromium.stopTracing() : null;
  const m1 = await metrics();
  await page.evaluate(() => window.benchPage.teardown(false));
  await cdp.send('HeapProfiler.collectGarbage');
  r.cdp = {
    task: (m1.TaskDuration - m0.TaskDuration) * 1000,
    script: (m1.ScriptDuration - m0.ScriptDuration) * 1000,
    layoutMs: (m1.LayoutDuration - m0.LayoutDuration) * 1000,
    styleMs: (m1.RecalcStyleDuration - m0.RecalcStyleDuration) * 1000,
    layouts: m1.LayoutCount - m0.LayoutCount,
    styles: m1.RecalcStyleCount - m0.RecalcStyleCount,
  };
  if (buffer) r.trace = analyzeTrace(buffer);
  if (!r.ok) log(`warning: ${lib} ${task}: the markers were not written within 900 frames`);
  return r;
}

const results = {};
for (const task of taskNames) {
  const t = TASKS[task];
  results[task] = Object.fromEntries(t.libs.map((l) => [l, { samples: [], traces: [] }]));
  t.warmLabel = t.blocks ? `${t.blocks}×${t.warm}` : String(t.warm);
  log(`task ${task}: ${t.title} (${t.warmLabel} warm-up + ${t.runs} runs${t.libs.length < 2 ? '' : t.blocks ? ` each, in ${t.blocks} blocks per library` : ' each, interleaved'})`);
  if (t.blocks) {
    const per = Math.ceil(t.runs / t.blocks);
    for (let b = 0; b < t.blocks; b++) {
      for (const lib of b % 2 ? [...t.libs].reverse() : t.libs) {
        const samples = results[task][lib].samples;
        const want = Math.min(per, t.runs - samples.length);
        for (let i = 0; i < t.warm + want; i++) {
          const r = await oneRun(lib, task);
          if (i >= t.warm) samples.push(r);
        }
        if (b === t.blocks - 1 && t.traceLibs.includes(lib)) {
          for (let i = 0; i < t.traces; i++) results[task][lib].traces.push((await oneRun(lib, task, { trace: true })).trace);
        }
        await page.evaluate(() => window.benchPage.teardown(true));
      }
    }
    continue;
  }
  for (let i = 0; i < t.warm + t.runs; i++) {
    // Alternate which library goes first, so drifting machine load hits both alike.
    const order = i % 2 ? [...t.libs].reverse() : t.libs;
    for (const lib of order) {
      const r = await oneRun(lib, task);
      if (i >= t.warm) results[task][lib].samples.push(r);
    }
  }
  for (let i = 0; i < t.traces; i++) {
    for (const lib of t.traceLibs) results[task][lib].traces.push((await oneRun(lib, task, { trace: true })).trace);
  }
}
// First visits: a fresh context per run, libraries interleaved run by run, per network profile.
const coldResults = {};
if (coldWanted) {
  log(`task load: ${COLD.title} (${COLD.warm} warm-up + ${COLD.runs} runs each per network, interleaved; a fresh browser context per run)`);
  for (const profile of Object.keys(PROFILES)) {
    coldResults[profile] = Object.fromEntries(COLD.libs.map((l) => [l, []]));
    for (let i = 0; i < COLD.warm + COLD.runs; i++) {
      for (const lib of i % 2 ? [...COLD.libs].reverse() : COLD.libs) {
        const r = await coldRun({ chromium, baseUrl: server.url, lib, profile });
        if (!r.ok) log(`warning: load ${lib} (${profile}): ${r.errors.join(' | ')}`);
        if (i >= COLD.warm) coldResults[profile][lib].push(r);
      }
    }
  }
}
const chromiumVersion = chromium.version();
await closeBrowser();
await server.close();
rmSync(snap, { recursive: true, force: true });

// ---- 4. Report -------------------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const p95 = (xs) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] : NaN;
};
const range = (xs) => {
  const s = sorted(xs);
  return !s.length ? '–' : s[0] === s[s.length - 1] ? String(s[0]) : `${s[0]}–${s[s.length - 1]}`;
};

const summary = {};
const summaryCold = {};
for (const [profile, libs] of Object.entries(coldResults)) {
  summaryCold[profile] = {};
  for (const [lib, xs] of Object.entries(libs)) {
    const pick = (f) => xs.map(f);
    summaryCold[profile][lib] = {
      runs: xs.length, ok: xs.every((r) => r.ok),
      toMarkers: { median: median(pick((r) => r.toMarkers)), p95: p95(pick((r) => r.toMarkers)) },
      main: { median: median(pick((r) => r.main)), p95: p95(pick((r) => r.main)) },
      script: median(pick((r) => r.script)), bytes: median(pick((r) => r.bytes)), requests: median(pick((r) => r.requests)),
    };
  }
}
for (const [task, libs] of Object.entries(results)) {
  summary[task] = {};
  for (const [lib, { samples, traces }] of Object.entries(libs)) {
    const pick = (f) => samples.map(f);
    summary[task][lib] = {
      runs: samples.length,
      ok: samples.every((s) => s.ok),
      shown: median(pick((s) => s.markers)),
      clusters: median(pick((s) => s.clusters)),
      main: { median: median(pick((s) => s.main)), p95: p95(pick((s) => s.main)), min: sorted(pick((s) => s.main))[0] },
      wall: { median: median(pick((s) => s.wall)), p95: p95(pick((s) => s.wall)) },
      sync: median(pick((s) => s.sync)),
      callbacks: median(pick((s) => s.lib)),
      render: median(pick((s) => s.render)),
      trailing: median(pick((s) => s.libAll - s.lib + s.renderAll - s.render)),
      renders: median(pick((s) => s.libRafs)),
      frames: median(pick((s) => s.frames)),
      cdp: {
        task: median(pick((s) => s.cdp.task)), script: median(pick((s) => s.cdp.script)),
        layoutMs: median(pick((s) => s.cdp.layoutMs)), styleMs: median(pick((s) => s.cdp.styleMs)),
        layouts: median(pick((s) => s.cdp.layouts)), styles: median(pick((s) => s.cdp.styles)),
      },
      writes: { median: median(pick((s) => s.records.total)), beforeDone: median(pick((s) => s.records.beforeDone)), nodesAdded: median(pick((s) => s.records.nodesAdded)) },
      forced: traces.length ? {
        layouts: range(traces.map((x) => x.forcedLayouts)), styles: range(traces.map((x) => x.forcedStyles)),
        allLayouts: range(traces.map((x) => x.layouts)), allStyles: range(traces.map((x) => x.styles)),
        ms: median(traces.map((x) => x.forcedMs)),
        by: traces[0].forcedBy,
      } : null,
    };
  }
}

const out = [];
const say = (s = '') => out.push(s);
const n = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const pad = (s, w) => String(s).padStart(w);
const padr = (s, w) => String(s).padEnd(w);

say(`pave-hotspots bench · ${new Date().toISOString()} · ${cpus().length} CPUs (${cpus()[0]?.model?.trim()}) · load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} · node ${process.version} · Chromium ${chromiumVersion}`);
say();
say('1. What a dealer page downloads (bytes)');
say(`   ${padr('', 44)}${pad('raw', 10)}${pad('gzip -9', 10)}${pad('brotli', 10)}`);
for (const f of oursFiles) say(`   ${padr(`pave-hotspots  ${f.file}`, 44)}${pad(int(f.raw), 10)}${pad(int(f.gzip), 10)}${pad(int(f.brotli), 10)}`);
say(`   ${padr('pave-hotspots  total (no CSS file)', 44)}${pad(int(sizes.ours.total.raw), 10)}${pad(int(sizes.ours.total.gzip), 10)}${pad(int(sizes.ours.total.brotli), 10)}`);
for (const f of theirFiles) say(`   ${padr(`js-cloudimage-hotspot ${theirsVersion}  ${f.file.replace('js-cloudimage-hotspot', '…')}`, 44)}${pad(int(f.raw), 10)}${pad(int(f.gzip), 10)}${pad(int(f.brotli), 10)}   ${f.note}`);
const ratio = (a, b) => (b ? (a / b).toFixed(2) : '–');
say(`   ${padr('ours / theirs (total vs their .min.js)', 44)}${pad(ratio(sizes.ours.total.raw, sizes.theirs.total.raw), 10)}${pad(ratio(sizes.ours.total.gzip, sizes.theirs.total.gzip), 10)}${pad(ratio(sizes.ours.total.brotli, sizes.theirs.total.brotli), 10)}`);
say();
if (coreOnly?.variants) {
  say('   The design\'s floor: src/core alone, same release build, exported to JS; no DOM layer, words or styles (bench/core-only)');
  for (const v of coreOnly.variants) {
    say(`   ${padr(`core only: ${v.name}`, 44)}${pad(int(v.total.raw), 10)}${pad(int(v.total.gzip), 10)}${pad(int(v.total.brotli), 10)}   JS glue ${int(v.js.gzip)} + wasm ${int(v.wasm.gzip)} gzip`);
  }
  say();
} else if (coreOnly?.error) {
  say(`   core-only sizes skipped: ${coreOnly.error}`);
  say();
}

if (twiggy && !twiggy.error) {
  say(`2. Inside pave-hotspots.wasm (twiggy top ${twiggy.top.length} of a names-preserving build: wasm-bindgen --keep-debug, wasm-opt ${twiggy.flags.join(' ')} -g)`);
  say(`   code+data ${int(twiggy.codeData)} B = 100 % below (the shipped wasm is ${int(twiggy.shippedBytes)} B; the ${int(twiggy.custom)} B of name/debug custom sections are left out)`);
  say(`   ${pad('bytes', 8)} ${pad('%', 6)}  item`);
  for (const i of twiggy.top) {
    say(`   ${pad(int(i.bytes), 8)} ${pad(n(i.percent, 2), 6)}  ${i.name.length > 110 ? `${i.name.slice(0, 107)}…` : i.name}`);
    if (i.looks) say(`   ${pad('', 16)}  ↳ ${i.looks}`);
  }
  say();
  say('   By crate (shallow bytes). A function inlined into another counts for the one it was inlined into, so a crate at 0 is either');
  say('   not linked or wholly inlined (LTO, wasm-opt) into our functions or the shims.');
  for (const g of twiggy.groups) say(`   ${pad(int(g.bytes), 8)} ${pad(n(g.percent, 1), 6)}  ${padr(g.name, 62)} ${pad(g.items, 5)} items`);
  say();
} else if (twiggy?.error) {
  say(`2. twiggy report skipped: ${twiggy.error.split('\n')[0]}`);
  say();
}

if (taskNames.length) {
  say(`3. Page tasks: headless Chromium ${chromiumVersion}, 1280×1000, both libraries and the floor on one page (js-cloudimage-hotspot ${theirsVersion}: lazyLoad`);
  say('   off, pulse off, trigger click). ms of main-thread time, median over the counted runs, p95 after the slash; ratio = ours / theirs');
  say('   (below 1: ours is faster); ÷ floor = a library / the floor: plain JS doing only what PRODUCT.md\'s markers require (a numbered');
  say('   <button part=marker> per damage with its name, in a shadow root over the picture, placed in %, nothing measured; see');
  say('   bench/floor.js), the least any widget keeping that contract costs the browser.');
  say('   runs = warm-up + counted: a, b interleave the libraries run by run; c, c2 take seconds per run, get');
  say('   no warm-up of their own (a, b ran the same code) and only 3 runs; d–h run in 3 blocks per library on one element (g, h: 12),');
  say('   2 (d) or 1 (e–h) warm-up runs per block, libraries alternating by block. bench/README.md has the details.');
  say();
  const head = `   ${padr('task', 52)}${padr('lib', 8)}${pad('shown', 8)}${pad('runs', 8)}${pad('main ms med / p95', 20)}${pad('wall ms', 9)}${pad('frames', 8)}${pad('ratio', 7)}${pad('÷ floor', 9)}`;
  say(head);
  say(`   ${'─'.repeat(head.length - 3)}`);
  for (const task of taskNames) {
    const t = TASKS[task];
    const s = summary[task];
    t.libs.forEach((lib, k) => {
      const x = s[lib];
      const r = lib === 'ours' && s.theirs ? ratio(x.main.median, s.theirs.main.median) : '';
      const f = lib !== 'floor' && s.floor ? ratio(x.main.median, s.floor.main.median) : '';
      const shown = x.clusters ? `${int(x.shown)}+${int(x.clusters)}c` : int(x.shown);
      say(`   ${padr(k ? '' : `${task.padEnd(3)}${t.title}`, 52)}${padr(lib, 8)}${pad(shown, 8)}${pad(`${t.warmLabel}+${x.runs}`, 8)}${pad(`${n(x.main.median)} / ${n(x.main.p95)}`, 20)}${pad(n(x.wall.median), 9)}${pad(int(x.frames), 8)}${pad(r, 7)}${pad(f, 9)}${x.ok ? '' : '  (not always written!)'}`);
    });
  }
  say();
  say('   Where the time goes (medians, ms) and what was done');
  const head2 = `   ${padr('task', 5)}${padr('lib', 8)}${pad('sync', 8)}${pad('callbk', 8)}${pad('render', 8)}${pad('after', 8)}${pad('cdp task', 10)}${pad('cdp js', 8)}${pad('layouts', 9)}${pad('styles', 8)}${pad('forced L/S', 12)}${pad('forced ms', 11)}${pad('renders', 9)}${pad('DOM writes', 12)}`;
  say(head2);
  say(`   ${'─'.repeat(head2.length - 3)}`);
  for (const task of taskNames) {
    for (const lib of TASKS[task].libs) {
      const x = summary[task][lib];
      const forced = x.forced ? `${x.forced.layouts} / ${x.forced.styles}` : '–';
      say(`   ${padr(task, 5)}${padr(lib, 8)}${pad(n(x.sync), 8)}${pad(n(x.callbacks), 8)}${pad(n(x.render), 8)}${pad(n(x.trailing), 8)}${pad(n(x.cdp.task), 10)}${pad(n(x.cdp.script), 8)}${pad(int(x.cdp.layouts), 9)}${pad(int(x.cdp.styles), 8)}${pad(forced, 12)}${pad(x.forced ? n(x.forced.ms, 2) : '–', 11)}${pad(int(x.renders), 9)}${pad(int(x.writes.median), 12)}`);
    }
  }
  say();
  say('   main     = sync + callbk + render, from the trigger until the frame that shows the markers has been rendered:');
  say('   sync       the triggering call itself (ours: el.results = <JSON text>, img.src = …; theirs: JSON.parse + mapping to');
  say('              its hotspots + new CIHotspot(…), goToScene(…); e: a style.width change; f: window.scrollBy);');
  say('   callbk     callbacks the library got from the browser after it (rAF, Resize/Mutation/IntersectionObserver, load…);');
  say('   render     the browser\'s style, layout, paint and commit of the frames until then (end of the last rAF callback');
  say('              to a task posted from it, minus library callbacks in between).');
  say('   wall     = trigger → that frame rendered, idle time included (headless frames come every ~16.7 ms, later when the');
  say('              compositor is still rastering); frames = how many frames that took (1: the markers are right in the first');
  say('              frame the browser renders after the trigger).');
  say('   shown    = markers visible when done (+Nc: cluster badges standing in for the rest).');
  say('   after    = library + render ms in the 2 frames after "done" (second passes, late writes).');
  say('   cdp task / cdp js = CDP Performance.getMetrics TaskDuration / ScriptDuration deltas over the whole run (the bench\'s');
  say('              own frame loop and the 2 extra frames included): the cross-check of main.');
  say('   layouts / styles = LayoutCount / RecalcStyleCount deltas (CDP) over the run.');
  say('   forced L/S = forced layouts / forced style recalcs, forced ms = their duration: a Layout or UpdateLayoutTree event that');
  say('              carries a JS stack in a Chromium trace (script read layout while it was dirty; the frame\'s own pass has no');
  say('              stack); counted in traced runs apart from the timed ones (a–b when they differ), the bench\'s own reads left out.');
  say('   renders  = the library\'s rAF callbacks; DOM writes = MutationObserver records on its root (ours: the shadow root;');
  say('              theirs: its container), trailing frames included.');
  const forcedLines = [];
  for (const task of taskNames) {
    for (const lib of TASKS[task].libs) {
      const by = summary[task][lib].forced?.by;
      if (by && Object.keys(by).length) forcedLines.push(`   ${task} ${lib}: ${Object.entries(by).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    }
  }
  if (forcedLines.length) {
    say();
    say('   Forced style/layout, by the JS function on top of the stack (first traced run):');
    forcedLines.forEach((l) => say(l));
  }
  if (pageErrors.length) {
    say();
    say(`   page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
  }
  say();
}
if (coldWanted) {
  say(`4. First visit: ${COLD.title}. A fresh browser context per run (empty HTTP cache, no code cache), files served`);
  say('   gzip -9. ours: PRODUCT.md\'s dealer page (<img>, <pave-hotspots for src>, the script tag; the element fetches the sample');
  say('   from src); theirs: its script tag, then the page fetches the JSON, maps it and constructs (27 hotspots); floor: its code');
  say('   inline, fetch, build. "slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (Lighthouse\'s mobile network), CPU');
  say('   not slowed. to markers = navigation start → markers on screen over the loaded picture (a frame rendered); main = CDP');
  say('   TaskDuration over the page\'s life until then; medians, p95 after the slash.');
  say();
  const head = `   ${padr('network', 10)}${padr('lib', 8)}${pad('runs', 6)}${pad('to markers ms', 18)}${pad('main ms', 16)}${pad('js ms', 8)}${pad('bytes', 9)}${pad('requests', 10)}${pad('ratio', 7)}`;
  say(head);
  say(`   ${'─'.repeat(head.length - 3)}`);
  for (const [profile, libs] of Object.entries(summaryCold)) {
    COLD.libs.forEach((lib, k) => {
      const x = libs[lib];
      const r = lib === 'ours' ? ratio(x.toMarkers.median, libs.theirs.toMarkers.median) : '';
      say(`   ${padr(k ? '' : profile, 10)}${padr(lib, 8)}${pad(x.runs, 6)}${pad(`${int(x.toMarkers.median)} / ${int(x.toMarkers.p95)}`, 18)}${pad(`${n(x.main.median)} / ${n(x.main.p95)}`, 16)}${pad(n(x.script), 8)}${pad(int(x.bytes), 9)}${pad(int(x.requests), 10)}${pad(r, 7)}${x.ok ? '' : '  (page errors!)'}`);
    });
  }
  say();
}

const jsonPath = option('json') ?? join(root, 'bench', 'out', 'results.json');
say(`bench took ${Math.round((Date.now() - started) / 1000)} s; JSON: ${relative(root, jsonPath)}`);
console.log(out.join('\n'));

mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, `${JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, load: [load0, loadavg()[0]], node: process.version, chromium: chromiumVersion },
  sizes,
  coreOnly,
  twiggy,
  tasks: Object.fromEntries(taskNames.map((k) => [k, { ...TASKS[k], summary: summary[k], samples: Object.fromEntries(Object.entries(results[k]).map(([l, v]) => [l, v.samples])), traces: Object.fromEntries(Object.entries(results[k]).map(([l, v]) => [l, v.traces])) }])),
  load: coldWanted ? { ...COLD, profiles: PROFILES, summary: summaryCold, samples: coldResults } : null,
  pageErrors,
  elapsedSeconds: (Date.now() - started) / 1000,
}, null, 1)}\n`);
