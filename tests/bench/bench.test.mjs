// The bench (scripts/bench.mjs) on the built dist/, in its --quick form: it still runs, every
// library and the floor show what each task asks for, first visits included (a bench whose pages
// silently show nothing would time nothing), and the widget's structural figures hold. No timing
// is asserted: speed is printed by `npm run bench`, never tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the quick bench runs every library and the floor, and the widget writes O(1) on resize and scroll', { timeout: 400_000 }, () => {
  const json = join(mkdtempSync(join(tmpdir(), 'pave-bench-test-')), 'results.json');
  execFileSync('node', ['scripts/bench.mjs', '--quick', '--no-build', '--no-twiggy', '--tasks', 'a,b,d,e,f,g,h,load', '--json', json], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const r = JSON.parse(readFileSync(json, 'utf8'));
  assert.deepEqual(r.pageErrors, []);
  // What each task shows when its markers are written: the sample's Front photo holds 10 of the
  // 27 damages (js-cloudimage-hotspot has no photos: it shows all 27).
  const shown = {
    a: { ours: 10, theirs: 27, floor: 10 },
    b: { ours: 1000, theirs: 1000, floor: 1000 },
    d: { ours: 30, theirs: 30, floor: 30 },
    e: { ours: 1000, theirs: 1000, floor: 1000 },
    f: { ours: 1000, theirs: 1000, floor: 1000 },
    g: { ours: 30, theirs: 30, floor: 30 }, // (the first of the 12 cards)
    h: { ours: 30, theirs: 30, floor: 30 },
  };
  for (const [task, libs] of Object.entries(shown)) {
    for (const [lib, count] of Object.entries(libs)) {
      const s = r.tasks[task].summary[lib];
      assert.ok(s, `${task} ${lib}: no figures`);
      assert.ok(s.ok, `${task} ${lib}: the markers were not written in every run`);
      assert.equal(s.shown, count, `${task} ${lib}: markers shown`);
      assert.equal(s.clusters, 0, `${task} ${lib}: nothing clusters in these tasks`);
      assert.ok(Number.isFinite(s.main.median) && s.main.median > 0, `${task} ${lib}: main-thread time`);
    }
  }
  // The design's floor (bench/core-only) still builds from src/core: both variants, each a
  // fraction of the widget, the results reader adding code to geometry + layout.
  assert.equal(r.coreOnly?.error, undefined, `core-only build: ${r.coreOnly?.error}`);
  const [geometry, reader] = r.coreOnly.variants;
  assert.deepEqual(r.coreOnly.variants.map((v) => v.name), ['geometry + layout', 'geometry + layout + results reader']);
  for (const v of [geometry, reader]) {
    assert.ok(v.wasm.raw > 1000 && v.js.raw > 0, `${v.name}: ${JSON.stringify(v.total)}`);
    assert.ok(v.total.gzip < r.sizes.ours.total.gzip, `${v.name}: ${v.total.gzip} B gzip, not less than the widget's ${r.sizes.ours.total.gzip}`);
  }
  assert.ok(reader.wasm.raw > geometry.wasm.raw, 'the results reader adds no code: its export is not built');
  // First visits: every page gets its markers on screen, on both networks. Ours loads the page,
  // the script, the wasm, the data and the picture: five requests, with the README's preload hint
  // too (the preloaded .wasm is the one the script fetches, not a second download).
  for (const [network, libs] of Object.entries(r.load.summary)) {
    for (const lib of ['ours', 'ours-pre', 'theirs', 'floor']) {
      const s = libs[lib];
      assert.ok(s?.ok && s.runs > 0, `load ${lib} (${network}): page errors or no runs`);
      assert.ok(Number.isFinite(s.toMarkers.median) && s.toMarkers.median > 0, `load ${lib} (${network}): time to markers`);
    }
    assert.equal(libs.ours.requests, 5, `load ours (${network}): requests`);
    assert.equal(libs['ours-pre'].requests, 5, `load ours-pre (${network}): requests`);
  }
  assert.deepEqual(Object.keys(r.load.summary), ['loopback', 'slow 4G']);

  const ours = (task) => r.tasks[task].summary.ours;
  // A resize writes the layer's box, whatever the number of markers; a scroll that moves the
  // picture and the page together writes nothing; a photo switch a handful of attributes.
  assert.ok(ours('e').writes.median <= 4, `resize with 1,000 markers: ${ours('e').writes.median} DOM writes`);
  assert.equal(ours('f').writes.median, 0, 'scroll: DOM writes');
  assert.equal(ours('h').writes.median, 0, 'scroll with 12 widgets: DOM writes');
  assert.ok(ours('d').writes.median <= 8, `photo switch: ${ours('d').writes.median} DOM writes`);
  // One measure pass at most: never more than one forced style recalc and layout per task, 12
  // widgets at once (g) included: every one of them reads before any writes.
  for (const task of ['a', 'b', 'd', 'e', 'f', 'g', 'h']) {
    const forced = ours(task).forced;
    assert.ok(forced, `${task}: traced`);
    const max = (range) => Math.max(...String(range).split('–').map(Number));
    assert.ok(max(forced.layouts) <= 1 && max(forced.styles) <= 1, `${task}: forced layouts ${forced.layouts}, styles ${forced.styles}`);
  }
});
