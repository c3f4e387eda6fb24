// The bench page: the same tasks done by pave-hotspots (the dist build, <pave-hotspots for=…>)
// and by js-cloudimage-hotspot, one run at a time. scripts/bench.mjs drives it:
//   await benchPage.setup(lib, task)   builds what the run starts from (untimed), waits until idle;
//                                      d, e, f keep their element from the previous run
//   await benchPage.run()              triggers the task, waits until the markers are written
//   benchPage.teardown(all)            removes what setup built (kept elements only when `all`)
// See bench/README.md for what each figure means.
import '/dist/pave-hotspots.js';
import CIHotspot from '/node_modules/js-cloudimage-hotspot/dist/js-cloudimage-hotspot.esm.js';
import { floorGroup, floorRoot, floorSheet } from './floor.js';
import { toHotspots } from './glue.js';

const B = window.__bench;
const OWN = B.OWN;
const own = (fn) => { fn[OWN] = true; return fn; };
const now = () => performance.now();
const area = document.getElementById('area');

const FRAME_A = 'frame-01.svg'; // Front, PAVE photo code 5
const FRAME_B = 'frame-05.svg'; // Right, PAVE photo code 7
const photoUrl = (f) => `/photos/${f}`;

// ---- Data ---------------------------------------------------------------------------------

const sampleText = await (await fetch('/fixtures/results-27-damages.json')).text();
const sample = JSON.parse(sampleText);
const items = sample.data.flatMap((p) => p.inspection_data);

/** PAVE results JSON (as PAVE sends it) for `photos`: [{ code, label, url, points: [[x%, y%]] }]. */
function paveResults(photos) {
  let k = 0;
  return {
    success: true,
    message: 'generated for the bench',
    session: sample.session,
    vehicle: sample.vehicle,
    data: photos.map((p) => ({
      photo_code: p.code,
      photo_label: p.label,
      url: p.url,
      inspection_data: p.points.map(([x, y]) => {
        const t = items[k++ % items.length];
        return { ...t, coodrs: { x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 } };
      }),
    })),
  };
}

/** n points on a cols×rows grid of cell centres (in % of the picture): no two closer than a cell. */
function grid(cols, rows, n) {
  const out = [];
  for (let r = 0; r < rows && out.length < n; r++) {
    for (let c = 0; c < cols && out.length < n; c++) out.push([((c + 0.5) / cols) * 100, ((r + 0.5) / rows) * 100]);
  }
  return out;
}

/** n points spread uniformly at random (seeded), 1 %–99 %. */
function random(n, seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => [1 + next() * 98, 1 + next() * 98]);
}

const front = (points) => ({ code: 5, label: 'Front', url: photoUrl(FRAME_A), points });

// The tasks. `width`: the picture's width on the page (1200×900 pictures, height follows).
// `points` are spread on a grid wide enough (≥ 29.5 px apart) that no markers cluster, except in
// c2, which is uniform random on purpose: there nearly everything clusters.
const TASKS = {
  // The sample's Front photo (code 5, 10 of the 27 damages) is the second of its four photos.
  a: { width: 900, text: sampleText, photo: 1, shown: { ours: 10, theirs: 27 } },
  b: { width: 1200, results: () => paveResults([front(grid(40, 25, 1000))]), shown: { ours: 1000, theirs: 1000 } },
  c: { width: 4000, results: () => paveResults([front(grid(125, 80, 10000))]), shown: { ours: 10000, theirs: 10000 } },
  c2: { width: 900, results: () => paveResults([front(random(10000, 7))]), shown: { ours: null, theirs: 10000 } },
  d: {
    width: 900,
    results: () => paveResults([front(grid(6, 5, 30)), { code: 7, label: 'Right', url: photoUrl(FRAME_B), points: grid(5, 6, 30) }]),
    shown: { ours: 30, theirs: 30 },
  },
  e: { width: 1200, to: 1180, results: () => paveResults([front(grid(40, 25, 1000))]), shown: { ours: 1000, theirs: 1000 } },
  f: { width: 1200, by: 40, results: () => paveResults([front(grid(40, 25, 1000))]), shown: { ours: 1000, theirs: 1000 } },
  // 12 cards of an inventory page, 4 to a row, each a picture with its own 30 markers: `width` and
  // `to` are the row's (a card is (row − 24 px) / 4 wide).
  g: { width: 1200, to: 1180, cards: 12, results: () => paveResults([front(grid(6, 5, 30))]), shown: { ours: 30, theirs: 30 } },
  // The same 12 cards on a long page (an inventory page), scrolled by ±40 px.
  h: { width: 1200, by: 40, cards: 12, results: () => paveResults([front(grid(6, 5, 30))]), shown: { ours: 30, theirs: 30 } },
};

