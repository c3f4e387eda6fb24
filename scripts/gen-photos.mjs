#!/usr/bin/env node
/*
 * gen-photos.mjs: draws the demo pictures of pave-hotspots (a stand-in for PAVE's photos, which
 * cannot be fetched here): a low-poly 3D model of a dark-blue 2009 BMW 3 Series sedan (E90-like),
 * projected with a simple perspective camera and written as plain SVG files.
 *
 * Usage (Node 20, no npm dependencies):
 *   node scripts/gen-photos.mjs [outDir] [--check]
 *     outDir   where to write (default: www/generated/photos under the repo root)
 *     --check  also write check-*.html pages next to the pictures (check-photo-NN-*.html: each PAVE
 *              picture with a numbered red dot at every damage coordinate of the sample;
 *              check-spin.html: all frames), and print, for every damage, the car part drawn under
 *              its coordinate (found by picking the scene) and its clearance: the radius in pixels
 *              around the point inside which the same part is drawn. Open the pages in a browser,
 *              or screenshot them with headless Chromium, e.g.
 *                chromium --headless --no-sandbox --screenshot=/tmp/x.png --window-size=1200,900 \
 *                  file://$PWD/www/generated/photos/check-photo-07-right.html
 *
 * Files written (one line printed per file; output is identical on every run):
 *   frame-01.svg … frame-16.svg  1200×900 spin, 22.5° per frame, starting at the front and going
 *       round by the car's right: 01 Front (PAVE photo code 5), 03 Front_Right (11), 05 Right (7),
 *       07 Rear_Right (12), 09 Rear (8), 11 Rear_Left (13), 13 Left (4), 15 Front_Left (10).
 *       Frames 01, 05, 09 and 13 are the four photos of the sample results and carry a small
 *       blemish (scratch, scrape, dent, curb rash, foggy lens, oxidised spot, misaligned gap) at
 *       each damage coordinate of tests/fixtures/pave/results-27-damages.json.
 *   photo-04-left.svg, photo-05-front.svg, photo-07-right.svg, photo-08-rear.svg
 *       copies of frames 13, 01, 05 and 09 under the PAVE photo names.
 *   tall-05-front.svg  900×1200 portrait view of the front, framed differently (whole car, more
 *       floor, warmer backdrop); its pixels do NOT match the sample's damage coordinates.
 *
 * The damage coordinates of the sample are embedded below (DAMAGES) because the drawing was fitted
 * to them: the camera of each PAVE frame (KEY) and the shapes of the car (PROFILE, decals) were
 * chosen so that every point lands on the component PAVE names. With --check the table is compared
 * with the fixture file. The sample puts the car in the top half of the photos; its front and rear
 * photos are close-ups (headlights 44 % of the width apart, mirror only 13 % above them), so the
 * roof is just outside the top edge of frames 01 and 09; the in-between frames are framed to show
 * the whole car.
 * Every SVG has width/height/viewBox and contains no script, external reference, font or
 * foreignObject. Randomness (blemish shapes) comes from a PRNG seeded by the coordinates.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const FIXTURE = join(ROOT, 'tests/fixtures/pave/results-27-damages.json');

// ---------------------------------------------------------------------------------------------
// The sample's damages: photo code -> [x %, y %, component, damage_name]
const DAMAGES = {
  4: [
    [17.43, 27.37, 'WHEEL_FRONT_LEFT', 'CURB_RASH_MINOR'],
    [59.84, 24.76, 'DOOR_REAR_LEFT', 'SCRAPED_MEDIUM'],
    [60.88, 23.56, 'DOOR_REAR_LEFT', 'DENTED_MEDIUM_THROUGH_PAINT'],
  ],
  5: [
    [72.03, 21.54, 'LIGHT_HEAD_FRONT_LEFT', 'FOGGY_MAJOR'],
    [27.52, 22.14, 'LIGHT_HEAD_FRONT_RIGHT', 'FOGGY_MAJOR'],
    [20.72, 37.92, 'BUMPER_FRONT_UNIQUE', 'SCRAPED_MAJOR'],
    [19.45, 23.49, 'BUMPER_FRONT_UNIQUE', 'SCRAPED_MEDIUM'],
    [47.25, 40.91, 'BUMPER_FRONT_UNIQUE', 'SCRATCH_MINOR_NOT_THROUGH_PAINT'],
    [36.05, 26.93, 'BUMPER_FRONT_UNIQUE', 'SCRATCH_MINOR_NOT_THROUGH_PAINT'],
    [50.11, 26.40, 'BUMPER_FRONT_UNIQUE', 'MULTIPLE_SCRATCHES_MINOR_THROUGH_PAINT'],
    [43.01, 12.86, 'HOOD_FRONT_UNIQUE', 'MULTIPLE_DENTS_MINOR_NOT_THROUGH_PAINT'],
    [54.30, 13.76, 'HOOD_FRONT_UNIQUE', 'DENT_MINOR_SEAM_LINE'],
    [70.16, 8.38, 'HOUSING_MIRROR_LEFT', 'MULTIPLE_SCRATCHES_MINOR_NOT_THROUGH_PAINT'],
  ],
  7: [
    [55.95, 22.29, 'DOOR_FRONT_RIGHT', 'MULTIPLE_SCRATCHES_MINOR_THROUGH_PAINT'],
    [86.84, 26.10, 'BUMPER_FRONT_UNIQUE', 'SCRAPED_MEDIUM'],
    [87.88, 32.24, 'BUMPER_FRONT_UNIQUE', 'SCRAPED_MAJOR'],
    [42.11, 26.85, 'DOOR_REAR_RIGHT', 'SCRAPED_MAJOR'],
    [42.41, 24.38, 'DOOR_REAR_RIGHT', 'DENTED_MAJOR_THROUGH_PAINT'],
    [34.93, 32.01, 'ROCKER_PANEL_RIGHT', 'MISALIGNED_MAJOR'],
    [16.16, 22.51, 'QUARTER_PANEL_RIGHT', 'MULTIPLE_SCRATCHES_MEDIUM_NOT_THROUGH_PAINT'],
    [24.68, 13.16, 'QUARTER_PANEL_RIGHT', 'DENTED_MINOR_NOT_THROUGH_PAINT'],
    [22.84, 23.98, 'QUARTER_PANEL_RIGHT', 'DENT_MINOR_SEAM_LINE'],
    [24.21, 20.73, 'QUARTER_PANEL_RIGHT', 'DENT_MINOR_SEAM_LINE'],
    [22.90, 27.33, 'WHEEL_REAR_RIGHT', 'CURB_RASH_MINOR'],
  ],
  8: [
    [76.36, 25.88, 'BUMPER_REAR_UNIQUE', 'MISALIGNED_MAJOR'],
    [67.46, 30.82, 'BUMPER_REAR_UNIQUE', 'DENT_MINOR_SEAM_LINE'],
    [48.62, 28.35, 'TRUNK_REAR_UNIQUE', 'OXIDIZED_MINOR'],
  ],
};

// ---------------------------------------------------------------------------------------------
// small vector helpers
const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const mul = (a, s) => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const len = (a) => Math.hypot(a[0], a[1], a[2]);
const norm = (a) => { const l = len(a) || 1; return [a[0] / l, a[1] / l, a[2] / l]; };
const centroid = (pts) => mul(pts.reduce(add, [0, 0, 0]), 1 / pts.length);
const lerp = (a, b, t) => a + (b - a) * t;
const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
function newell(pts) {
  let n = [0, 0, 0];
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i], q = pts[(i + 1) % pts.length];
    n = add(n, [(p[1] - q[1]) * (p[2] + q[2]), (p[2] - q[2]) * (p[0] + q[0]), (p[0] - q[0]) * (p[1] + q[1])]);
  }
  return n;
}
/** piecewise-linear table lookup; table sorted by descending x */
function tab(table, x) {
  if (x >= table[0][0]) return table[0][1];
  for (let i = 1; i < table.length; i++) {
    const [x1, y1] = table[i];
    if (x >= x1) { const [x0, y0] = table[i - 1]; return lerp(y0, y1, (x0 - x) / (x0 - x1)); }
  }
  return table[table.length - 1][1];
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// The car. Coordinates in metres: X forward (nose at +2.265), Y to the car's left, Z up.
const WHEEL = { front: 1.465, rear: -1.295, track: 0.755, r: 0.325, rim: 0.242, width: 0.225 };
const ARCH = 0.32; // wheel-arch radius on the body side
// bumper / fender and bumper / quarter-panel splits on the sides, as [X, Z] from the wheel arch
const FRONT_SEAM = [[2.1, 0.7], [1.98, 0.668], [1.8, 0.62], [1.785, 0.44]];
const REAR_SEAM = [[-1.64, 0.44], [-1.655, 0.62], [-2.0, 0.668], [-2.2, 0.668]];
const BELT = [[2.0, 0.79], [1.5, 0.84], [0.8, 0.925], [0, 0.975], [-1.0, 1.01], [-1.72, 1.03], [-2.1, 1.03]];

const PROFILE = {
  z0: [[2.0, 0.22], [1.8, 0.21], [1.14, 0.2], [-0.97, 0.2], [-1.62, 0.24], [-2.1, 0.26]],
  w0: [[2.0, 0.83], [1.8, 0.86], [-1.6, 0.86], [-2.1, 0.85]],
  z1: [[2.0, 0.4], [1.8, 0.42], [-2.1, 0.42]],
  w1: [[2.0, 0.87], [1.8, 0.885], [-2.1, 0.875]],
  z2: [[2.0, 0.68], [-2.1, 0.68]],
  w2: [[2.0, 0.89], [1.6, 0.905], [1.2, 0.91], [-1.6, 0.91], [-2.1, 0.89]],
  z3: BELT,
  w3: [[2.0, 0.86], [1.0, 0.865], [0.8, 0.855], [-1.0, 0.855], [-1.7, 0.865], [-2.1, 0.86]],
  z4: [[2.0, 0.825], [1.5, 0.88], [0.8, 0.975], [0.08, 1.35], [-0.35, 1.37], [-1.0, 1.345], [-1.68, 1.055], [-2.1, 1.04]],
  w4: [[2.0, 0.72], [0.8, 0.745], [0.08, 0.64], [-1.0, 0.635], [-1.68, 0.74], [-2.1, 0.73]],
  w5: [[2.0, 0], [-2.1, 0]],
  z5: [[2.0, 0.83], [1.5, 0.885], [0.78, 0.985], [0.1, 1.405], [-0.35, 1.425], [-1.0, 1.4], [-1.68, 1.065], [-2.1, 1.045]],
};
// explicit nose and tail rings: [X, halfWidth, Z] for ring points p0 (bottom) … p5 (centre top)
const NOSE0 = [[2.255, 0.7, 0.24], [2.265, 0.73, 0.4], [2.265, 0.75, 0.56], [2.26, 0.74, 0.62], [2.255, 0.6, 0.645], [2.255, 0, 0.645]];
const NOSE1 = [[2.2, 0.82, 0.22], [2.22, 0.85, 0.4], [2.21, 0.87, 0.58], [2.16, 0.84, 0.76], [2.12, 0.7, 0.8], [2.12, 0, 0.805]];
const TAIL1 = [[-2.2, 0.84, 0.26], [-2.22, 0.86, 0.42], [-2.21, 0.88, 0.68], [-2.19, 0.86, 0.98], [-2.17, 0.72, 1.03], [-2.17, 0, 1.035]];
const TAIL0 = [[-2.25, 0.76, 0.26], [-2.265, 0.8, 0.42], [-2.265, 0.82, 0.68], [-2.25, 0.78, 0.93], [-2.235, 0.62, 0.985], [-2.235, 0, 0.99]];

function ringAt(X, archCentre) {
  const r = [];
  for (let i = 0; i < 6; i++) r.push([X, tab(PROFILE['w' + i], X), tab(PROFILE['z' + i], X)]);
  if (archCentre !== undefined) {
    const dx = X - archCentre;
    const za = WHEEL.r + Math.sqrt(Math.max(0, ARCH * ARCH - dx * dx));
    r[0][2] = za; r[0][1] = 0.89;
    if (r[1][2] < za) { r[1][2] = za; r[1][1] = 0.895; }
  }
  return r;
}

function buildRows() {
  const rows = [NOSE0, NOSE1, ringAt(2.0), ringAt(1.85)];
  const arch = (xc) => {
    for (let t = 0; t <= 180; t += 15) rows.push(ringAt(xc + ARCH * Math.cos((t * Math.PI) / 180), xc));
  };
  arch(WHEEL.front);
  for (const x of [1.11, 1.0, 0.8, 0.55, 0.3, 0.1, -0.2, -0.35, -0.65, -0.94]) rows.push(ringAt(x));
  arch(WHEEL.rear);
  for (const x of [-1.68, -1.9, -2.05]) rows.push(ringAt(x));
  rows.push(TAIL1, TAIL0);
  // full ring: right half p0..p5 (Y negative), then left half p4..p0 (Y positive)
  return rows.map((h) => [
    ...h.map(([x, w, z]) => [x, -w, z]),
    ...h.slice(0, 5).reverse().map(([x, w, z]) => [x, w, z]),
  ]);
}

const WINDSHIELD = [0.1, 0.78];
const BACKLIGHT = [-1.68, -1.0];
const inR = (v, [a, b]) => v > a && v < b;

function buildBody() {
  const rows = buildRows();
  const faces = [];
  const cols = rows[0].length; // 11
  for (let i = 0; i + 1 < rows.length; i++) {
    for (let j = 0; j + 1 < cols; j++) {
      const pts = [rows[i][j], rows[i][j + 1], rows[i + 1][j + 1], rows[i + 1][j]];
      const nn = newell(pts);
      if (len(nn) < 1e-5) continue;
      const seg = j < 5 ? j : 9 - j; // 0 lower sill … 4 top centre strip
      const c = centroid(pts);
      let glass = false;
      if (seg === 4 && (inR(c[0], WINDSHIELD) || inR(c[0], BACKLIGHT))) glass = true;
      faces.push({ pts, n: norm(nn), c, seg, glass, kind: 'body' });
    }
  }
  const front = rows[0].slice().reverse();
  faces.push({ pts: front, n: norm(newell(front)), c: centroid(front), seg: -1, glass: false, kind: 'body', cap: 'front' });
  const rear = rows[rows.length - 1].slice();
  faces.push({ pts: rear, n: norm(newell(rear)), c: centroid(rear), seg: -1, glass: false, kind: 'body', cap: 'rear' });
  return faces;
}

const BODY = buildBody();
const TRIS = [];
for (const f of BODY) for (let k = 1; k + 1 < f.pts.length; k++) TRIS.push([f.pts[0], f.pts[k], f.pts[k + 1], f]);

/** nearest intersection of a ray with the body mesh: {p, n, face} or null */
function raycast(o, d) {
  let best = null;
  for (const [a, b, c, f] of TRIS) {
    const e1 = sub(b, a), e2 = sub(c, a), pv = cross(d, e2), det = dot(e1, pv);
    if (Math.abs(det) < 1e-12) continue;
    const tv = sub(o, a), u = dot(tv, pv) / det;
    if (u < 0 || u > 1) continue;
    const qv = cross(tv, e1), v = dot(d, qv) / det;
    if (v < 0 || u + v > 1) continue;
    const t = dot(e2, qv) / det;
    if (t > 0 && (!best || t < best.t)) best = { t, p: add(o, mul(d, t)), n: f.n, face: f };
  }
  return best;
}
// project decal outlines onto the body: from the front (Y,Z), rear (Y,Z), side (X,Z), top (X,Y)
const onFront = (y, z) => { const h = raycast([4, y, z], [-1, 0, 0]); return h ? [h.p[0] + 0.006, y, z] : [2.27, y, z]; };
const onRear = (y, z) => { const h = raycast([-4, y, z], [1, 0, 0]); return h ? [h.p[0] - 0.006, y, z] : [-2.27, y, z]; };
const onSide = (s) => (x, z) => { const h = raycast([x, 4 * s, z], [0, -s, 0]); return h ? [x, h.p[1] + 0.006 * s, z] : [x, 0.9 * s, z]; };
const onTop = (x, y) => { const h = raycast([x, y, 4], [0, 0, -1]); return h ? [x, y, h.p[2] + 0.006] : [x, y, 1]; };
const nTop = (x, y) => raycast([x, y, 4], [0, 0, -1]).n; // normal of the surface seen from above

// ---------------------------------------------------------------------------------------------
// decals (lights, grille, plates, shut lines, trims): {pts, fill|stroke, w (metres), n, tag}
const DECALS = [];
function decal(map, pts2, style, n, tag) {
  DECALS.push({ pts: pts2.map(([a, b]) => map(a, b)), ...style, n, tag });
}
function circle2(cx, cy, r, k = 14, rx = r) {
  const out = [];
  for (let i = 0; i < k; i++) { const t = (i / k) * Math.PI * 2; out.push([cx + rx * Math.cos(t), cy + r * Math.sin(t)]); }
  return out;
}
const mirrorY = (pts, s) => pts.map(([y, z]) => [y * s, z]);
const LINE = '#0b1324';

(function buildDecals() {
  const F = [1, 0, 0], Bk = [-1, 0, 0];
  for (const s of [1, -1]) {
    const side = s > 0 ? 'LEFT' : 'RIGHT';
    const fn = norm([1, 0.25 * s, 0.15]);
    // headlight unit
    const hl = [[0.3, 0.662], [0.3, 0.752], [0.45, 0.78], [0.64, 0.795], [0.79, 0.795], [0.845, 0.765], [0.835, 0.722], [0.77, 0.69], [0.55, 0.662]];
    decal(onFront, mirrorY(hl, s), { fill: '#8f9aa6', stroke: '#20262e', w: 0.008 }, fn, 'LIGHT_HEAD_FRONT_' + side);
    decal(onFront, mirrorY([[0.33, 0.677], [0.33, 0.742], [0.47, 0.766], [0.64, 0.779], [0.78, 0.779], [0.825, 0.757], [0.815, 0.728], [0.76, 0.703], [0.55, 0.678]], s), { fill: '#c6cfd9' }, fn, 'LIGHT_HEAD_FRONT_' + side);
    for (const [cy, cz, r] of [[0.43, 0.727, 0.04], [0.635, 0.74, 0.043]]) {
      decal(onFront, mirrorY(circle2(cy, cz, r, 12), s), { fill: '#e9eef4', stroke: '#ffffff', w: 0.012 }, fn, 'LIGHT_HEAD_FRONT_' + side);
      decal(onFront, mirrorY(circle2(cy, cz, r * 0.45, 8), s), { fill: '#9aa7b5' }, fn, 'LIGHT_HEAD_FRONT_' + side);
    }
    decal(onFront, mirrorY([[0.74, 0.703], [0.815, 0.733]], s), { stroke: '#f0a13a', w: 0.012 }, fn, 'LIGHT_HEAD_FRONT_' + side);
    // kidney grille
    const kid = [[0.04, 0.668], [0.225, 0.668], [0.245, 0.69], [0.242, 0.77], [0.222, 0.79], [0.06, 0.79], [0.04, 0.772]];
    decal(onFront, mirrorY(kid, s), { fill: '#c3c8ce' }, norm([1, 0, 0.4]), 'GRILLE');
    decal(onFront, mirrorY([[0.055, 0.679], [0.215, 0.679], [0.23, 0.694], [0.228, 0.764], [0.212, 0.778], [0.068, 0.778], [0.055, 0.765]], s), { fill: '#101317' }, norm([1, 0, 0.4]), 'GRILLE');
    const slats = [];
    for (let y = 0.075; y < 0.22; y += 0.022) slats.push([[y, 0.682], [y, 0.775]]);
    DECALS.push({ multi: slats.map((l) => l.map(([y, z]) => onFront(y * s, z))), stroke: '#4a525c', w: 0.006, n: norm([1, 0, 0.4]), tag: 'GRILLE' });
    // fog light + side vent
    decal(onFront, mirrorY([[0.53, 0.335], [0.71, 0.335], [0.745, 0.46], [0.555, 0.46]], s), { fill: '#14171b' }, fn, 'BUMPER_VENT');
    decal(onFront, mirrorY(circle2(0.63, 0.397, 0.042), s), { fill: '#d6dce2', stroke: '#3a4048', w: 0.008 }, fn, 'FOG_LIGHT');
    // taillight
    const tn = norm([-1, 0.2 * s, 0.05]);
    const tl = [[0.31, 0.81], [0.31, 0.925], [0.5, 0.945], [0.72, 0.95], [0.825, 0.935], [0.84, 0.9], [0.83, 0.82], [0.7, 0.8], [0.5, 0.8]];
    decal(onRear, mirrorY(tl, s), { fill: '#9c1119', stroke: '#2a0508', w: 0.008 }, tn, 'LIGHT_TAIL_' + side);
    decal(onRear, mirrorY([[0.33, 0.83], [0.46, 0.83], [0.46, 0.86], [0.33, 0.86]], s), { fill: '#e8e4e4' }, tn, 'LIGHT_TAIL_' + side);
    DECALS.push({
      multi: [[[0.52, 0.9], [0.7, 0.91], [0.8, 0.9]], [[0.36, 0.895], [0.48, 0.905]], [[0.52, 0.835], [0.8, 0.84], [0.815, 0.88]]].map((l) => l.map(([y, z]) => onRear(y * s, z))),
      stroke: '#ff6a6f', w: 0.013, n: tn, tag: 'LIGHT_TAIL_' + side,
    });
    decal(onRear, mirrorY([[0.68, 0.385], [0.8, 0.385], [0.8, 0.405], [0.68, 0.405]], s), { fill: '#7a0d14' }, tn, 'REFLECTOR');
    // side: shut lines, handles, trims (s>0 left side, s<0 right side)
    const sn = [0, s, 0];
    const side1 = onSide(s);
    // rear door rear edge: vertical at X -1.02 down to the arch, then along the arch to the sill
    const rearEdge = [[-1.02, 1.0]];
    for (let z = 0.557; z >= 0.439; z -= 0.0295) rearEdge.push([WHEEL.rear + Math.sqrt(0.36 * 0.36 - (z - WHEEL.r) ** 2), z]);
    const lines = [
      [[0.84, 0.93], [0.84, 0.47], [0.81, 0.44], [-0.95, 0.44]],
      [[-0.2, 0.985], [-0.2, 0.44]],
      rearEdge,
      FRONT_SEAM,
      REAR_SEAM,
    ];
    DECALS.push({ multi: lines.map((l) => l.map(([x, z]) => side1(x, z))), stroke: LINE, w: 0.007, n: sn, tag: 'SHUT_LINE' });
    for (const [x0, z0] of [[0.2, 0.86], [-0.66, 0.88]]) {
      decal(side1, [[x0, z0], [x0 - 0.14, z0], [x0 - 0.15, z0 + 0.012], [x0 - 0.14, z0 + 0.026], [x0, z0 + 0.026], [x0 + 0.01, z0 + 0.013]], { fill: '#c5ccd4', stroke: '#0d1626', w: 0.006 }, sn, 'HANDLE');
    }
    decal(side1, [[1.08, 0.775], [1.0, 0.775], [0.995, 0.79], [1.08, 0.79]], { fill: '#e9a040' }, sn, 'REPEATER');
    // shoulder crease catching the light
    DECALS.push({ pts: [[1.95, 0.745], [1.2, 0.8], [0.2, 0.83], [-1.0, 0.85], [-2.05, 0.87]].map(([x, z]) => side1(x, z)), stroke: '#7f9bc6', w: 0.008, n: sn, tag: 'CREASE', opacity: 0.45 });
    // window trims: belt chrome, black frames, B-pillar, quarter-glass divider
    const belt = [], rail = [];
    for (let x = 0.8; x >= -1.021; x -= 0.1517) { belt.push(side1(x, tab(BELT, x) + 0.012)); }
    for (let x = 0.8; x >= -1.24; x -= 0.17) {
      const w = tab(PROFILE.w4, x), z = tab(PROFILE.z4, x);
      rail.push([x, s * (w + 0.004), z - 0.012]);
    }
    const dlo = [];
    for (let x = 0.76; x >= -1.02; x -= 0.0445) dlo.push([x, tab(BELT, x) + 0.004]);
    dlo.push([-1.08, 1.09], [-1.16, 1.17], [-1.22, 1.225]);
    for (let x = -1.2; x <= 0.761; x += 0.098) dlo.push([x, tab(PROFILE.z4, x) - 0.02 - (x > 0.08 ? 0.01 : 0)]);
    DECALS.push({ pts: dlo.map(([x, z]) => side1(x, z)), glass: true, n: norm([0, s, 0.35]), tag: 'GLASS' });
    DECALS.push({ pts: rail, stroke: '#07090c', w: 0.03, n: norm([0, s, 0.6]), tag: 'WINDOW_FRAME' });
    DECALS.push({ pts: belt, stroke: '#cfd5dc', w: 0.013, n: sn, tag: 'TRIM' });
    const bp = (x) => [x, s * (tab(PROFILE.w4, x) + 0.005), tab(PROFILE.z4, x)];
    const bb = (x) => [x, s * (tab(PROFILE.w3, x) + 0.004), tab(BELT, x) + 0.018];
    DECALS.push({ pts: [bb(-0.15), bb(-0.26), bp(-0.26), bp(-0.15)], fill: '#07090c', n: sn, tag: 'B_PILLAR' });
    DECALS.push({ pts: [bb(-0.8), bb(-0.83), bp(-0.86), bp(-0.84)], fill: '#07090c', n: sn, tag: 'WINDOW_FRAME' });
    if (s < 0) decal(side1, circle2(-1.5, 0.9, 0.07, 16, 0.075), { stroke: LINE, w: 0.006, closed: true }, sn, 'FUEL_DOOR');
    // hood creases
    DECALS.push({ pts: [[2.05, 0.3 * s, 0], [1.5, 0.32 * s, 0], [0.92, 0.34 * s, 0]].map(([x, y]) => onTop(x, y)), stroke: '#0e2446', w: 0.012, n: nTop(1.5, 0.32 * s), tag: 'HOOD_CREASE', opacity: 0.55 });
    // wiper
    DECALS.push({ pts: [[0.76, -0.5 + (s > 0 ? 0.55 : 0)], [0.63, 0.02 + (s > 0 ? 0.55 : 0)]].map(([x, y]) => onTop(x, y)), stroke: '#050607', w: 0.014, n: nTop(0.7, 0.3 * s), tag: 'WIPER' });
  }
  // front bumper: lower intake and plate
  decal(onFront, [[-0.43, 0.36], [0.43, 0.36], [0.46, 0.445], [-0.46, 0.445]], { fill: '#101316' }, F, 'BUMPER_INTAKE');
  DECALS.push({ multi: [[[-0.42, 0.388], [0.42, 0.388]], [[-0.43, 0.415], [0.43, 0.415]]].map((l) => l.map(([y, z]) => onFront(y, z))), stroke: '#3b424b', w: 0.006, n: F, tag: 'BUMPER_INTAKE' });
  plate(onFront, 0.452, F);
  // rear: trunk lid outline, plate, exhaust
  const lid = [[-0.72, 0.985], [-0.5, 0.945], [-0.5, 0.668], [-0.42, 0.6], [-0.42, 0.5], [0.42, 0.5], [0.42, 0.6], [0.5, 0.668], [0.5, 0.945], [0.72, 0.985]];
  decal(onRear, lid, { stroke: LINE, w: 0.007 }, Bk, 'SHUT_LINE');
  decal(onRear, [[-0.88, 0.668], [-0.5, 0.668]], { stroke: LINE, w: 0.007 }, Bk, 'SHUT_LINE');
  decal(onRear, [[0.88, 0.668], [0.5, 0.668]], { stroke: LINE, w: 0.007 }, Bk, 'SHUT_LINE');
  decal(onRear, [[-0.3, 0.597], [0.3, 0.597], [0.3, 0.74], [-0.3, 0.74]], { fill: '#0f2140' }, Bk, 'TRUNK_REAR_UNIQUE (plate recess)');
  plate(onRear, 0.615, Bk);
  for (const y of [0.5, 0.6]) {
    DECALS.push({ pts: circle2(y, 0.262, 0.036, 12).map(([a, b]) => [-2.245, a, b]), fill: '#1a1c1f', stroke: '#b7bcc2', w: 0.01, n: Bk, tag: 'EXHAUST' });
  }
  // lower diffuser band and bumper top highlights
  decal(onRear, [[-0.8, 0.27], [0.8, 0.27], [0.78, 0.335], [-0.78, 0.335]], { fill: '#141a24' }, Bk, 'BUMPER_DIFFUSER');
  decal(onRear, [[-0.86, 0.676], [-0.5, 0.676]], { stroke: '#6d87b0', w: 0.006, opacity: 0.7 }, Bk, 'HIGHLIGHT');
  decal(onRear, [[0.86, 0.676], [0.5, 0.676]], { stroke: '#6d87b0', w: 0.006, opacity: 0.7 }, Bk, 'HIGHLIGHT');
  decal(onFront, [[-0.7, 0.247], [0.7, 0.247], [0.68, 0.288], [-0.68, 0.288]], { fill: '#141a24' }, F, 'BUMPER_FRONT_UNIQUE (lower lip)');
  DECALS.push({ pts: [[-1.735, -0.72], [-1.745, 0], [-1.735, 0.72]].map(([x, y]) => onTop(x, y)), stroke: LINE, w: 0.007, n: nTop(-1.8, 0), tag: 'SHUT_LINE' });
  DECALS.push({ pts: [[0.81, -0.74], [0.815, 0], [0.81, 0.74]].map(([x, y]) => onTop(x, y)), stroke: LINE, w: 0.007, n: nTop(0.9, 0), tag: 'SHUT_LINE' });
  DECALS.push({ pts: [[-1.09, -0.3], [-1.09, 0.3]].map(([x, y]) => onTop(x, y)), stroke: '#5a0a10', w: 0.018, n: nTop(-1.2, 0), tag: 'BRAKE_LIGHT' });

  function plate(map, z0, n) {
    const front = n[0] > 0;
    const m = front ? (y, z) => map(y, z) : (y, z) => map(-y, z); // keep the EU band on the viewer's left
    decal(m, [[-0.26, z0], [0.26, z0], [0.26, z0 + 0.11], [-0.26, z0 + 0.11]], { fill: '#f1f1ec', stroke: '#2b2f35', w: 0.008 }, n, 'PLATE');
    decal(m, [[-0.255, z0 + 0.005], [-0.22, z0 + 0.005], [-0.22, z0 + 0.105], [-0.255, z0 + 0.105]], { fill: '#1f47a8' }, n, 'PLATE');
    const glyphs = [];
    for (let i = 0; i < 7; i++) {
      const y = -0.19 + i * 0.058 + (i > 1 ? 0.02 : 0);
      glyphs.push([[y, z0 + 0.025], [y + 0.038, z0 + 0.025], [y + 0.038, z0 + 0.085], [y, z0 + 0.085]]);
    }
    DECALS.push({ multi: glyphs.map((g) => g.map(([y, z]) => m(y, z))), fill: '#2b2f35', closed: true, n, tag: 'PLATE' });
  }
})();

// mirrors: small boxes at the front corners of the side windows
function mirrorFaces(s) {
  // three sections from the root (on the door) to the tip; each [front-bottom, back-bottom, back-top, front-top] as [X, Z]
  const secs = [
    [0.79, [[0.77, 0.93], [0.6, 0.93], [0.6, 1.07], [0.755, 1.075]]],
    [0.94, [[0.745, 0.935], [0.6, 0.935], [0.6, 1.07], [0.73, 1.07]]],
    [1.03, [[0.69, 0.955], [0.615, 0.955], [0.615, 1.05], [0.675, 1.05]]],
  ].map(([y, q]) => q.map(([x, z]) => [x, y * s, z]));
  const ctr = centroid(secs.flat());
  const tag = 'HOUSING_MIRROR_' + (s > 0 ? 'LEFT' : 'RIGHT');
  const faces = [];
  for (let i = 0; i + 1 < secs.length; i++) {
    const a = secs[i], b = secs[i + 1];
    faces.push({ pts: [a[0], a[3], b[3], b[0]], glass: false }); // front of the housing
    faces.push({ pts: [a[3], a[2], b[2], b[3]], glass: false }); // top
    faces.push({ pts: [a[1], a[0], b[0], b[1]], glass: false }); // bottom
    faces.push({ pts: [a[2], a[1], b[1], b[2]], glass: true }); // mirror glass, facing backwards
  }
  faces.push({ pts: secs[2], glass: false }); // tip
  return faces.map((f) => {
    let n = norm(newell(f.pts));
    const c = centroid(f.pts);
    if (dot(n, sub(c, ctr)) < 0) n = mul(n, -1);
    return { ...f, n, c, kind: 'mirror', side: s, tag: f.glass ? tag + ' (glass)' : tag };
  });
}
const MIRRORS = [...mirrorFaces(1), ...mirrorFaces(-1)];

// wheels: tyre cylinder, rim disc with seven spokes, wheel well behind
function wheelParts(xc, s) {
  const N = 24, yo = s * (WHEEL.track + WHEEL.width / 2), yi = s * (WHEEL.track - WHEEL.width / 2);
  const zc = WHEEL.r;
  const ring = (y, r, k = N, ph = 0) => Array.from({ length: k }, (_, i) => { const t = ph + (i / k) * Math.PI * 2; return [xc + r * Math.cos(t), y, zc + r * Math.sin(t)]; });
  const outer = ring(yo, WHEEL.r), inner = ring(yi, WHEEL.r);
  const name = `WHEEL_${xc > 0 ? 'FRONT' : 'REAR'}_${s > 0 ? 'LEFT' : 'RIGHT'}`;
  const parts = [];
  for (let i = 0; i < N; i++) {
    const j = (i + 1) % N;
    const pts = [outer[i], outer[j], inner[j], inner[i]];
    const c = centroid(pts);
    parts.push({ pts, n: norm(sub(c, [xc, c[1], zc])), c, kind: 'tread', tag: name + ' tyre' });
  }
  const sidN = [0, s, 0];
  parts.push({ pts: outer, n: sidN, c: [xc, yo, zc], kind: 'sidewall', tag: name + ' tyre' });
  parts.push({ pts: inner, n: [0, -s, 0], c: [xc, yi, zc], kind: 'sidewall', tag: name + ' tyre' });
  const yr = yo + 0.004 * s, yr2 = yo + 0.008 * s;
  parts.push({ pts: ring(yr, WHEEL.rim), n: sidN, c: [xc, yr, zc], kind: 'rim', tag: name + ' rim' });
  const spokes = [];
  for (let k = 0; k < 7; k++) {
    const a0 = (k / 7) * Math.PI * 2 + 0.2, a1 = a0 + (Math.PI * 2) / 7 - 0.3;
    const pt = (r, a) => [xc + r * Math.cos(a), yr2, zc + r * Math.sin(a)];
    const am = (a0 + a1) / 2;
    spokes.push([pt(0.085, a0 + 0.08), pt(0.2, a0 + 0.02), pt(0.212, am), pt(0.2, a1 - 0.02), pt(0.085, a1 - 0.08)]);
  }
  parts.push({ multi: spokes, n: sidN, c: [xc, yr2, zc], kind: 'spokes', tag: name + ' rim' });
  parts.push({ pts: ring(yr2 + 0.004 * s, 0.062, 14), n: sidN, c: [xc, yr2, zc], kind: 'hub', tag: name + ' rim' });
  parts.push({ pts: ring(yr2 + 0.006 * s, 0.034, 12), n: sidN, c: [xc, yr2, zc], kind: 'cap', tag: name + ' rim' });
  // well: arch-shaped dark plate inside the body
  const well = [];
  for (const yw of [s * 0.9, s * 0.5]) {
    for (let t = 0; t <= 180; t += 15) { const a = (t * Math.PI) / 180; well.push([xc + (ARCH + 0.01) * Math.cos(a), yw, zc + (ARCH + 0.01) * Math.sin(a)]); }
    well.push([xc - ARCH, yw, 0.27], [xc + ARCH, yw, 0.27]);
  }
  return { name, xc, s, parts, well, centre: [xc, s * WHEEL.track, zc] };
}
const WHEELS = [];
for (const xc of [WHEEL.front, WHEEL.rear]) for (const s of [1, -1]) WHEELS.push(wheelParts(xc, s));

// ---------------------------------------------------------------------------------------------
// cameras
const KEY = {
  // az: camera azimuth in degrees (0 in front, -90 at the car's right, 90 at its left, 180 behind)
  0: { R: 5.265, H: 0.94, f: 1330, cx: 597, cy: 91 },
  [-90]: { R: 6.44, H: 0.94, f: 1330, cx: 584, cy: 151 },
  [-180]: { R: 5.3, H: 0.94, f: 1330, cx: 597, cy: 91 },
  [-270]: { R: 6.44, H: 0.94, f: 1330, cx: 564.5, cy: 151 },
};
function camFor(az, W = 1200, Hpx = 900, over = {}) {
  // interpolate the key views (cosine easing) for the in-between frames
  let a = ((az % 360) + 360) % 360; // 0..360, going 0, 270(-90), 180, 90(-270)
  const neg = (360 - a) % 360; // distance going round by the right: 0, 90, 180, 270
  const k0 = Math.floor(neg / 90) * 90, k1 = (k0 + 90) % 360;
  const t = (neg - k0) / 90, e = (1 - Math.cos(t * Math.PI)) / 2;
  const A = KEY[-k0], B = KEY[-k1 === -0 ? 0 : -k1] ?? KEY[0];
  const p = {};
  for (const k of Object.keys(A)) p[k] = lerp(A[k], B[k], e);
  Object.assign(p, over);
  const r = (az * Math.PI) / 180;
  const C = [p.R * Math.cos(r), p.R * Math.sin(r), p.H];
  const F = [-Math.cos(r), -Math.sin(r), 0], Rt = [-Math.sin(r), Math.cos(r), 0], Up = [0, 0, 1];
  const L = norm(add(add(mul(F, -0.55), mul(Rt, -0.35)), [0, 0, 0.9])); // key light: above, behind-left of the camera
  const V = norm(add(F, [0, 0, -0.2]));
  return { az, ...p, C, F, Rt, Up, L, V, W, Hpx };
}
/** frame an in-between view: whole car inside the picture, centred */
function fitCam(cam) {
  const pts = [...BODY.flatMap((f) => f.pts), ...MIRRORS.flatMap((m) => m.pts), ...WHEELS.flatMap((w) => w.parts[w.parts.length - 4].pts)];
  for (let it = 0; it < 4; it++) {
    const pp = pts.map((p) => project(cam, p));
    const xs = pp.map((p) => p[0]), ys = pp.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys);
    cam.f *= Math.min(1, (cam.W - 110) / (x1 - x0));
    cam.cx += cam.W / 2 - (x0 + x1) / 2;
    cam.cy += Math.max(0, 48 - y0);
  }
  return cam;
}
function project(cam, P) {
  const v = sub(P, cam.C), D = dot(v, cam.F);
  return [cam.cx + (cam.f * dot(v, cam.Rt)) / D, cam.cy - (cam.f * v[2]) / D, D];
}
const visible = (cam, n, c) => dot(n, sub(cam.C, c)) > 1e-6;

