// custom-elements.json (and the README tables made from it, and the types) must say what the code
// does: every --pave-* property of src/dom/style.css with its default, every attribute js/element.js
// observes, every part and event the engine makes, every method of the element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readManifest, elementOf, renderReadme } from './docs.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const manifest = readManifest();
const el = elementOf(manifest);
const sorted = (xs) => [...new Set(xs)].sort();
const names = (xs) => sorted(xs.map((x) => x.name));
const dts = read('js', 'index.d.ts');

/** `var(--pave-x, DEFAULT)` → { name: Set of defaults } (balanced parentheses; null when none). */
function cssVars(css) {
  const out = new Map();
  const re = /var\(\s*(--pave-[a-z0-9-]+)\s*(,)?/g;
  for (let m; (m = re.exec(css));) {
    let def = null;
    if (m[2]) {
      let i = re.lastIndex;
      const start = i;
      for (let depth = 0; i < css.length; i++) {
        if (css[i] === '(') depth++;
        else if (css[i] === ')') { if (depth === 0) break; depth--; }
      }
      def = css.slice(start, i).replace(/\s+/g, ' ').trim();
    }
    if (!out.has(m[1])) out.set(m[1], new Set());
    out.get(m[1]).add(def);
  }
  return out;
}

test('manifest: schema 2.x, one <pave-hotspots>, a custom-element-definition export', () => {
  assert.match(manifest.schemaVersion, /^2\.\d+\.\d+$/);
  const defs = manifest.modules.flatMap((m) => (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => ({ ...e, path: m.path })));
  assert.deepEqual(defs.map((d) => [d.path, d.name]), [['dist/pave-hotspots.js', 'pave-hotspots']]);
  const pkg = JSON.parse(read('package.json'));
  assert.equal(pkg.customElements, 'custom-elements.json');
  for (const m of manifest.modules) assert.ok(pkg.files.some((f) => f === m.path || (f.includes('*') && new RegExp('^' + f.replace('.', '\\.').replace('*', '[^/]+') + '$').test(m.path))), `${m.path} is in package.json "files"`);
});

test('manifest: every --pave-* custom property of src/dom/style.css, with its default, and no other', () => {
  const css = read('src', 'dom', 'style.css');
  const inCss = sorted(css.match(/--pave-[a-z0-9-]+/g) ?? []);
  assert.ok(inCss.length >= 20, `style.css names ${inCss.length} --pave-* properties`);
  assert.deepEqual(names(el.cssProperties), inCss, 'custom-elements.json cssProperties vs the --pave-* names in src/dom/style.css');
  const vars = cssVars(css);
  for (const p of el.cssProperties) {
    let defaults = [...(vars.get(p.name) ?? [])];
    // A colour that follows the page's scheme: its light default, and `light-dark(LIGHT, DARK)`
    // in the @supports block (browsers without light-dark() keep the first). The manifest names
    // the light-dark() one.
    const scheme = defaults.filter((d) => d?.startsWith('light-dark('));
    if (scheme.length === 1 && defaults.length === 2) {
      const light = defaults.find((d) => d !== scheme[0]);
      assert.ok(scheme[0].startsWith(`light-dark(${light}, `), `${p.name}: light-dark() starts with the light default ${light} (${scheme[0]})`);
      defaults = scheme;
    }
    assert.equal(defaults.length, 1, `${p.name} has one default in style.css (found ${JSON.stringify(defaults)})`);
    assert.equal(p.default, defaults[0], `${p.name}: the manifest's default vs style.css`);
    assert.ok(p.description?.length > 10, `${p.name} has a description`);
  }
});

test('manifest: the attributes js/element.js observes, and no other', () => {
  const js = read('js', 'element.js');
  const list = js.match(/const ATTRIBUTES = \[([^\]]*)\]/);
  assert.ok(list, 'js/element.js declares const ATTRIBUTES = [...]');
  const observed = sorted([...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]));
  assert.ok(observed.length >= 8);
  assert.deepEqual(names(el.attributes), observed);
  for (const a of el.attributes) assert.ok(a.description && a.type?.text, `${a.name} has a type and a description`);
});