/** The row of `t.cards` cards (task g), each a `.stage` holding `fill(card)`'s picture and widget. */
function cards(t, fill) {
  const row = document.createElement('div');
  row.style.cssText = `display:grid;grid-template-columns:repeat(4,1fr);gap:8px;width:${t.width}px`;
  area.append(row);
  const made = [];
  for (let k = 0; k < t.cards; k++) {
    const card = document.createElement('div');
    card.className = 'stage';
    row.append(card);
    made.push(fill(card));
  }
  let k = 0;
  // Task g resizes the row; task h scrolls the page (`done` then asks for nothing of sizes).
  const step = (done) => () => {
    if (t.by) {
      const dy = ++k % 2 ? t.by : -t.by;
      return { trigger: () => window.scrollBy(0, dy), done };
    }
    const w = ++k % 2 ? t.to : t.width;
    return { trigger: () => { row.style.width = `${w}px`; }, done: () => done((w - 24) / 4, w) };
  };
  return { row, made, step };
}
const textCache = new Map();
const textOf = (name) => {
  const t = TASKS[name];
  if (t.text) return t.text;
  if (name === 'f') return textOf('e');
  if (name === 'h') return textOf('g');
  if (!textCache.has(name)) textCache.set(name, JSON.stringify(t.results()));
  return textCache.get(name);
};

// Both frames decoded once and kept alive: a spin viewer's frames are cached.
const frameImages = [];
await Promise.all([FRAME_A, FRAME_B].map((f) => {
  const img = new Image();
  img.src = photoUrl(f);
  frameImages.push(img);
  return img.decode();
}));

// ---- Frames -------------------------------------------------------------------------------

/** Resolves after `n` frames have been rendered (rAF, then a task after the frame's work). */
function frames(n = 1) {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => (--n <= 0 ? resolve() : requestAnimationFrame(tick));
    const tick = own(() => ch.port2.postMessage(0));
    requestAnimationFrame(tick);
  });
}

async function until(pred, max = 600) {
  for (let i = 0; i < max; i++) {
    if (pred()) return;
    await frames(1);
  }
  throw new Error('setup: never got ready');
}

/**
 * Watches frames until `pred()` holds after one (the markers are written and that frame has been
 * rendered), then `extra` more frames, adding up per frame the browser's rendering work: from the
 * end of the frame's last rAF callback to a task posted from the bench's rAF (which runs after the
 * frame's style, layout, paint and commit), minus library callbacks that ran in between
 * (ResizeObserver/IntersectionObserver run after layout).
 */
function watch(pred, extra = 2, max = 900) {
  return new Promise((resolve) => {
    const out = { frames: 0, render: 0, done: null, ends: [] };
    const ch = new MessageChannel();
    let after = 0;
    ch.port1.onmessage = () => {
      const t = now();
      out.ends.push(t);
      out.render += Math.max(0, t - B.lastRafEnd - B.sinceRaf);
      B.sinceRaf = 0;
      out.frames += 1;
      if (!out.done && pred()) out.done = { t, render: out.render, lib: B.lib, rafs: B.rafs, frames: out.frames };
      if ((out.done && after++ >= extra) || out.frames > max) resolve(out);
      else requestAnimationFrame(tick);
    };
    const tick = own(() => ch.port2.postMessage(0));
    requestAnimationFrame(tick);
  });
}

// ---- The two libraries ----------------------------------------------------------------------

/** Makes the page scrollable (a long page below the picture); returns the undo. */
function tallPage() {
  const spacer = document.createElement('div');
  spacer.style.height = '3000px';
  document.body.append(spacer);
  return () => { spacer.remove(); window.scrollTo(0, 0); };
}