// ---------------------------------------------------------------------------------------------
// shading
const PAINT = [26, 56, 106];
const hex = (c) => '#' + c.map((v) => clamp(Math.round(v), 0, 255).toString(16).padStart(2, '0')).join('');
const mixc = (a, b, t) => a.map((v, i) => lerp(v, b[i], t));
function envAt(r) {
  const z = r[2];
  if (z > 0.06) return mixc([120, 132, 150], [236, 241, 247], clamp((z - 0.06) / 0.5, 0, 1));
  if (z > -0.12) return [52, 60, 72];
  return mixc([150, 158, 168], [110, 118, 128], clamp(-z * 2, 0, 1));
}
function shade(cam, face, base, refl, amb = 0.4) {
  const v = cam.V; // one view direction for the whole picture: coplanar faces share a colour
  const ndv = dot(face.n, v);
  const r = sub(v, mul(face.n, 2 * ndv));
  const diff = Math.max(0, dot(face.n, cam.L));
  const fres = 0.06 + 0.94 * Math.pow(1 - Math.abs(ndv), 5);
  const k = refl * (0.35 + 0.65 * fres);
  const e = envAt(r);
  return hex(base.map((b, i) => Math.round((b * (amb + 0.75 * diff) * (1 - k) + e[i] * k) / 4) * 4));
}

