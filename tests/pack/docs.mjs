// The README's reference tables (attributes, CSS parts, CSS custom properties) are generated from
// custom-elements.json, so the two cannot drift apart. manifest.test.mjs checks them;
//   node tests/pack/docs.mjs --write
// rewrites them in README.md between the <!-- pave:NAME --> … <!-- /pave:NAME --> markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function readManifest() {
  return JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'));
}

/** The `<pave-hotspots>` declaration of the manifest. */
export function elementOf(manifest) {
  for (const m of manifest.modules ?? []) {
    for (const d of m.declarations ?? []) if (d.customElement && d.tagName === 'pave-hotspots') return d;
  }
  throw new Error('custom-elements.json declares no <pave-hotspots>');
}

const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (s) => (s === undefined || s === '' ? '' : '`' + String(s).replaceAll('|', '\\|') + '`');

/** Markdown tables by marker name. */
export function tables(manifest = readManifest()) {
  const el = elementOf(manifest);
  return {
    attributes: [
      '| attribute | type | default | meaning |',
      '|---|---|---|---|',
      ...el.attributes.map((a) => `| ${code(a.name)} | ${code(a.type?.text)} | ${code(a.default)} | ${cell(a.description)} |`),
    ].join('\n'),
    'css-parts': [
      '| part | what it is |',
      '|---|---|',
      ...el.cssParts.map((p) => `| ${code(p.name)} | ${cell(p.description)} |`),
    ].join('\n'),
    'css-properties': [
      '| custom property | default | what it sets |',
      '|---|---|---|',
      ...el.cssProperties.map((p) => `| ${code(p.name)} | ${code(p.default)} | ${cell(p.description)} |`),
    ].join('\n'),
  };
}

/** The README text with every marked table regenerated. Throws when a marker pair is missing. */
export function renderReadme(readme, manifest = readManifest()) {
  let out = readme;
  for (const [name, table] of Object.entries(tables(manifest))) {
    const open = `<!-- pave:${name} -->`;
    const close = `<!-- /pave:${name} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${open} … ${close}`);
    out = out.slice(0, a + open.length) + '\n' + table + '\n' + out.slice(b);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(ROOT, 'README.md');
  const before = readFileSync(path, 'utf8');
  const after = renderReadme(before);
  if (process.argv.includes('--write')) {
    writeFileSync(path, after);
    console.log(before === after ? 'README.md tables already up to date' : 'README.md tables rewritten');
  } else {
    console.log(Object.values(tables()).join('\n\n'));
  }
}