let seq = 0;
function stage(width) {
  const s = document.createElement('div');
  s.className = 'stage';
  s.style.width = `${width}px`;
  area.append(s);
  return s;
}

const ours = {
  async make(width, { frame = FRAME_A, photo = '5' } = {}) {
    const s = stage(width);
    const img = new Image();
    img.id = `bench-img-${++seq}`;
    img.alt = '';
    img.src = photoUrl(frame);
    if (photo) img.dataset.pavePhoto = photo;
    s.append(img);
    const el = document.createElement('pave-hotspots');
    el.setAttribute('for', img.id);
    area.append(el);
    await img.decode();
    await until(() => el.shadowRoot?.querySelector('.layer'));
    await frames(2);
    return { stage: s, img, el, root: el.shadowRoot, layer: el.shadowRoot.querySelector('.layer') };
  },
  photoShown(x, p) {
    const c = x.layer.querySelectorAll(':scope > .photo')[p];
    return !x.layer.hidden && x.layer.style.width !== '' && !!c && !c.hidden;
  },
  count(x) {
    const c = [...x.layer.querySelectorAll(':scope > .photo')].find((p) => !p.hidden);
    return {
      markers: c ? c.querySelectorAll(':scope > .at > .marker:not([hidden])').length : 0,
      clusters: c ? c.querySelectorAll(':scope > .cluster').length : 0,
    };
  },
  async setup(task) {
    const t = TASKS[task];
    if (task === 'd') {
      const x = await ours.make(t.width, { photo: null });
      x.el.photoMap = { [FRAME_A]: 5, [FRAME_B]: 7 };
      x.el.results = textOf(task);
      await until(() => ours.photoShown(x, 0));
      // Once round (untimed): every marker's state has been written once, as in a running spin.
      x.img.src = photoUrl(FRAME_B);
      await until(() => ours.photoShown(x, 1));
      x.img.src = photoUrl(FRAME_A);
      await until(() => ours.photoShown(x, 0));
      await frames(3);
      // Each run turns to the other frame (a spin going back and forth).
      let k = 0;
      return {
        x, observe: x.root, keep: true,
        step: () => {
          const p = ++k % 2;
          return { trigger: () => { x.img.src = photoUrl(p ? FRAME_B : FRAME_A); }, done: () => ours.photoShown(x, p) };
        },
      };
    }
    if (task === 'e') {
      const x = await ours.make(t.width);
      x.el.results = textOf(task);
      await until(() => ours.photoShown(x, 0));
      x.stage.style.width = `${t.to}px`;
      await until(() => Math.abs(parseFloat(x.layer.style.width) - t.to) < 0.01);
      x.stage.style.width = `${t.width}px`;
      await until(() => Math.abs(parseFloat(x.layer.style.width) - t.width) < 0.01);
      await frames(3);
      // Each run goes to the other width (1200 → 1180 → 1200 …).
      let k = 0;
      return {
        x, observe: x.root, keep: true,
        step: () => {
          const w = ++k % 2 ? t.to : t.width;
          return {
            trigger: () => { x.stage.style.width = `${w}px`; },
            done: () => Math.abs(parseFloat(x.layer.style.width) - w) < 0.01,
          };
        },
      };
    }
    if (task === 'g' || task === 'h') {
      const { row, made, step } = cards(t, (card) => {
        const img = new Image();
        img.id = `bench-img-${++seq}`;
        img.alt = '';
        img.src = photoUrl(FRAME_A);
        img.dataset.pavePhoto = '5';
        const el = document.createElement('pave-hotspots');
        el.setAttribute('for', img.id);
        card.append(img, el);
        return { img, el };
      });
      await Promise.all(made.map((m) => m.img.decode()));
      const text = textOf(task);
      for (const m of made) m.el.results = text;
      await until(() => made.every((m) => m.el.shadowRoot?.querySelector('.layer')?.style.width));
      const layers = made.map((m) => m.el.shadowRoot.querySelector('.layer'));
      // All of them written for the card's width (its picture fills it).
      const at = (w) => layers.every((l) => !l.hidden && Math.abs(parseFloat(l.style.width) - w) < 0.01);
      await until(() => at((t.width - 24) / 4));
      const x = { stage: row, el: made[0].el, root: made[0].el.shadowRoot, layer: layers[0] };
      if (task === 'h') x.teardownExtra = tallPage();
      await frames(3);
      // (h: done once the widgets' frame pass after the scroll has run, as in f.)
      return { x, observe: x.root, keep: true, step: step(task === 'h' ? () => B.rafs >= 1 : at) };
    }
    if (task === 'f') {
      const x = await ours.make(t.width);
      x.el.results = textOf(task);
      await until(() => ours.photoShown(x, 0));
      const restore = tallPage();
      x.teardownExtra = restore;
      await frames(3);
      // Each run scrolls the page by ±40 px. Nothing on the overlay has to change (the layer moves
      // with the picture); done once the widget's frame pass after the scroll event has run.
      let k = 0;
      return {
        x, observe: x.root, keep: true,
        step: () => {
          const dy = ++k % 2 ? t.by : -t.by;
          return { trigger: () => window.scrollBy(0, dy), done: () => B.rafs >= 1 };
        },
      };
    }
    const x = await ours.make(t.width);
    const text = textOf(task);
    const p = t.photo ?? 0;
    return { x, observe: x.root, step: () => ({ trigger: () => { x.el.results = text; }, done: () => ours.photoShown(x, p) }) };
  },
  teardown(x) {
    x.el.remove();
    x.stage.remove();
    x.teardownExtra?.();
  },
};

