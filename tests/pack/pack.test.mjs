// The npm package as its users get it: `npm pack` of the built dist/ (run `node scripts/build.mjs`
// first), then
//   1. a dealer page that loads only the tarball's dist/pave-hotspots.js with a <script> tag, under
//      a strict Content-Security-Policy, twice;
//   2. a fresh Vite app that depends on the tarball (`vite build`, and the dev server with and
//      without the README's config);
//   3. a strict TypeScript consumer of the tarball's types (`tsc --noEmit`).
// Headless Debian Chromium through playwright-core; servers on 127.0.0.1 only.
// PAVE_PACK_KEEP=1 keeps the temporary directory (tarball, apps) for a look afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ROOT, closeBrowser, newPage, serve, settle, waitForEvent } from '../page/harness.mjs';

const run = promisify(execFile);
const FIXTURE = readFileSync(join(ROOT, 'tests', 'fixtures', 'pave', 'results-27-damages.json'), 'utf8');
const FRONT = JSON.parse(FIXTURE).data.find((p) => p.photo_code === 5).inspection_data;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const BIN = join(ROOT, 'node_modules', '.bin');

// What a published package holds, and nothing else.
const EXPECTED_FILES = [
  'LICENSE', 'README.md', 'custom-elements.json', 'package.json',
  'dist/index.d.ts', 'dist/index.js', 'dist/pave-hotspots.d.ts', 'dist/pave-hotspots.js', 'dist/pave-hotspots.wasm',
  'dist/react.d.ts',
];
const EXPORTS = ['HotspotOverlay', 'PaveHotspotsElement', 'defineElement', 'loadEngine'];

let tmp, tarball, pkgDir, photos;
const cleanups = [];

/** The environment for a child npm: without what `npm run`/`npm test` exported about this repo. */
function childEnv() {
  const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}` };
  for (const k of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)|^INIT_CWD$/.test(k)) delete env[k];
  }
  return env;
}

async function sh(file, args, cwd, timeout = 120_000) {
  try {
    return await run(file, args, { cwd, env: childEnv(), timeout, maxBuffer: 16 << 20 });
  } catch (error) {
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}\n${error.message}`);
  }
}

before(async () => {
  for (const f of ['pave-hotspots.js', 'index.js', 'pave-hotspots.wasm', 'index.d.ts']) {
    assert.ok(existsSync(join(ROOT, 'dist', f)), `dist/${f} is missing: run node scripts/build.mjs before the pack tests`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'pave-pack-'));
  photos = join(tmp, 'photos');
  await sh(process.execPath, [join(ROOT, 'scripts', 'gen-photos.mjs'), photos, '--quiet'], ROOT);
  // --ignore-scripts: pack exactly the dist/ that was built, never rebuild.
  const { stdout } = await sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, '--loglevel=error'], ROOT);
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  tarball = join(tmp, info.filename);
  mkdirSync(join(tmp, 'extract'));
  await sh('tar', ['-xzf', tarball, '-C', join(tmp, 'extract')], tmp);
  pkgDir = join(tmp, 'extract', 'package');
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await closeBrowser();
  if (tmp && process.env.PAVE_PACK_KEEP) console.log(`# kept ${tmp}`);
  else if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Visible marker boxes of the widget whose shadow root hangs on `selector`, and its image's box. */
function markerBoxes(page, selector, imageId) {
  return page.evaluate(([sel, id]) => {
    const host = document.querySelector(sel);
    const img = document.getElementById(id).getBoundingClientRect();
    const shown = (e) => !e.closest('[hidden]') && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; };
    return {
      image: { left: img.left, top: img.top, right: img.right, bottom: img.bottom },
      markers: [...host.shadowRoot.querySelectorAll('[part="marker"]')].filter(shown).map((m) => ({ index: Number(m.dataset.index), ...box(m) })),
      clusters: [...host.shadowRoot.querySelectorAll('[part="cluster"]')].filter(shown).length,
    };
  }, [selector, imageId]);
}

/**
 * Waits until the widget on `selector` shows markers over image `imageId`, then checks them: as
 * many as the Front photo has damages visible in the picture (all 10 here: object-fit fill, no
 * crop), each centre inside the image box and where PAVE's percentages put it.
 */
