// A randomised run of the npm API: HotspotOverlay.attach(img, options), its setters (setSrc,
// setResults, setPhoto, setPhotoMap), open/close/next/previous/reload, destroy() and attach again,
// the host moved in one task or taken out with its wrapper and put back (README "Without the
// element"). After each step, once the page is quiet:
//   - no uncaught page error;
//   - `state` is what the last `pave-state` on the host said;
//   - the data shown is the last source set (setResults / setSrc, or attach's option);
//   - ready, with setPhoto() naming a photo: the markers (and cluster badges) are that photo's
//     damages, each centred where toPixels() says;
//   - destroy(): the host leaves the page; destroy() again doesn't throw (idempotent);
//   - an open popover lies inside the viewport.
// (A host taken out releases its engine: state `idle` without a pave-state, README; the log notes it.)
// CHAOS_SEED=n / CHAOS_SEEDS=a-b, CHAOS_STEPS=n.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, settle, resultsAt, sendJson, prng, chaosSeeds } from './harness.mjs';

const SEEDS = chaosSeeds([1, 2]);
const STEPS = Number(process.env.CHAOS_STEPS ?? 150);


let ORIGIN = '';
const DATA = {
  A: () => resultsAt([
    { code: 5, points: [[20, 30], [50, 50], [80, 40], [3, 4]] },
    { code: 7, points: [[30, 60], [70, 30]], url: `${ORIGIN}/photos/frame-05.svg` },
    { code: 8, points: [[40, 40]] },
  ]),
  B: () => resultsAt([{ code: 5, points: [[10, 10], [70, 70]] }, { code: 4, points: [[25, 75]] }]),
  EMPTY: () => resultsAt([{ code: 5, points: [] }]),
};
const descriptions = (r) => r.data.flatMap((p) => p.inspection_data.map((d, i) => d.description));
const ENDPOINTS = { '/api/a': 'A', '/api/b': 'B', '/api/empty': 'EMPTY', '/api/500': null };

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>overlay chaos</title></head><body style="margin:0">
<div id="wrap" style="position:relative;margin:20px;width:max-content"><img id="spin" src="/photos/frame-01.svg" alt="car" style="display:block;width:600px"></div>
<div id="elsewhere"></div><button id="outside">outside</button><div style="height:1200px"></div>
<script type="module">
import { HotspotOverlay } from '/dist/index.js';
window.HO = HotspotOverlay;
window.__ov = null;
window.__log = [];
window.attachNow = (opts) => {
  const o = HotspotOverlay.attach(document.getElementById('spin'), { ...opts, container: document.getElementById('wrap') });
  for (const t of ['pave-load', 'pave-state', 'pave-open', 'pave-close', 'pave-error', 'pave-photo-request']) o.addEventListener(t, (e) => window.__log.push({ o, type: t, detail: JSON.parse(JSON.stringify(e.detail ?? null)) }));
  window.__ov = o;
  window.__all = [...(window.__all ?? []), o];
};
window.__loaded = true;
</script></body></html>`;

let server;
before(async () => {
  server = await serve({
    pages: { '/ov.html': PAGE },
    async handler(req, res, url) {
      if (!(url.pathname in ENDPOINTS)) return false;
      const k = ENDPOINTS[url.pathname];
      if (!k) sendJson(res, 500, '{"success":false}');
      else sendJson(res, 200, JSON.stringify(DATA[k]()));
      return true;
    },
  });
  ORIGIN = server.url;
});
after(async () => { await server?.close(); await closeBrowser(); });

function step(rng, m) {
  const ev = (fn, arg) => (page) => page.evaluate(fn, arg);
  const kind = m.alive ? rng.weighted([
    [1, 'destroy'], [1, 'reattach'], [4, 'set-src'], [4, 'set-results'], [6, 'set-photo'], [2, 'set-photomap'], [4, 'open'], [2, 'close'], [2, 'next-prev'],
    [1, 'reload'], [4, 'img-src'], [2, 'move'], [2, 'take-out'], [4, 'click-marker'], [3, 'key'], [1, 'wait'],
  ]) : 'attach';
  switch (kind) {
    case 'attach': case 'reattach': {
      const how = rng.pick(['src', 'results', 'both']);
      const key = rng.pick(['A', 'B', 'EMPTY']);
      const url = rng.pick(['/api/a', '/api/b', '/api/500']);
      const photo = rng.pick([5, 7, 8, 4, 'none', undefined]);
      const re = kind === 'reattach';
      if (re) { m.destroyed.push(true); }
      m.alive = true; m.hostIn = true;
      m.photo = photo ?? null;
      m.source = how === 'src' ? { url } : { key };
      m.src = how === 'results' ? null : url;
      m.resultsSet = how !== 'src';
      const opts = { ...(how !== 'results' && { src: url }), ...(how !== 'src' && { results: 'KEY' }), ...(photo !== undefined && { photo }) };
      return {
        name: `${re ? 'destroy, then ' : ''}attach(img, ${JSON.stringify(opts).replace('"KEY"', key)})`,
        run: ev(([opts, data, re]) => {
          if (re) { window.__ov.destroy(); window.__ov = null; }
          if (opts.results) opts.results = data;
          window.attachNow(opts);
        }, [opts, DATA[key](), re]),
      };
    }
    case 'destroy':
      m.alive = false;
      return { name: 'destroy() (twice)', run: ev(() => { window.__ov.destroy(); window.__ov.destroy(); }) };
    case 'set-src': {
      const url = rng.pick(['/api/a', '/api/b', '/api/empty', '/api/500', null]);
      m.src = url;
      if (!m.resultsSet) m.source = url ? { url } : { none: true };
      return { name: `setSrc(${url})`, run: ev((u) => window.__ov.setSrc(u), url) };
    }
    case 'set-results': {
      const key = rng.pick(['A', 'B', 'EMPTY', 'A-string', null]);
      if (key === null) { m.resultsSet = false; m.source = m.src ? { url: m.src } : { none: true }; } else { m.resultsSet = true; m.source = { key: key.replace('-string', '') }; }
      const data = key && DATA[key.replace('-string', '')]();
      return { name: `setResults(${key})`, run: ev(([d, s]) => window.__ov.setResults(s && d ? JSON.stringify(d) : d), [data, key?.endsWith('string')]) };
    }
    case 'set-photo': {
      const p = rng.pick([5, 7, 8, 4, '5', 'none', null, 9]);
      m.photo = p;
      return { name: `setPhoto(${JSON.stringify(p)})`, run: ev((p) => window.__ov.setPhoto(p), p) };
    }
    case 'set-photomap': {
      const v = rng.pick([{ 'frame-01.svg': 5, 'frame-05.svg': 7 }, {}, null]);
      m.photoMap = v;
      return { name: `setPhotoMap(${JSON.stringify(v)})`, run: ev((v) => window.__ov.setPhotoMap(v), v) };
    }
    case 'open': {
      const i = rng.pick([0, 1, 2, 3, 4, 5, 6, 9]);
      return { name: `open(${i})`, run: ev((i) => { try { window.__ov.open(i); } catch (e) { if (!(e instanceof RangeError)) throw e; } }, i) };
    }
    case 'close': return { name: 'close()', run: ev(() => window.__ov.close()) };
    case 'next-prev': { const f = rng.pick(['next', 'previous']); return { name: `${f}()`, run: ev((f) => window.__ov[f](), f) }; }
    case 'reload': return { name: 'reload()', run: ev(() => window.__ov.reload()) };
    case 'img-src': { const f = rng.pick(['frame-01.svg', 'frame-05.svg', 'frame-09.svg', 'frame-03.svg']); return { name: `img.src = ${f}`, run: ev((f) => { document.getElementById('spin').src = `/photos/${f}`; }, f) }; }
    case 'move': return { name: 'host moved in one task (wrapper re-appended)', run: ev(() => { const w = document.getElementById('wrap'); const h = window.__ov.element; if (h.isConnected) { h.remove(); w.append(h); } }) };
    case 'take-out': {
      const back = !m.hostIn;
      m.hostIn = back;
      return { name: back ? 'host put back' : 'host taken out (a viewer emptying its wrapper)', run: ev((back) => { const h = window.__ov.element; if (back) document.getElementById('wrap').append(h); else { h.remove(); window.__log.push({ o: window.__ov, type: 'pave-state', detail: { state: 'idle' } }); } }, back) };
    }
    case 'click-marker': { const r = rng.next(); return {
      name: `click a marker (${r.toFixed(2)})`,
      run: async (page) => {
        const at = await page.evaluate((r) => {
          const root = window.__ov?.element.shadowRoot;
          const ms = root ? [...root.querySelectorAll('.marker, .cluster')].filter((x) => x.checkVisibility()) : [];
          if (!ms.length) return null;
          const b = ms[Math.floor(r * ms.length)].getBoundingClientRect();
          const at = { x: b.left + b.width / 2, y: b.top + b.height / 2 };
          return at.x >= 0 && at.y >= 0 && at.x < innerWidth && at.y < innerHeight ? at : null;
        }, r);
        if (at) await page.mouse.click(at.x, at.y);
      },
    }; }
    case 'key': { const k = rng.pick(['Tab', 'Enter', 'Escape', 'ArrowRight', 'ArrowLeft']); return { name: `key ${k}`, run: (page) => page.keyboard.press(k) }; }
    default: return { name: 'wait 300 ms', run: (page) => page.waitForTimeout(300) };
  }
}

async function quiet(page) {
  await page.waitForFunction(() => !window.__ov || !['loading', 'inspecting'].includes(window.__ov.state), null, { timeout: 4000, polling: 50 }).catch(() => {});
  await settle(page);
  await page.evaluate(() => Promise.race([
    Promise.all(window.__ov?.element.shadowRoot?.getAnimations().map((a) => a.finished.catch(() => null)) ?? []),
    new Promise((r) => setTimeout(r, 1500)),
  ]));
  await settle(page);
}

function snapshot(page) {
  return page.evaluate(() => {
    const o = window.__ov;
    const mine = window.__log.filter((e) => e.o === o);
    const last = (t) => [...mine].reverse().find((e) => e.type === t) ?? null;
    const root = o?.element.shadowRoot;
    const vis = (n) => n.checkVisibility();
    const img = document.getElementById('spin');
    const ir = img.getBoundingClientRect();
    const load = last('pave-load');
    const damages = load?.detail.damages ?? [];
    const pop = root?.querySelector('.popover');
    const pr = pop?.getBoundingClientRect();
    return {
      alive: !!o,
      hosts: document.querySelectorAll('[data-pave-hotspots]').length,
      deadHostsIn: (window.__all ?? []).filter((x) => x !== o && x.element.isConnected).length,
      hostIn: !!o?.element.isConnected,
      state: o?.state ?? null,
      lastState: last('pave-state')?.detail.state ?? null,
      damages: damages.map((d) => ({ index: d.index, photoCode: d.photoCode, description: d.description })),
      photos: load?.detail.photos ?? [],
      markers: root ? [...root.querySelectorAll('.marker')].filter(vis).map((m) => { const b = m.getBoundingClientRect(); return { index: Number(m.dataset.index), cx: b.left + b.width / 2 - ir.left, cy: b.top + b.height / 2 - ir.top }; }) : [],
      badges: root ? [...root.querySelectorAll('.cluster')].filter(vis).filter((c) => c.getAttribute('aria-expanded') !== 'true').reduce((s, c) => s + Number(c.textContent), 0) : 0,
      fanned: root ? [...root.querySelectorAll('.cluster')].filter(vis).filter((c) => c.getAttribute('aria-expanded') === 'true').reduce((s, c) => s + Number(c.textContent), 0) : 0,
      toPixels: damages.map((d) => o.toPixels(d.x, d.y)),
      img: { complete: img.complete && img.naturalWidth > 0, src: img.currentSrc },
      popover: pop && !pop.hidden && pop.checkVisibility() && pr.width > 0 ? [pr.left, pr.top, pr.right, pr.bottom] : null,
      viewport: [document.documentElement.clientWidth, document.documentElement.clientHeight],
    };
  });
}

function check(snap, m, page) {
  const problems = [];
  const fail = (x) => problems.push(x);
  // (An open() queued while the host was out of the page throws when it comes back, for an index
  // with no damage: the page's own doing, as in chaos.test.mjs.)
  for (let k = page.errors().length - 1; k >= 0; k--) if (/pave-hotspots: (no damage|open\(index\))/.test(page.errors()[k])) page.errors().splice(k, 1);
  if (page.errors().length) fail(`page errors: ${page.errors().join(' | ')}`);
  if (snap.deadHostsIn) fail(`${snap.deadHostsIn} destroyed overlay host(s) still in the page`);
  if (!snap.alive) { if (snap.hosts) fail(`destroyed, yet ${snap.hosts} overlay host(s) in the page`); return problems; }
  if (!snap.hostIn) return problems;
  if ((snap.lastState ?? 'idle') !== snap.state) fail(`state ${snap.state}, the last pave-state said ${snap.lastState}`);
  const key = m.source.key ?? (m.source.url ? ENDPOINTS[m.source.url] : null);
  if (key) {
    const want = descriptions(DATA[key]());
    if (!want.length) { if (snap.state !== 'empty') fail(`source ${JSON.stringify(m.source)}: state ${snap.state}, not empty`); } else if (snap.state !== 'ready') fail(`source ${JSON.stringify(m.source)}: state ${snap.state}, not ready`);
    else if (JSON.stringify(snap.damages.map((d) => d.description)) !== JSON.stringify(want)) fail(`source ${JSON.stringify(m.source)}: the last pave-load has ${snap.damages.length} damages, not ${want.length}`);
  }
  if (m.source.none && !m.resultsSet && snap.state !== 'idle') fail(`no src and no results: state ${snap.state}`);
  if (snap.state === 'ready' && snap.img.complete) {
    // setPhoto() with a code of the data decides; 'none' shows nothing.
    const code = m.photo === null || m.photo === undefined ? undefined : m.photo === 'none' ? null : Number(m.photo);
    const named = code && snap.photos.some((p) => p.code === code);
    if (code === null || named) {
      const want = code === null ? [] : snap.damages.filter((d) => d.photoCode === code).map((d) => d.index);
      const shown = snap.markers.map((x) => x.index).sort((a, b) => a - b);
      const stray = shown.filter((i) => !want.includes(i));
      if (stray.length) fail(`setPhoto(${JSON.stringify(m.photo)}): markers ${stray} show, not of that photo (want ${want})`);
      const missing = want.filter((i) => !shown.includes(i)).length;
      if (missing !== snap.badges) fail(`setPhoto(${JSON.stringify(m.photo)}): ${missing} damages without a marker, badges count ${snap.badges} (want ${want}, shown ${shown})`);
    }
    const off = snap.markers.filter((x) => { const p = snap.toPixels[x.index]; return p && (Math.abs(p.x - x.cx) > 1 || Math.abs(p.y - x.cy) > 1); });
    if (off.length > snap.fanned) fail(`markers off their toPixels point: ${off.map((x) => x.index)}`);
  }
  if (snap.popover) {
    const [l, t, r, b] = snap.popover;
    const [w, h] = snap.viewport;
    if (l < -1 || t < -1 || r > w + 1 || b > h + 1) fail(`popover ${snap.popover.map(Math.round)} outside the viewport ${w}×${h}`);
  }
  return problems;
}

async function run(seed) {
  const rng = prng(seed);
  const m = { alive: false, hostIn: false, source: { none: true }, src: null, resultsSet: false, photo: null, destroyed: [] };
  const page = await newPage();
  const log = [];
  try {
    await page.goto(`${server.url}/ov.html`);
    await page.waitForFunction(() => window.__loaded);
    for (let n = 0; n < STEPS; n++) {
      const s = step(rng, m);
      log.push(s.name);
      try { await s.run(page); } catch (e) { assert.fail(`seed ${seed}, step ${n + 1} threw: ${e.message.split('\n')[0]}\n${log.slice(-15).join('\n')}`); }
      await quiet(page);
      if (!m.alive || m.hostIn) {
        // (After put back, the engine starts again with the last values given: README.)
      }
      const problems = check(await snapshot(page), m, page);
      if (problems.length) assert.fail(`seed ${seed} (CHAOS_SEED=${seed}), after step ${n + 1}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nlast steps:\n${log.slice(-15).map((x, k) => `  ${log.length - Math.min(15, log.length) + k + 1}. ${x}`).join('\n')}`);
    }
  } finally { await page.closeAll(); }
}

for (const seed of SEEDS) test(`overlay chaos: ${STEPS} steps, seed ${seed}`, async () => { await run(seed); });