const theirs = {
  config(hotspots) {
    // Their defaults, except: no lazy loading (the picture is already there, as for ours), no
    // pulse animation (ours has none), popovers on click (as ours).
    return { src: photoUrl(FRAME_A), alt: '', lazyLoad: false, pulse: false, trigger: 'click', hotspots };
  },
  markersEl: (s) => s.querySelector('.ci-hotspot-markers'),
  async setup(task) {
    const t = TASKS[task];
    const s = stage(t.width);
    if (task === 'd') {
      const r = JSON.parse(textOf(task));
      const scene = (p, f) => ({ id: `s${p.photo_code}`, src: photoUrl(f), alt: '', hotspots: toHotspots({ data: [p] }, `s${p.photo_code}-`) });
      const inst = new CIHotspot(s, { ...theirs.config([]), sceneTransition: 'none', scenes: [scene(r.data[0], FRAME_A), scene(r.data[1], FRAME_B)] });
      const shows = (id) => {
        const m = theirs.markersEl(s);
        return m && m.childElementCount === 30 && m.firstElementChild.dataset.hotspotId.startsWith(`${id}-`) && inst.getElements().image.complete;
      };
      await until(() => shows('s5'));
      inst.goToScene('s7');
      await until(() => shows('s7'));
      inst.goToScene('s5');
      await until(() => shows('s5'));
      await frames(3);
      let k = 0;
      return {
        x: { s, inst }, observe: s, keep: true,
        step: () => {
          const id = ++k % 2 ? 's7' : 's5';
          return { trigger: () => inst.goToScene(id), done: () => shows(id) };
        },
      };
    }
    if (task === 'e') {
      const inst = new CIHotspot(s, theirs.config(toHotspots(JSON.parse(textOf(task)))));
      await until(() => theirs.markersEl(s)?.childElementCount === 1000 && inst.getElements().image.complete);
      s.style.width = `${t.to}px`;
      await frames(3);
      s.style.width = `${t.width}px`;
      await frames(3);
      let k = 0;
      return {
        x: { s, inst }, observe: s, keep: true,
        step: () => {
          const w = ++k % 2 ? t.to : t.width;
          return {
            trigger: () => { s.style.width = `${w}px`; },
            // Its markers are placed in % of a box that follows the picture: right as soon as
            // the layout has the new width (its ResizeObserver → rAF pass only matters with
            // sceneAspectRatio, and shows up in "after").
            done: () => s.offsetWidth === w,
          };
        },
      };
    }
    if (task === 'g' || task === 'h') {
      s.remove();
      const hotspots = toHotspots(JSON.parse(textOf(task)));
      const { row, made, step } = cards(t, (card) => ({ card, inst: new CIHotspot(card, theirs.config(hotspots)) }));
      await until(() => made.every((m) => theirs.markersEl(m.card)?.childElementCount === 30 && m.inst.getElements().image.complete));
      const x = { s: made[0].card, row, made, teardownExtra: task === 'h' ? tallPage() : null };
      await frames(3);
      // (Markers in % of a box that follows the picture: right as soon as the layout has the width.
      // Nothing of it reacts to scrolling: done with the first frame.)
      return { x, observe: made[0].card, keep: true, step: step(task === 'h' ? () => true : (_, w) => row.offsetWidth === w) };
    }
    if (task === 'f') {
      const inst = new CIHotspot(s, theirs.config(toHotspots(JSON.parse(textOf(task)))));
      await until(() => theirs.markersEl(s)?.childElementCount === 1000 && inst.getElements().image.complete);
      const restore = tallPage();
      await frames(3);
      let k = 0;
      return {
        x: { s, inst, teardownExtra: restore }, observe: s, keep: true,
        step: () => {
          const dy = ++k % 2 ? t.by : -t.by;
          // Nothing of it reacts to scrolling: done with the first frame.
          return { trigger: () => window.scrollBy(0, dy), done: () => true };
        },
      };
    }
    const text = textOf(task);
    const n = t.shown.theirs;
    const x = { s, inst: null };
    return {
      x, observe: s,
      step: () => ({
        trigger: () => { x.inst = new CIHotspot(s, theirs.config(toHotspots(JSON.parse(text)))); },
        done: () => theirs.markersEl(s)?.childElementCount === n,
      }),
    };
  },
  count(x) {
    const m = theirs.markersEl(x.s);
    return { markers: m ? m.querySelectorAll(':scope > .ci-hotspot-marker:not(.ci-hotspot-marker--hidden)').length : 0, clusters: 0 };
  },
  teardown(x) {
    (x.row ?? x.s).remove(); // first: its destroy() then works on a detached tree (much faster at 10,000)
    x.inst?.destroy();
    x.made?.forEach((m) => m.inst.destroy());
    x.teardownExtra?.();
  },
};