async function expectFrontMarkers(page, selector, imageId) {
  await page.waitForFunction(([sel, id]) => {
    const img = document.getElementById(id);
    const root = document.querySelector(sel)?.shadowRoot;
    return img?.complete && img.naturalWidth > 0 && root && [...root.querySelectorAll('[part="marker"]')].some((m) => !m.closest('[hidden]'));
  }, [selector, imageId], { timeout: 20_000 });
  await settle(page);
  await settle(page);
  const { image, markers, clusters } = await markerBoxes(page, selector, imageId);
  const width = image.right - image.left;
  const height = image.bottom - image.top;
  const expected = FRONT.filter((d) => d.coodrs.x >= 0 && d.coodrs.x <= 100 && d.coodrs.y >= 0 && d.coodrs.y <= 100);
  assert.equal(clusters, 0, `${selector}: no cluster at ${width}px wide`);
  assert.equal(markers.length, expected.length, `${selector}: ${markers.length} visible markers, want ${expected.length}`);
  const byPoint = [...markers];
  for (const d of expected) {
    const want = { x: image.left + (d.coodrs.x / 100) * width, y: image.top + (d.coodrs.y / 100) * height };
    const near = byPoint.findIndex((m) => Math.hypot(m.x - want.x, m.y - want.y) <= 1.5);
    assert.ok(near >= 0, `${selector}: a marker at ${d.component} (${want.x.toFixed(1)}, ${want.y.toFixed(1)}); got ${JSON.stringify(markers)}`);
    byPoint.splice(near, 1);
  }
  for (const m of markers) {
    assert.ok(m.x >= image.left && m.x <= image.right && m.y >= image.top && m.y <= image.bottom, `marker ${m.index} inside the image box`);
  }
}

const escapeAttr = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

test('npm pack holds only the package files, and every export target is in it', async () => {
  const { stdout } = await sh('tar', ['-tzf', tarball], tmp);
  const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  assert.deepEqual(files, [...EXPECTED_FILES].sort());
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const t of [...targets, pkg.module, pkg.main, pkg.types, pkg.customElements]) {
    assert.ok(existsSync(join(pkgDir, t)), `${t} (named in package.json) is in the tarball`);
  }
  assert.deepEqual(pkg.sideEffects, ['./dist/pave-hotspots.js']);
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.scripts?.prepack, undefined, 'no prepack: packing never rebuilds');
  // The bundles load the wasm next to themselves, by the name the package ships.
  for (const f of ['index.js', 'pave-hotspots.js']) {
    assert.match(readFileSync(join(pkgDir, 'dist', f), 'utf8'), /new URL\("pave-hotspots\.wasm",import\.meta\.url\)/, `${f} finds pave-hotspots.wasm by import.meta.url`);
  }
});