// ---------------------------------------------------------------------------------------------
// SVG output
const fmt = (v, dec = 1) => {
  const s = String(Math.round(v * 10 ** dec) / 10 ** dec);
  return s.replace(/^(-?)0\./, '$1.');
};
const pair = ([x, y], dec) => { const a = fmt(x, dec), b = fmt(y, dec); return a + (b[0] === '-' ? '' : ' ') + b; };
/** path data: absolute move, then relative line-tos between the rounded points (compact, no drift) */
function pathOf(pts2, closed = true, dec = 1) {
  const k = 10 ** dec;
  const r = pts2.map(([x, y]) => [Math.round(x * k), Math.round(y * k)]);
  let d = 'M' + pair([r[0][0] / k, r[0][1] / k], dec);
  if (r.length > 1) {
    const rel = [];
    for (let i = 1; i < r.length; i++) rel.push(pair([(r[i][0] - r[i - 1][0]) / k, (r[i][1] - r[i - 1][1]) / k], dec));
    d += 'l' + rel.map((q, i) => (i && q[0] !== '-' ? ' ' : '') + q).join('');
  }
  return d + (closed ? 'Z' : '');
}
function hull(pts) {
  const p = pts.map(([x, y]) => [x, y]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cr = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lo = [], up = [];
  for (const q of p) { while (lo.length >= 2 && cr(lo[lo.length - 2], lo[lo.length - 1], q) <= 0) lo.pop(); lo.push(q); }
  for (const q of p.reverse()) { while (up.length >= 2 && cr(up[up.length - 2], up[up.length - 1], q) <= 0) up.pop(); up.push(q); }
  return lo.slice(0, -1).concat(up.slice(0, -1));
}

/** render the scene for a camera: returns {items} in painter's order; each item {d, fill, stroke, sw, poly2 (for picking), tag, face} */
function scene(cam) {
  const items = [];
  const P = (p) => project(cam, p);
  const poly = (pts3, extra, dec = 1) => { const pp = pts3.map(P); items.push({ d: pathOf(pp, true, dec), poly2: pp, pts2: pp, ...extra }); };

  // wheel wells, then wheels, far first
  const wheels = WHEELS.map((w) => ({ w, D: project(cam, w.centre)[2] })).sort((a, b) => b.D - a.D);
  for (const { w } of wheels) {
    if (cam.C[1] * w.s < 0.9) continue;
    const h = hull(w.well.map(P));
    items.push({ d: pathOf(h, true, 0), poly2: h, pts2: h, fill: '#0b0d10', tag: 'WHEEL_WELL' });
  }
  for (const { w } of wheels) {
    const vis = w.parts.filter((p) => visible(cam, p.n, p.c));
    const tyre = hull(w.parts.filter((p) => p.kind === 'sidewall').flatMap((p) => p.pts.map(P)));
    items.push({ d: pathOf(tyre, true, 0), poly2: tyre, pts2: tyre, fill: '#1d1f22', tag: w.name + ' tyre' });
    for (const p of vis.filter((q) => q.kind !== 'tread')) {
      if (p.kind === 'sidewall') poly(p.pts, { fill: '#17191c', tag: p.tag });
      else if (p.kind === 'rim') poly(p.pts, { fill: shade(cam, p, [168, 174, 182], 0.35, 0.55), stroke: '#5d646d', sw: 1, tag: p.tag });
      else if (p.kind === 'spokes') { const ps = p.multi.map((m) => m.map(P)); items.push({ d: ps.map((q) => pathOf(q)).join(''), polys2: ps, pts2: ps.flat(), fill: '#23272c', tag: 'WHEEL_SPOKE_GAP' }); }
      else if (p.kind === 'hub') poly(p.pts, { fill: '#9aa1aa', tag: p.tag });
      else if (p.kind === 'cap') poly(p.pts, { fill: '#2b3038', tag: p.tag });
    }
  }
  // body and the mirrors on the far side, back to front (the near mirrors come after the decals)
  const late = (m) => cam.C[0] > 0.6 || cam.C[1] * m.side > 0.9;
  const faceItem = (f, dec) => {
    const col = f.glass ? shade(cam, f, [12, 15, 20], 0.42, 0.5) : shade(cam, f, PAINT, 0.5);
    poly(f.pts, { fill: col, stroke: col, sw: 0.7, tag: f.tag, face: f }, dec);
  };
  [...BODY, ...MIRRORS.filter((m) => !late(m))].filter((f) => visible(cam, f.n, f.c))
    .sort((a, b) => P(b.c)[2] - P(a.c)[2]).forEach((f) => faceItem(f, f.kind === 'body' ? 0 : 1));
  // decals
  const decs = DECALS.filter((d) => visible(cam, d.n, centroid(d.pts ?? d.multi.flat())))
    .map((d) => ({ d, D: P(centroid(d.pts ?? d.multi.flat()))[2] }));
  for (const { d, D } of decs) {
    const sw = d.w ? Math.max(0.6, Math.round((cam.f * d.w) / D * 2) / 2) : 0;
    const fill = d.glass ? shade(cam, { n: d.n, c: centroid(d.pts) }, [12, 15, 20], 0.3, 0.5) : d.fill ?? 'none';
    const base = { fill, stroke: d.stroke, sw, tag: d.tag, opacity: d.opacity };
    if (d.multi) {
      const ps = d.multi.map((m) => m.map(P));
      items.push({ d: ps.map((q) => pathOf(q, !!d.closed)).join(''), polys2: d.fill ? ps : undefined, pts2: ps.flat(), ...base });
    } else {
      const pp = d.pts.map(P);
      items.push({ d: pathOf(pp, !!d.fill || !!d.closed), poly2: d.fill ? pp : undefined, pts2: pp, ...base });
    }
  }
  MIRRORS.filter((m) => late(m) && visible(cam, m.n, m.c)).sort((a, b) => P(b.c)[2] - P(a.c)[2]).forEach((m) => faceItem(m, 1));
  return items;
}

function shadowSvg(cam) {
  const P = (p) => project(cam, p);
  const rr = (hx, hy, r, k = 6) => {
    const out = [];
    const corners = [[hx - r, hy - r, 0], [-(hx - r), hy - r, 90], [-(hx - r), -(hy - r), 180], [hx - r, -(hy - r), 270]];
    for (const [cx, cy, a0] of corners) for (let i = 0; i <= k; i++) { const a = ((a0 + (90 * i) / k) * Math.PI) / 180; out.push([cx + r * Math.cos(a), cy + r * Math.sin(a), 0]); }
    return out;
  };
  let s = `<path d="${pathOf(rr(2.55, 1.2, 0.8).map(P), true, 0)}" fill="#5d6775" opacity=".35" filter="url(#b2)"/>`;
  s += `<path d="${pathOf(rr(2.2, 0.86, 0.35).map(P), true, 0)}" fill="#20252d" opacity=".6" filter="url(#b1)"/>`;
  for (const w of WHEELS) {
    const c = [w.xc, w.s * WHEEL.track, 0];
    const pts = [];
    for (let i = 0; i < 12; i++) { const a = (i / 12) * Math.PI * 2; pts.push(P([c[0] + 0.3 * Math.cos(a), c[1] + 0.13 * Math.sin(a), 0])); }
    s += `<path d="${pathOf(pts, true, 0)}" fill="#0c0e11" opacity=".55" filter="url(#b0)"/>`;
  }
  return s;
}

/** blemish drawn at a damage point (pixel coordinates) */
function blemish(x, y, component, name, seed) {
  const rnd = mulberry32(seed);
  const size = /MAJOR/.test(name) ? 1.5 : /MEDIUM/.test(name) ? 1.2 : 1;
  const R = (a, b) => a + (b - a) * rnd();
  const f = fmt;
  let s = '';
  if (/CURB_RASH/.test(name)) {
    // scraped, lighter arc on the rim lip around the point
    const [wx, wy, rr] = component._wheel;
    const a = Math.atan2(y - wy, x - wx);
    const pts = [], pts2 = [];
    for (let i = -4; i <= 4; i++) {
      const t = a + i * 0.07;
      pts.push([wx + (rr + R(-1.5, 1.5)) * Math.cos(t), wy + (rr + R(-1.5, 1.5)) * Math.sin(t)]);
      pts2.push([wx + (rr - 5 + R(-1, 1)) * Math.cos(t), wy + (rr - 5 + R(-1, 1)) * Math.sin(t)]);
    }
    s += `<path d="${pathOf([...pts, ...pts2.reverse()])}" fill="#e9e4da" opacity=".85"/>`;
    s += `<path d="${pathOf(pts, false)}" fill="none" stroke="#6b5a45" stroke-width="1.2"/>`;
  } else if (/FOGGY/.test(name)) {
    s += `<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(36 * size / 1.5)}" ry="${f(15 * size / 1.5)}" fill="url(#fog)"/>`;
  } else if (/OXIDIZED/.test(name)) {
    s += `<ellipse cx="${f(x)}" cy="${f(y)}" rx="9" ry="5.5" fill="#7a4a22" opacity=".85"/>`;
    for (let i = 0; i < 12; i++) s += `<circle cx="${f(x + R(-11, 11))}" cy="${f(y + R(-6, 6))}" r="${f(R(0.8, 2.4))}" fill="${rnd() < 0.5 ? '#b06a2c' : '#5b3315'}"/>`;
  } else if (/MISALIGNED/.test(name)) {
    const L = 14 * size, a = R(-0.15, 0.15);
    const dx = Math.cos(a) * L, dy = Math.sin(a) * L;
    s += `<path d="M${f(x - dx)} ${f(y - dy - 1)}L${f(x + dx)} ${f(y + dy - 1)}" stroke="#05070b" stroke-width="3.2"/>`;
    s += `<path d="M${f(x - dx)} ${f(y - dy + 1.8)}L${f(x + dx)} ${f(y + dy + 1.8)}" stroke="#7f9cc6" stroke-width="1.2" opacity=".8"/>`;
  } else if (/DENT/.test(name)) {
    const multi = /MULTIPLE/.test(name) ? 3 : 1;
    for (let i = 0; i < multi; i++) {
      const ox = i ? R(-10, 10) : 0, oy = i ? R(-5, 5) : 0;
      const rx = (multi > 1 ? 5 : 8) * size, ry = rx * 0.75;
      s += `<ellipse cx="${f(x + ox)}" cy="${f(y + oy)}" rx="${f(rx)}" ry="${f(ry)}" fill="url(#dent)"/>`;
    }
    if (/THROUGH_PAINT/.test(name) && !/NOT_THROUGH/.test(name)) s += `<path d="M${f(x - 2)} ${f(y - 1)}l3 -1.5l2 2l-3 1.6z" fill="#c9ccd0"/>`;
    if (/SEAM/.test(name)) s += `<path d="M${f(x - 7)} ${f(y + 2)}q7 -3 14 0" fill="none" stroke="#050a14" stroke-width="1.2" opacity=".7"/>`;
  } else if (/SCRAPE/.test(name)) {
    const rx = 9 * size, ry = 5 * size;
    const pts = [];
    for (let i = 0; i < 10; i++) { const t = (i / 10) * Math.PI * 2; const k = R(0.65, 1.1); pts.push([x + rx * k * Math.cos(t), y + ry * k * Math.sin(t)]); }
    s += `<path d="${pathOf(pts)}" fill="#9aa7b8" opacity=".55"/>`;
    let d = '';
    for (let i = 0; i < 5; i++) { const yy = y + R(-ry * 0.8, ry * 0.8), x0 = x - rx * R(0.5, 0.9); d += `M${f(x0)} ${f(yy)}l${f(rx * R(1, 1.7))} ${f(R(-1.5, 1.5))}`; }
    s += `<path d="${d}" stroke="#dfe6ee" stroke-width=".9" opacity=".9"/>`;
  } else {
    // scratches
    const n = /MULTIPLE/.test(name) ? 4 : 2;
    let d = '';
    for (let i = 0; i < n; i++) {
      const L = R(7, 12) * size, a = R(-0.5, 0.3), ox = R(-4, 4), oy = R(-3, 3);
      d += `M${f(x + ox - Math.cos(a) * L)} ${f(y + oy - Math.sin(a) * L)}l${f(2 * Math.cos(a) * L)} ${f(2 * Math.sin(a) * L)}`;
    }
    const through = /THROUGH_PAINT/.test(name) && !/NOT_THROUGH/.test(name);
    s += `<path d="${d}" stroke="${through ? '#f2f4f6' : '#b9c6d8'}" stroke-width="${through ? 1.3 : 1}" stroke-linecap="round"/>`;
  }
  return s;
}

function defs(cam, tint) {
  const hz = clamp(cam.cy / cam.Hpx, 0.05, 0.5);
  const o = (v) => fmt(v * 100) + '%';
  return `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${tint[0]}"/><stop offset="${o(hz + 0.16)}" stop-color="${tint[1]}"/><stop offset="${o(Math.min(0.95, hz + 0.42))}" stop-color="${tint[2]}"/><stop offset="1" stop-color="${tint[3]}"/></linearGradient>`
    + `<radialGradient id="spot" cx=".5" cy=".5" r=".5"><stop offset="0" stop-color="#fff" stop-opacity=".7"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`
    + `<linearGradient id="dent" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#020814" stop-opacity=".75"/><stop offset=".5" stop-color="#020814" stop-opacity=".12"/><stop offset=".78" stop-color="#dce6f4" stop-opacity=".55"/><stop offset="1" stop-color="#dce6f4" stop-opacity=".1"/></linearGradient>`
    + `<radialGradient id="fog" cx=".5" cy=".5" r=".5"><stop offset="0" stop-color="#ece0b8" stop-opacity=".95"/><stop offset=".55" stop-color="#ddd0a4" stop-opacity=".8"/><stop offset="1" stop-color="#ddd0a4" stop-opacity="0"/></radialGradient>`
    + [[0, 4], [1, 9], [2, 26]].map(([i, sd]) => `<filter id="b${i}" filterUnits="userSpaceOnUse" x="0" y="0" width="${cam.W}" height="${cam.Hpx}"><feGaussianBlur stdDeviation="${sd}"/></filter>`).join('')
    + '</defs>';
}

const TINT = ['#c7cfd9', '#e6eaef', '#f3f4f6', '#f8f8f9'];
const TINT_TALL = ['#d8cfc4', '#ece6de', '#f5f2ee', '#faf9f7'];

function render(cam, { title, damages = [], tint = TINT } = {}) {
  const items = scene(cam);
  // one CSS class per distinct style keeps the files small
  const classes = new Map();
  const cls = (style) => {
    if (!classes.has(style)) {
      let i = classes.size, n = '';
      do { n = 'abcdefghijklmnopqrstuvwxyz'[i % 26] + n; i = Math.floor(i / 26) - 1; } while (i >= 0);
      classes.set(style, n);
    }
    return classes.get(style);
  };
  // merge paths of the same style: an item may join an earlier group of its style when nothing
  // drawn in between overlaps it (bounding boxes), so the picture does not change
  const groups = [];
  for (const it of items) {
    const st = it.stroke ? `;stroke:${it.stroke};stroke-width:${fmt(it.sw)}` : '';
    const style = `fill:${it.fill}${st}${it.opacity ? `;opacity:${it.opacity}` : ''}`;
    const m = (it.sw ?? 0) / 2 + 1;
    const xs = it.pts2.map((p) => p[0]), ys = it.pts2.map((p) => p[1]);
    const bb = [Math.min(...xs) - m, Math.min(...ys) - m, Math.max(...xs) + m, Math.max(...ys) + m];
    let target = null;
    for (let g = groups.length - 1; g >= 0; g--) {
      if (groups[g].style === style) { target = groups[g]; break; }
      if (groups[g].bbs.some((b) => b[0] < bb[2] && bb[0] < b[2] && b[1] < bb[3] && bb[1] < b[3])) break;
    }
    if (target) { target.d += it.d; target.bbs.push(bb); } else groups.push({ style, d: it.d, bbs: [bb] });
  }
  const uses = new Map();
  for (const g of groups) uses.set(g.style, (uses.get(g.style) ?? 0) + 1);
  const attrs = (style) => style.split(';').map((kv) => { const [k, v] = kv.split(':'); return ` ${k}="${v}"`; }).join('');
  let body = '';
  for (const g of groups) body += uses.get(g.style) > 1 ? `<path class="${cls(g.style)}" d="${g.d}"/>` : `<path d="${g.d}"${attrs(g.style)}/>`;
  const css = `<style>path{stroke-linejoin:round}${[...classes].map(([st, n]) => `.${n}{${st}}`).join('')}</style>`;
  const hzY = cam.cy + (cam.f * cam.H) / cam.R; // floor under the car's centre
  const spot = `<ellipse cx="${fmt(cam.cx)}" cy="${fmt(hzY)}" rx="${fmt(cam.W * 0.48)}" ry="${fmt(cam.Hpx * 0.16)}" fill="url(#spot)"/>`;
  let marks = '', clips = '';
  for (const dm of damages) {
    const it = /^LIGHT_HEAD/.test(dm.compName) && items.find((q) => q.tag === dm.compName && q.poly2);
    if (it) {
      // a foggy lens: haze over the whole lens, clipped to it
      const id = 'c' + dm.seed;
      clips += `<clipPath id="${id}"><path d="${it.d}"/></clipPath>`;
      const xs = it.poly2.map((p) => p[0]), ys = it.poly2.map((p) => p[1]);
      const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
      marks += `<g clip-path="url(#${id})"><ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt((Math.max(...xs) - Math.min(...xs)) * 0.62)}" ry="${fmt((Math.max(...ys) - Math.min(...ys)) * 0.75)}" fill="url(#fog)"/>${blemish(dm.px, dm.py, dm.comp, dm.name, dm.seed)}</g>`;
    } else marks += blemish(dm.px, dm.py, dm.comp, dm.name, dm.seed);
  }
  if (clips) clips = `<defs>${clips}</defs>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${cam.W}" height="${cam.Hpx}" viewBox="0 0 ${cam.W} ${cam.Hpx}">`
    + `<title>${title}</title>${css}${defs(cam, tint)}<rect width="${cam.W}" height="${cam.Hpx}" fill="url(#bg)"/>${spot}${shadowSvg(cam)}`
    + `<g>${body}</g>${marks ? `${clips}<g>${marks}</g>` : ''}</svg>\n`;
  return { svg, items };
}

// ---------------------------------------------------------------------------------------------
// picking (for --check): which car part is drawn under a pixel
function inPoly(x, y, pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i], [xj, yj] = pts[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function bodyPart(P, face) {
  const [X, Y, Z] = P, aY = Math.abs(Y), side = Y >= 0 ? 'LEFT' : 'RIGHT';
  if (face.glass) return 'GLASS';
  const top = face.seg === 4 || (face.seg === 3 && (X > 0.8 || X < -1.72));
  if (face.cap === 'front' || (X > 2.1 && face.seg !== 4)) return 'BUMPER_FRONT_UNIQUE';
  if (face.cap === 'rear' || X < -2.15) {
    const inLid = (aY < 0.42 && Z > 0.5) || (aY < 0.5 && Z > 0.668) || (aY < 0.5 && Z > 0.6 + (aY - 0.42) * 0.85);
    if (inLid || Z > 0.95) return 'TRUNK_REAR_UNIQUE';
    return Z < 0.668 ? 'BUMPER_REAR_UNIQUE' : 'QUARTER_PANEL_' + side;
  }
  if (X > 0.8 && top) return 'HOOD_FRONT_UNIQUE';
  if (X < -1.72 && top) return 'TRUNK_REAR_UNIQUE';
  if (top || Z > 1.3) return X > 0.1 ? 'PILLAR_A_' + side : X > -1.0 ? 'ROOF' : 'QUARTER_PANEL_' + side;
  if (X > 1.79 && Z < tab(FRONT_SEAM, X)) return 'BUMPER_FRONT_UNIQUE';
  if (X < -1.65 && Z < tab([...REAR_SEAM].reverse(), X)) return 'BUMPER_REAR_UNIQUE';
  if (X > 0.84) return 'FENDER_FRONT_' + side;
  const rearEdge = Z >= 0.557 ? -1.02 : WHEEL.rear + Math.sqrt(Math.max(0, 0.36 * 0.36 - (Z - WHEEL.r) ** 2));
  if (X < rearEdge) return 'QUARTER_PANEL_' + side;
  if (Z < 0.44) return 'ROCKER_PANEL_' + side;
  if (Z > tab(BELT, X) + 0.02) return X > -0.2 ? 'PILLAR_A_' + side : 'PILLAR_' + side;
  return X > -0.2 ? 'DOOR_FRONT_' + side : 'DOOR_REAR_' + side;
}
function pick(cam, items, x, y) {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    const polys = it.polys2 ?? (it.poly2 ? [it.poly2] : null);
    if (!polys || it.fill === 'none') continue;
    if (!polys.some((p) => inPoly(x, y, p))) continue;
    if (it.tag === 'WHEEL_SPOKE_GAP') {
      // the spoke gaps belong to the rim they sit on: look further down
      continue;
    }
    if (it.face) {
      const d = norm(add(add(cam.F, mul(cam.Rt, (x - cam.cx) / cam.f)), mul(cam.Up, -(y - cam.cy) / cam.f)));
      const f = it.face, t = dot(sub(f.c, cam.C), f.n) / dot(d, f.n);
      const P = add(cam.C, mul(d, t));
      if (f.kind === 'mirror') return f.tag;
      return bodyPart(P, f);
    }
    return it.tag;
  }
  return 'BACKGROUND';
}

// ---------------------------------------------------------------------------------------------
const FRAMES = [];
const PAVE = { 1: [5, 'Front', 'photo-05-front'], 3: [11, 'Front_Right'], 5: [7, 'Right', 'photo-07-right'], 7: [12, 'Rear_Right'], 9: [8, 'Rear', 'photo-08-rear'], 11: [13, 'Rear_Left'], 13: [4, 'Left', 'photo-04-left'], 15: [10, 'Front_Left'] };
for (let k = 1; k <= 16; k++) FRAMES.push({ k, az: -(k - 1) * 22.5, pave: PAVE[k] });

function wheelCircle(cam, compName) {
  const w = WHEELS.find((q) => q.name === compName);
  if (!w) return null;
  const yo = w.s * (WHEEL.track + WHEEL.width / 2);
  const c = project(cam, [w.xc, yo, WHEEL.r]);
  const e = project(cam, [w.xc, yo, WHEEL.r + WHEEL.rim]);
  return [c[0], c[1], Math.abs(c[1] - e[1]) - 1.5];
}

function main() {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const pos = argv.filter((a) => !a.startsWith('--'));
  const outDir = pos[0] ? resolve(pos[0]) : join(ROOT, 'www/generated/photos');
  mkdirSync(outDir, { recursive: true });
  const write = (name, text) => {
    const p = join(outDir, name);
    writeFileSync(p, text);
    if (!process.argv.includes("--quiet")) console.log(`wrote ${relative(process.cwd(), p) || p} (${Buffer.byteLength(text)} bytes)`);
  };
  const report = [];
  const rendered = {};
  for (const fr of FRAMES) {
    const cam = fr.pave?.[2] ? camFor(fr.az) : fitCam(camFor(fr.az));
    const code = fr.pave?.[0];
    const dmg = (DAMAGES[code] ?? []).map(([px, py, comp, name]) => {
      const x = (px / 100) * cam.W, y = (py / 100) * cam.Hpx;
      const c = { _wheel: /^WHEEL_/.test(comp) ? wheelCircle(cam, comp) : null };
      return { px: x, py: y, comp: c, compName: comp, name, seed: Math.round(px * 1000 + py * 7919) };
    });
    const label = fr.pave ? `${fr.pave[1]} (PAVE photo code ${code})` : 'in-between view';
    const title = `Demo car, spin frame ${String(fr.k).padStart(2, '0')} of 16 (${-fr.az}° round by the right): ${label}`;
    const { svg, items } = render(cam, { title, damages: dmg });
    rendered[fr.k] = svg;
    write(`frame-${String(fr.k).padStart(2, '0')}.svg`, svg);
    if (check && DAMAGES[code]) {
      for (const d of dmg) {
        const found = pick(cam, items, d.px, d.py);
        // clearance: radius at which some neighbouring pixel shows another part
        let clear = 0;
        for (let r = 1; r <= 40; r++) {
          let same = true;
          for (let i = 0; i < 16 && same; i++) { const a = (i / 16) * Math.PI * 2; if (pick(cam, items, d.px + r * Math.cos(a), d.py + r * Math.sin(a)) !== found) same = false; }
          if (!same) break;
          clear = r;
        }
        report.push({ code, label: fr.pave[1], comp: d.compName, name: d.name, x: d.px, y: d.py, found, clear });
      }
    }
  }
  for (const [k, [, , name]] of Object.entries(PAVE).filter(([, v]) => v[2])) write(name + '.svg', rendered[k]);
  const tallCam = camFor(0, 900, 1200, { R: 7.6, H: 1.32, f: 1850, cx: 450, cy: 400 });
  write('tall-05-front.svg', render(tallCam, { title: 'Demo car, front, portrait 900×1200 (test picture of another aspect ratio; not matched to damage coordinates)', tint: TINT_TALL }).svg);

  if (check) {
    if (existsSync(FIXTURE)) {
      const fx = JSON.parse(readFileSync(FIXTURE, 'utf8'));
      for (const ph of fx.data) {
        const mine = DAMAGES[ph.photo_code] ?? [];
        const theirs = ph.inspection_data.map((d) => [d.coodrs.x, d.coodrs.y, d.component, d.damage_name]);
        if (JSON.stringify(mine) !== JSON.stringify(theirs)) console.log(`WARNING: embedded damages of photo ${ph.photo_code} differ from ${FIXTURE}`);
      }
    }
    let bad = 0;
    for (const r of report) {
      const ok = r.found.startsWith(r.comp) && (!/CURB_RASH/.test(r.name) || r.found.endsWith(' rim'));
      if (!ok) bad++;
      console.log(`${ok ? 'ok ' : 'BAD'} ${r.label.padEnd(6)} (${r.x.toFixed(0).padStart(4)},${r.y.toFixed(0).padStart(4)}) ${r.comp.padEnd(24)} -> ${r.found.padEnd(28)} clearance ${r.clear}px  ${r.name}`);
    }
    console.log(`${report.length - bad}/${report.length} damage points land on the named component (clearance: radius in px around the point showing the same part)`);
    for (const [k, [code, label, name]] of Object.entries(PAVE).filter(([, v]) => v[2])) {
      const dots = DAMAGES[code].map(([x, y, comp, dn], i) => `<div class="d" style="left:${x}%;top:${y}%" title="${comp} ${dn}"><span>${i + 1}</span></div>`).join('');
      const html = `<!doctype html><meta charset="utf-8"><title>check ${name}</title><style>body{margin:0;background:#222}.w{position:relative;display:inline-block}.w img{display:block}.d{position:absolute;width:6px;height:6px;margin:-3px 0 0 -3px;border-radius:50%;background:red;box-shadow:0 0 0 1px #fff}.d span{position:absolute;left:6px;top:-12px;font:11px sans-serif;color:#d00;background:#fffc;padding:0 2px}</style><div class="w"><img src="${name}.svg" alt="${label}">${dots}</div>\n`;
      write(`check-${name}.html`, html);
    }
    const cells = FRAMES.map((fr) => `<figure><img src="frame-${String(fr.k).padStart(2, '0')}.svg" width="300" height="225"><figcaption>${String(fr.k).padStart(2, '0')} ${fr.pave ? fr.pave[1] + ' (' + fr.pave[0] + ')' : ''}</figcaption></figure>`).join('');
    write('check-spin.html', `<!doctype html><meta charset="utf-8"><title>check spin</title><style>body{margin:0;background:#fff;display:flex;flex-wrap:wrap;width:1200px}figure{margin:0;width:300px;font:12px sans-serif}img{display:block}</style>${cells}<figure><img src="tall-05-front.svg" width="225" height="300"><figcaption>tall-05-front</figcaption></figure>\n`);
  }
}

main();
