// What the shipped wasm is made of: a names-preserving copy of the release build (wasm-bindgen
// --keep-debug on cargo's output, then wasm-opt with the release flags of Cargo.toml plus -g, so
// functions keep their names), read by twiggy. Custom sections (the names themselves, DWARF,
// producers) are left out of the percentages: they are not shipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { leb, nameMap, sections } from '../scripts/wasm-names.mjs';
import { clearDeadTableEntries } from '../scripts/wasm-table.mjs';

/** twiggy on PATH, installed with cargo when missing (quietly; a few minutes, once). */
export function ensureTwiggy(env, log) {
  const ok = () => spawnSync('twiggy', ['--version'], { env, stdio: 'ignore' }).status === 0;
  if (ok()) return;
  log('installing twiggy with cargo (a few minutes, once)');
  const locked = spawnSync('cargo', ['install', '--quiet', '--locked', 'twiggy'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (locked.status !== 0) {
    const loose = spawnSync('cargo', ['install', '--quiet', 'twiggy'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (loose.status !== 0) {
      const why = (r) => (r.error?.message ?? String(r.stderr ?? '')).trim();
      throw new Error(`cargo install twiggy failed: ${why(loose) || why(locked)}`);
    }
  }
  if (!ok()) throw new Error('twiggy was installed but is not on PATH ($HOME/.cargo/bin)');
}

/** The wasm-opt flags of the release profile ([package.metadata.wasm-pack.profile.release]). */
export function releaseWasmOptFlags(cargoToml) {
  const m = cargoToml.match(/\[package\.metadata\.wasm-pack\.profile\.release\][^[]*?wasm-opt\s*=\s*\[([^\]]*)\]/);
  if (!m) return ['-Oz'];
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
}

/** Builds the names-preserving wasm from cargo's output `targetWasm` into `dir`; returns its path. */
export function namedBuild({ root, targetWasm, dir, env }) {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'bindgen');
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', out, targetWasm], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const bg = join(out, basename(targetWasm).replace(/\.wasm$/, '_bg.wasm'));
  // As the build does (scripts/wasm-table.mjs), so that this is the shipped code.
  writeFileSync(bg, clearDeadTableEntries(readFileSync(bg)).wasm);
  const flags = releaseWasmOptFlags(readFileSync(join(root, 'Cargo.toml'), 'utf8'));
  const named = join(dir, 'pave-hotspots.names.wasm');
  execFileSync('wasm-opt', [...flags, '-g', bg, '-o', named], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return { named, flags };
}

const CUSTOM = 'custom sections (names, debug info)';
export const GROUPS = [
  'our crate (pave_hotspots)',
  'closure shims (wasm-bindgen generics, our callbacks inlined)',
  'core/alloc/std',
  'wasm-bindgen glue',
  'js-sys/web-sys',
  'serde*',
  'gloo*',
  'dlmalloc',
  'data segments',
  'imports/exports (entry points of the JS glue)',
  'types, tables, globals',
  'unnamed functions',
  'other',
];
const CRATE_GROUP = {
  pave_hotspots: GROUPS[0],
  core: GROUPS[2], alloc: GROUPS[2], std: GROUPS[2], compiler_builtins: GROUPS[2], __rustc: GROUPS[2],
  wasm_bindgen: GROUPS[3], wasm_bindgen_futures: GROUPS[3],
  js_sys: GROUPS[4], web_sys: GROUPS[4],
  serde: GROUPS[5], serde_core: GROUPS[5], serde_wasm_bindgen: GROUPS[5], serde_json: GROUPS[5],
  dlmalloc: GROUPS[7],
};

/** Which group a twiggy item belongs to (by the first crate its name mentions). */
export function classify(name) {
  if (/subsection$/.test(name) || name.startsWith('custom section') || name.startsWith('producers')) return CUSTOM;
  if (name.startsWith('data segment')) return 'data segments';
  // Our #[wasm_bindgen] methods: wasm-bindgen's shims with our code inlined into them.
  if (/^(engine_|__wbg_engine_)/.test(name)) return GROUPS[0];
  if (name.startsWith('wasm_bindgen::convert::closures')) return GROUPS[1];
  if (/^(import|export) /.test(name)) return GROUPS[9];
  if (/^(type|elem|table|global|memory)\[/.test(name)) return GROUPS[10];
  if (/^code\[\d+\]$/.test(name)) return GROUPS[11];
  if (/^(__wbindgen_|__externref_|__wbg_)/.test(name)) return GROUPS[3];
  const m = name.match(/(?<![A-Za-z0-9_])(pave_hotspots|wasm_bindgen_futures|wasm_bindgen|js_sys|web_sys|serde_wasm_bindgen|serde_core|serde_json|serde|gloo_[a-z_]+|dlmalloc|compiler_builtins|__rustc|core|alloc|std)(\[[0-9a-f]+\])?::/);
  if (m) return m[1].startsWith('gloo_') ? 'gloo*' : CRATE_GROUP[m[1]];
  // Primitive methods and compiler intrinsics: core.
  if (/^<(&)?(char|str|f32|f64|[iu](8|16|32|64|128|size)|bool)\b/.test(name) || /^(mem(cmp|cpy|set|move)|__[a-z]+[0-9]+|__powi)/.test(name)) return GROUPS[2];
  return 'other';
}

/** Runs twiggy and sums it up. */
export function twiggyReport({ named, shippedBytes, env, top = 25 }) {
  const json = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'json', named], { env, maxBuffer: 64 << 20 }).toString();
  const items = JSON.parse(json).filter((i) => typeof i.shallow_size === 'number' && !/^Σ|^\.\.\. and/.test(i.name));
  const file = readFileSync(named).length;
  const custom = items.filter((i) => classify(i.name) === CUSTOM).reduce((t, i) => t + i.shallow_size, 0);
  const body = items.filter((i) => classify(i.name) !== CUSTOM);
  const total = body.reduce((t, i) => t + i.shallow_size, 0);
  const groups = Object.fromEntries(GROUPS.map((g) => [g, { bytes: 0, items: 0 }]));
  for (const i of body) {
    const g = groups[classify(i.name)];
    g.bytes += i.shallow_size;
    g.items += 1;
  }
  const segments = dataSegments(readFileSync(named));
  return {
    file,
    custom,
    codeData: total,
    shippedBytes,
    top: body.slice(0, top).map((i) => ({
      name: i.name,
      bytes: i.shallow_size,
      percent: (i.shallow_size / total) * 100,
      group: classify(i.name),
      ...(i.name.startsWith('data segment') ? { looks: segments.get(i.name.match(/"(.*)"/)?.[1])?.looks } : {}),
    })),
    groups: Object.entries(groups).map(([name, g]) => ({ name, ...g, percent: (g.bytes / total) * 100 }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

// ---- Data segments: what is in them (twiggy only knows their size) ------------------------------

/** Data segments by name, with a one-line guess at their content. */
export function dataSegments(buf) {
  const all = [...sections(buf)].map(({ id, start, end }) => ({ id, start, size: end - start }));
  const names = nameMap(buf, 9);
  const out = new Map();
  for (const s of all.filter((x) => x.id === 11)) {
    let [count, j] = leb(buf, s.start);
    for (let idx = 0; idx < count; idx++) {
      let flags;
      [flags, j] = leb(buf, j);
      if (flags === 2) [, j] = leb(buf, j);
      if (flags !== 1) {
        while (buf[j] !== 0x0b) j++;
        j++;
      }
      let size;
      [size, j] = leb(buf, j);
      const data = buf.subarray(j, j + size);
      j += size;
      out.set(names.get(idx) ?? `data[${idx}]`, { size, looks: guess(data) });
    }
  }
  return out;
}

function guess(data) {
  let printable = 0;
  for (const b of data) if ((b >= 0x20 && b < 0x7f) || b === 0x0a) printable++;
  const text = printable / Math.max(1, data.length);
  // core::unicode's case tables are (u32 char, u32 char) pairs: 'À' → 'à' is one of the first.
  const pairs = Buffer.from([0xc0, 0, 0, 0, 0xe0, 0, 0, 0]);
  if (Buffer.from(data).indexOf(pairs) >= 0) return `binary; holds core::unicode case-conversion tables (char::to_lowercase/to_uppercase), ${Math.round(text * 100)} % printable`;
  const strings = (Buffer.from(data).toString('latin1').match(/[ -~]{8,}/g) ?? []).slice(0, 3).map((s) => JSON.stringify(s.slice(0, 28)));
  return `${Math.round(text * 100)} % printable${strings.length ? `, e.g. ${strings.join(' ')}` : ''}`;
}