// ---- The floor ------------------------------------------------------------------------------

// Not a library: the least any widget that keeps PRODUCT.md's marker contract must do, in plain
// JS, as a yardstick for the other two (bench/floor.js). Markers are built into one fragment and
// inserted at once. For d both photos' markers are built in setup and the trigger toggles
// `hidden` on the two groups in the same task as the src change (no observer, no frame
// callback): the browser's own cost of a frame change plus a marker swap.
const sheetOfFloor = floorSheet();

const floor = {
  make(width) {
    const s = stage(width);
    const img = new Image();
    img.alt = '';
    img.src = photoUrl(FRAME_A);
    s.append(img);
    return { s, img, root: floorRoot(s, sheetOfFloor) };
  },
  async setup(task) {
    const t = TASKS[task];
    if (task === 'g' || task === 'h') {
      const group = JSON.parse(textOf(task)).data[0].inspection_data;
      const { row, made, step } = cards(t, (card) => {
        const img = new Image();
        img.alt = '';
        img.src = photoUrl(FRAME_A);
        card.append(img);
        const root = floorRoot(card, sheetOfFloor);
        root.append(floorGroup(group));
        return { img, root };
      });
      await Promise.all(made.map((m) => m.img.decode()));
      const x = { s: row, root: made[0].root, teardownExtra: task === 'h' ? tallPage() : null };
      return { x, observe: x.root, keep: true, step: step(task === 'h' ? () => true : (_, w) => row.offsetWidth === w) };
    }
    const x = floor.make(t.width);
    await x.img.decode();
    const text = textOf(task);
    if (task === 'd') {
      const r = JSON.parse(text);
      const groups = r.data.map((p) => floorGroup(p.inspection_data));
      groups[1].hidden = true;
      x.root.append(...groups);
      let k = 0;
      return {
        x, observe: x.root, keep: true,
        step: () => {
          const p = ++k % 2;
          return {
            trigger: () => { x.img.src = photoUrl(p ? FRAME_B : FRAME_A); groups[1 - p].hidden = true; groups[p].hidden = false; },
            done: () => !groups[p].hidden,
          };
        },
      };
    }
    if (task === 'e' || task === 'f') {
      x.root.append(floorGroup(JSON.parse(text).data[0].inspection_data));
      if (task === 'f') x.teardownExtra = tallPage();
      let k = 0;
      return {
        x, observe: x.root, keep: true,
        step: () => {
          if (task === 'f') {
            const dy = ++k % 2 ? t.by : -t.by;
            return { trigger: () => window.scrollBy(0, dy), done: () => true };
          }
          const w = ++k % 2 ? t.to : t.width;
          return { trigger: () => { x.s.style.width = `${w}px`; }, done: () => x.s.offsetWidth === w };
        },
      };
    }
    // a (the sample's Front photo, code 5), b, c: parse, pick the photo, build, insert.
    const code = task === 'a' ? 5 : null;
    return {
      x, observe: x.root,
      step: () => ({
        trigger: () => {
          const r = JSON.parse(text);
          const p = code === null ? r.data[0] : r.data.find((q) => q.photo_code === code);
          x.root.append(floorGroup(p.inspection_data));
        },
        done: () => x.root.childElementCount === 1,
      }),
    };
  },
  count(x) {
    const g = [...x.root.children].find((c) => !c.hidden);
    return { markers: g ? g.childElementCount : 0, clusters: 0 };
  },
  teardown(x) {
    x.s.remove();
    x.teardownExtra?.();
  },
};