test('script tag: only the tarball\'s dist/pave-hotspots.js, under a strict CSP, loaded twice', async () => {
  const requests = [];
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'";
  const server = await serve({
    mounts: { '/vendor/pave-hotspots/': join(pkgDir, 'dist'), '/photos/': photos },
    headers: { 'content-security-policy': csp },
    handler: (req, res, url) => {
      requests.push(url.pathname);
      if (url.pathname === '/probe.js') {
        // An external module (inline scripts are blocked by the CSP): what each entry exports,
        // and whether importing the npm entry defines anything.
        res.writeHead(200, { 'content-type': 'text/javascript', 'content-security-policy': csp });
        res.end(`const before = !!customElements.get('pave-hotspots');
const npm = await import('/vendor/pave-hotspots/index.js');
window.__probe = { before, after: !!customElements.get('pave-hotspots'), npm: Object.keys(npm).sort() };
const tag = await import('/vendor/pave-hotspots/pave-hotspots.js?third');
window.__probe.tag = Object.keys(tag).sort();
window.__probe.defined = !!customElements.get('pave-hotspots');
window.__probe.again = npm.defineElement() === customElements.get('pave-hotspots');`);
        return true;
      }
      return false;
    },
    pages: {
      '/dealer.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dealer</title></head><body>
<img id="spin" src="/photos/frame-01.svg" width="960" height="720" alt="2009 BMW 3 Series, front">
<pave-hotspots for="spin" photo="5" results="${escapeAttr(FIXTURE)}"></pave-hotspots>
<script type="module" src="/vendor/pave-hotspots/pave-hotspots.js"></script>
<script type="module" src="/vendor/pave-hotspots/pave-hotspots.js"></script>
<script type="module" src="/vendor/pave-hotspots/pave-hotspots.js?again"></script>
</body></html>`,
      '/probe.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head><body><script type="module" src="/probe.js"></script></body></html>',
    },
  });
  cleanups.push(() => server.close());
  const page = await newPage();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${server.url}/dealer.html`);
  const load = await waitForEvent(page, 'pave-load', () => true, 20_000);
  assert.equal(load.damages.length, 27);
  assert.equal(load.skipped.length, 0);
  await expectFrontMarkers(page, 'pave-hotspots', 'spin');
  assert.equal(await page.evaluate(() => document.querySelector('pave-hotspots').state), 'ready');
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
  assert.deepEqual(page.errors(), [], 'loading the script twice throws nothing');
  assert.ok(requests.includes('/vendor/pave-hotspots/pave-hotspots.wasm'), 'the wasm came from next to the script');
  assert.deepEqual(requests.filter((p) => p.startsWith('/dist/') || p.startsWith('/node_modules/')), [], 'nothing but the tarball was used');

  await page.goto(`${server.url}/probe.html`);
  await page.waitForFunction(() => window.__probe?.again !== undefined, null, { timeout: 10_000 });
  const probe = await page.evaluate(() => window.__probe);
  assert.deepEqual(probe, { before: false, after: false, npm: EXPORTS, tag: EXPORTS, defined: true, again: true },
    'index.js defines nothing on import; both entries export the same names');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('Vite: a fresh app depending on the tarball, built and in dev', async () => {
  const app = join(tmp, 'vite-app');
  mkdirSync(join(app, 'public'), { recursive: true });
  cpSync(join(photos, 'frame-01.svg'), join(app, 'public', 'frame-01.svg'));
  writeFileSync(join(app, 'results.json'), FIXTURE);
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'spin-provider-app', private: true, type: 'module',
    dependencies: { 'pave-hotspots': `file:${tarball}` },
    devDependencies: { vite: PKG.devDependencies.vite },
  }, null, 2));
  writeFileSync(join(app, 'vite.config.js'), `import { defineConfig } from 'vite';

export default defineConfig({
  // pave-hotspots loads its .wasm with new URL('pave-hotspots.wasm', import.meta.url). Vite 8 handles
  // that in build and dev; Vite 7 and older move pre-bundled deps away from the .wasm file in dev,
  // so keep the package out of pre-bundling (harmless on Vite 8).
  optimizeDeps: { exclude: ['pave-hotspots'] },
});
`);
  writeFileSync(join(app, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>spin</title></head><body>
<img id="frame" src="/frame-01.svg" width="900" height="675" alt="Front">
<pave-hotspots for="frame" photo="5"></pave-hotspots>
<img id="other" src="/frame-01.svg" width="900" height="675" alt="Front again">
<script type="module" src="/main.js"></script>
</body></html>
`);
  writeFileSync(join(app, 'main.js'), `import { defineElement, HotspotOverlay } from 'pave-hotspots';
import results from './results.json';

defineElement();
document.querySelector('pave-hotspots').results = results;

const overlay = HotspotOverlay.attach(document.getElementById('other'), { results, photo: 5 });
overlay.element.id = 'attached';
overlay.addEventListener('pave-load', (event) => { window.attachedDamages = event.detail.damages.length; });
`);
  await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
  await sh(process.execPath, [join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], app);
  const assets = readdirSync(join(app, 'dist', 'assets'));
  assert.ok(assets.some((f) => /^pave-hotspots-[\w-]+\.wasm$/.test(f)), `vite build emitted the wasm as an asset: ${assets}`);

  const check = async (url, what) => {
    const page = await newPage();
    await page.goto(url);
    await expectFrontMarkers(page, 'pave-hotspots', 'frame');
    await expectFrontMarkers(page, '#attached', 'other');
    assert.equal(await page.evaluate(() => window.attachedDamages), 27, `${what}: attach() fired pave-load`);
    assert.deepEqual(page.errors(), [], what);
    await page.closeAll();
  };

  const built = await serve({ mounts: { '/': join(app, 'dist') } });
  cleanups.push(() => built.close());
  await check(`${built.url}/index.html`, 'vite build');

  // Dev server: with the config above, and with none at all (Vite's defaults, pre-bundling on).
  const vitePkg = JSON.parse(readFileSync(join(app, 'node_modules', 'vite', 'package.json'), 'utf8'));
  const exp = vitePkg.exports['.'];
  const entry = typeof exp === 'string' ? exp : exp.import?.default ?? exp.import ?? exp.default;
  const { createServer } = await import(pathToFileURL(join(app, 'node_modules', 'vite', entry)).href);
  for (const configFile of [join(app, 'vite.config.js'), false]) {
    const dev = await createServer({
      root: app, configFile, logLevel: 'silent', clearScreen: false,
      cacheDir: join(app, 'node_modules', configFile ? '.vite-config' : '.vite-default'),
      server: { host: '127.0.0.1', port: 0, strictPort: false, watch: null },
    });
    await dev.listen();
    cleanups.push(() => dev.close());
    const { port } = dev.httpServer.address();
    await check(`http://127.0.0.1:${port}/`, configFile ? 'vite dev (README config)' : 'vite dev (no config)');
    await dev.close();
  }
});

test('esbuild: a bundle in its default browser format (IIFE, no import.meta) finds the wasm beside the script; where there is none, the error says what to do', async () => {
  const { build } = await import('esbuild');
  const app = join(tmp, 'esbuild-app');
  mkdirSync(join(app, 'out'), { recursive: true });
  cpSync(join(photos, 'frame-01.svg'), join(app, 'out', 'frame-01.svg'));
  writeFileSync(join(app, 'main.js'), `import { defineElement } from ${JSON.stringify(join(pkgDir, 'dist', 'index.js'))};
defineElement();
document.querySelector('pave-hotspots').results = ${FIXTURE};
`);
  // (esbuild's default for a browser bundle: an IIFE, where import.meta is {}.)
  await build({ entryPoints: [join(app, 'main.js')], bundle: true, outfile: join(app, 'out', 'js', 'app.js'), logLevel: 'error' });
  writeFileSync(join(app, 'out', 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>spin</title></head><body>
<img id="frame" src="/frame-01.svg" width="900" height="675" alt="Front">
<pave-hotspots for="frame" photo="5"></pave-hotspots>
<script src="/js/app.js"></script>
</body></html>
`);
  const site = await serve({ mounts: { '/': join(app, 'out') } });
  cleanups.push(() => site.close());
  // Without the wasm beside the script: a network error naming the file.
  let page = await newPage();
  await page.goto(`${site.url}/index.html`);
  const error = await waitForEvent(page, 'pave-error');
  assert.equal(error.kind, 'network');
  assert.match(error.message, /\/js\/pave-hotspots\.wasm/, `the error names the file: ${error.message}`);
  await page.closeAll();
  // With it (the README's advice): markers.
  cpSync(join(pkgDir, 'dist', 'pave-hotspots.wasm'), join(app, 'out', 'js', 'pave-hotspots.wasm'));
  page = await newPage();
  await page.goto(`${site.url}/index.html`);
  await expectFrontMarkers(page, 'pave-hotspots', 'frame');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('TypeScript: a strict consumer of the tarball\'s types', async () => {
  const dir = join(tmp, 'ts');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(pkgDir, join(dir, 'node_modules', 'pave-hotspots'), 'dir');
  writeFileSync(join(dir, 'results.json'), FIXTURE);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
  const base = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [],
    skipLibCheck: false, skipDefaultLibCheck: true, exactOptionalPropertyTypes: true, noImplicitOverride: true, noUncheckedIndexedAccess: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { ...base, module: 'ESNext', moduleResolution: 'bundler', resolveJsonModule: true },
    files: ['app.ts'],
  }));
  writeFileSync(join(dir, 'tsconfig.node.json'), JSON.stringify({
    compilerOptions: { ...base, module: 'NodeNext', moduleResolution: 'NodeNext' },
    files: ['both.mts'],
  }));
  writeFileSync(join(dir, 'app.ts'), `import { HotspotOverlay, PaveHotspotsElement, defineElement, loadEngine } from 'pave-hotspots';
import type { AttachedOverlay, PaveDamage, PaveDamageGroup, PaveHotspotsResponse, PaveOpenDetail, PaveState } from 'pave-hotspots';
import results from './results.json';

const Element = defineElement();
// The class defined is a subclass: it is the one \`new\` makes (PaveHotspotsElement throws "Illegal constructor").
const made: PaveHotspotsElement = new Element();
// @ts-expect-error PaveHotspotsElement is abstract
new PaveHotspotsElement();
customElements.define('my-hotspots', class extends PaveHotspotsElement {});
console.log(made instanceof PaveHotspotsElement, Element.observedAttributes.length);
const spin = document.querySelector<HTMLImageElement>('#spin');
const el = document.querySelector('pave-hotspots');
if (el && spin) {
  const same: InstanceType<typeof Element> = el;
  el.results = results;
  el.photoMap = { 'frame-01.jpg': 5, 'frame-05.jpg': 'Right' };
  el.photoMap = new Map([['https://cdn.example/spin/frame-09.jpg', 8]]);
  el.lang = 'fr';
  el.setAttribute('list', 'open');
  el.addEventListener('pave-open', (event) => {
    const detail: PaveOpenDetail = event.detail;
    const damage: PaveDamage = detail.damage;
    const group: PaveDamageGroup = damage.group;
    console.log(damage.componentText, damage.x.toFixed(2), group, detail.photoCode ?? 'none', same.state);
  });
  el.addEventListener('pave-photo-request', ({ detail }) => {
    spin.src = \`/spin/frame-\${String(detail.photoCode).padStart(2, '0')}.jpg\`;
  });
  el.addEventListener('pave-error', (event) => {
    if (event.detail.kind === 'not-found') console.log(event.detail.status?.toFixed(0), event.detail.message);
  });
  el.addEventListener('click', (event: MouseEvent) => console.log(event.clientX));
  const state: PaveState = el.state;
  const point = el.toPixels(50, 25);
  if (point) console.log(point.x + point.y, state);
  el.open(0);
  el.next();
  el.previous();
  el.close();
  el.reload();
  // @ts-expect-error open() takes a damage index
  el.open('3');
  // @ts-expect-error state is read-only
  el.state = 'ready';
  // @ts-expect-error a damage has no colour
  el.addEventListener('pave-open', (event) => event.detail.damage.colour);
  // @ts-expect-error severity is unknown | minor | medium | major
  el.addEventListener('pave-open', (event) => event.detail.damage.severity === 'critical');
}
document.addEventListener('pave-load', (event) => event.detail.photos.map((p) => \`\${p.label}: \${p.damages}\`));
document.body.addEventListener('pave-state', (event) => console.log(event.detail.state));

const canvas = document.createElement('canvas');
const overlay: AttachedOverlay = HotspotOverlay.attach(canvas, { results, photo: 5, lang: 'fr-CA', list: 'open', timeout: 5000, pollTimeout: 60000, container: document.body });
void overlay.ready.then(() => overlay.open(0));
overlay.setPhoto('Front');
overlay.setPhoto(7);
overlay.setPhoto(null);
overlay.setPhotoMap({ 'frame-01.jpg': 5 });
overlay.setResults(JSON.stringify(results));
overlay.setSrc('/pave/hotspots/UDB-512D3TASIY');
overlay.addEventListener('pave-close', (event) => console.log(event.detail.index, overlay.state));
const host: HTMLDivElement = overlay.element;
console.log(host.shadowRoot?.querySelectorAll('[part="marker"]').length, overlay.toPixels(1, 2)?.y);
overlay.destroy();
HotspotOverlay.attach(document.createElement('video'), { src: '/pave/hotspots/UDB-512D3TASIY', wasmUrl: new URL('https://cdn.example/pave-hotspots.wasm') });
// @ts-expect-error photo takes a code or a label
HotspotOverlay.attach(canvas, { results, photo: true });
// @ts-expect-error list is open, closed or none
HotspotOverlay.attach(canvas, { results, list: 'hidden' });
// @ts-expect-error the target is an element, not a selector
HotspotOverlay.attach('#spin', { results });
// Options are optional: the data may come later.
HotspotOverlay.attach(canvas).setSrc('/pave/hotspots/UDB-512D3TASIY');
// @ts-expect-error headingLevel is a number (the runtime throws a TypeError for '2')
HotspotOverlay.attach(canvas, { results, headingLevel: '2' });
void loadEngine('/static/pave-hotspots.wasm');
const inline: PaveHotspotsResponse = { success: true, data: [{ photo_code: '5', inspection_data: [{ damage_group: 'BODY', coodrs: { x: 10, y: '20' } }] }] };
// @ts-expect-error data is a list of photos
const wrong: PaveHotspotsResponse = { data: { photo_code: 5 } };
console.log(inline, wrong);
`);
  writeFileSync(join(dir, 'both.mts'), `import { HotspotOverlay, type PaveLoadDetail, type PaveHotspotsElement } from 'pave-hotspots';
import * as tag from 'pave-hotspots/pave-hotspots.js';

// Both entries' types in one program (dist/index.d.ts and dist/pave-hotspots.d.ts): no conflict.
tag.defineElement('car-hotspots');
const el = document.createElement('pave-hotspots');
const viaTag: tag.PaveHotspotsElement = el;
const viaNpm: PaveHotspotsElement = viaTag;
viaNpm.open(0);
el.addEventListener('pave-load', (event) => { const d: PaveLoadDetail = event.detail; console.log(d.skipped.map((s) => s.path + s.reason)); });
const o = HotspotOverlay.attach(el, { results: '{}' });
const t = tag.HotspotOverlay.attach(el, { src: '/x' });
console.log(o.state === t.state, el instanceof tag.PaveHotspotsElement);
`);
  await sh(join(BIN, 'tsc'), ['-p', 'tsconfig.json'], dir);
  await sh(join(BIN, 'tsc'), ['-p', 'tsconfig.node.json'], dir);
  // Each entry resolved to its own declaration file in the tarball.
  const { stdout } = await sh(join(BIN, 'tsc'), ['-p', 'tsconfig.node.json', '--listFilesOnly'], dir);
  for (const f of ['index.d.ts', 'pave-hotspots.d.ts']) {
    assert.ok(stdout.split('\n').some((l) => l.startsWith(pkgDir) && l.endsWith(`/dist/${f}`)), `tsc read the tarball's dist/${f}:\n${stdout}`);
  }

  // React + TypeScript: <pave-hotspots> in JSX with 'pave-hotspots/react' (React 19's types).
  for (const dep of ['@types/react', 'csstype']) {
    mkdirSync(dirname(join(dir, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(dir, 'tsconfig.react.json'), JSON.stringify({
    // (preserveSymlinks: 'react' is found from the app's node_modules, where an install puts the
    // package, not from the extracted tarball the link points to.)
    compilerOptions: { ...base, module: 'ESNext', moduleResolution: 'bundler', resolveJsonModule: true, jsx: 'react-jsx', preserveSymlinks: true },
    files: ['app.tsx'],
  }));
  writeFileSync(join(dir, 'app.tsx'), `import type {} from 'pave-hotspots/react';
import type { PaveHotspotsElement, PaveOpenDetail } from 'pave-hotspots';
import results from './results.json';

export function Card({ frame }: { frame: string }) {
  return (
    <pave-hotspots
      for="spin"
      results={results}
      photoMap={{ 'frame-01.jpg': 5, [frame]: 'Right' }}
      lang="fr"
      list="open"
      poll-timeout={60000}
      className="damage"
      style={{ maxWidth: 600 }}
      onpave-open={(event) => { const d: PaveOpenDetail = event.detail; console.log(d.damage.componentText); }}
      onpave-photo-request={({ detail }) => console.log(detail.photoCode)}
      ref={(el: PaveHotspotsElement | null) => { el?.open(0); }}
    />
  );
}
// @ts-expect-error a language the element doesn't have
export const wrongLang = <pave-hotspots lang="it" />;
// @ts-expect-error list takes open, closed or none
export const wrongList = <pave-hotspots list="yes" />;
// @ts-expect-error results is PAVE's JSON
export const wrongResults = <pave-hotspots results={{ data: 5 }} />;
`);
  await sh(join(BIN, 'tsc'), ['-p', 'tsconfig.react.json'], dir);
  // The same, and the script-tag entry's types, under the older resolution that reads no
  // `exports` (\`moduleResolution: node10\`, \`module: commonjs\`'s default): through
  // \`typesVersions\`.
  writeFileSync(join(dir, 'tsconfig.node10.json'), JSON.stringify({
    compilerOptions: { ...base, module: 'CommonJS', moduleResolution: 'node10', resolveJsonModule: true, esModuleInterop: true, jsx: 'react-jsx', preserveSymlinks: true },
    files: ['app.tsx', 'tag.ts'],
  }));
  writeFileSync(join(dir, 'tag.ts'), `import { defineElement, type PaveHotspotsElement } from 'pave-hotspots/pave-hotspots.js';
const Tag = defineElement('tag-hotspots');
const el: PaveHotspotsElement = new Tag();
el.open(0);
`);
  await sh(join(BIN, 'tsc'), ['-p', 'tsconfig.node10.json'], dir);
});