test('manifest: the parts the engine sets in src/dom and js/markers.js (which builds its elements), and no other', () => {
  const dir = join(ROOT, 'src', 'dom');
  const rust = readdirSync(dir).filter((f) => f.endsWith('.rs')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const js = read('js', 'markers.js');
  const parts = sorted([
    ...[...rust.matchAll(/\("part",\s*"([a-z-]+)"\)|set_attribute\("part",\s*"([a-z-]+)"\)/g)].map((m) => m[1] ?? m[2]),
    ...[...js.matchAll(/\bpart: '([a-z-]+)'/g)].map((m) => m[1]),
  ]);
  assert.ok(parts.includes('marker') && parts.includes('popover'), `found parts ${parts}`);
  assert.deepEqual(names(el.cssParts), parts);
  for (const p of parts) assert.match(dts, new RegExp(`@csspart ${p} - `), `index.d.ts documents part ${p}`);
});

test('manifest and types: the events the engine and the shell dispatch, and no other', () => {
  const rust = read('src', 'dom', 'widget.rs');
  const js = ['element.js', 'overlay.js', 'engine.js'].map((f) => read('js', f)).join('\n');
  const fired = sorted([
    // Events go out through Effect::Dispatch("pave-…") or damage_event("pave-…", i).
    ...[...rust.matchAll(/(?:Dispatch|damage_event)\(\s*"(pave-[a-z-]+)"/g)].map((m) => m[1]),
    ...[...js.matchAll(/new CustomEvent\(\s*'(pave-[a-z-]+)'/g)].map((m) => m[1]),
  ]);
  assert.ok(fired.length >= 6, `found events ${fired}`);
  assert.deepEqual(names(el.events), fired);
  const map = dts.match(/export interface PaveHotspotsEventMap \{([^}]*)\}/);
  assert.ok(map, 'index.d.ts has PaveHotspotsEventMap');
  assert.deepEqual(sorted([...map[1].matchAll(/'(pave-[a-z-]+)'/g)].map((m) => m[1])), fired);
  for (const e of el.events) assert.match(e.type.text, /^CustomEvent<Pave\w+Detail>$/);
  for (const e of fired) assert.match(dts, new RegExp(`@fires ${e} - `), `index.d.ts documents ${e}`);
});

test('manifest and types: the methods and properties of the element class', () => {
  const js = read('js', 'element.js');
  const body = js.slice(js.indexOf('export class PaveHotspotsElement'), js.indexOf('export function defineElement'));
  const lifecycle = new Set(['connectedCallback', 'disconnectedCallback', 'attributeChangedCallback', 'constructor']);
  const methods = sorted([...body.matchAll(/^ {2}([a-zA-Z]\w*)\([^)]*\)\s*\{/gm)].map((m) => m[1]).filter((n) => !lifecycle.has(n)));
  const props = sorted([...body.matchAll(/^ {2}get ([a-zA-Z]\w*)\(\)/gm)].map((m) => m[1]));
  assert.deepEqual(names(el.members.filter((m) => m.kind === 'method')), methods);
  assert.deepEqual(names(el.members.filter((m) => m.kind === 'field')), props);
  for (const n of [...methods, ...props]) assert.match(dts, new RegExp(`\\n  (get |readonly )?${n}[(:]`), `index.d.ts declares ${n}`);
});

test('README: the attribute, part and custom-property tables are the ones custom-elements.json makes', () => {
  const readme = read('README.md');
  let expected;
  try {
    expected = renderReadme(readme, manifest);
  } catch (error) {
    assert.fail(`${error.message}: keep the marked tables in README.md (regenerate with node tests/pack/docs.mjs --write)`);
  }
  assert.ok(expected === readme, 'README.md tables are stale: run node tests/pack/docs.mjs --write');
});