const LIBS = { ours, theirs, floor };

// ---- One run --------------------------------------------------------------------------------

let current = null;

window.benchPage = {
  /** Fresh state for the run, or (tasks d and e) the same element as the last run, kept. */
  async setup(lib, task) {
    if (!(current?.keep && current.lib === lib && current.task === task)) {
      benchPage.teardown();
      const state = await LIBS[lib].setup(task);
      current = { lib, task, ...state };
    }
    await frames(2);
  },
  async run() {
    const c = { ...current, ...current.step() };
    const records = { total: 0, beforeDone: 0, attributes: 0, childList: 0, nodesAdded: 0 };
    let doneSeen = false;
    const tally = (list) => {
      for (const r of list) {
        records.total += 1;
        if (!doneSeen) records.beforeDone += 1;
        if (r.type === 'attributes') records.attributes += 1;
        else if (r.type === 'childList') { records.childList += 1; records.nodesAdded += r.addedNodes.length; }
      }
    };
    const mo = new MutationObserver(own(tally));
    mo.observe(c.observe, { subtree: true, childList: true, attributes: true, characterData: true });
    B.reset();
    const t0 = now();
    c.trigger();
    const t1 = now();
    const w = await watch(() => {
      tally(mo.takeRecords()); // what was written until now counts as "before done"
      const ok = c.done();
      if (ok) doneSeen = true;
      return ok;
    });
    tally(mo.takeRecords());
    mo.disconnect();
    const sync = t1 - t0;
    const d = w.done;
    return {
      ok: !!d,
      sync,
      // Until the frame that shows the markers has been rendered:
      lib: d ? d.lib : B.lib,
      render: d ? d.render : w.render,
      main: sync + (d ? d.lib + d.render : B.lib + w.render),
      wall: d ? d.t - t0 : now() - t0,
      frames: d ? d.frames : w.frames,
      // Including the 2 frames after (late writes, second passes):
      frameEnds: w.ends.map((x) => x - t0),
      libAll: B.lib,
      renderAll: w.render,
      libCalls: B.calls,
      libRafs: B.rafs,
      records,
      ...LIBS[c.lib].count(c.x),
    };
  },
  /** Removes what setup built (kept state too when `all`). */
  teardown(all = true) {
    if (!current || (current.keep && !all)) return;
    LIBS[current.lib].teardown(current.x);
    current = null;
  },
  tasks: Object.fromEntries(Object.entries(TASKS).map(([k, v]) => [k, { width: v.width, shown: v.shown }])),
};
window.benchReady = true;
