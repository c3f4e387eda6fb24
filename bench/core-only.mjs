// The design's floor (bench/core-only): src/core alone, built like the shipped wasm (the release
// profile, wasm-bindgen, wasm-opt with the release flags) and exported to JS, with no DOM layer,
// no words, no styles. Two variants: geometry + layout, and the same with the results reader.
// What a widget built on this core would download at the least, for issue 9's 16 KB aim.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseWasmOptFlags } from './twiggy.mjs';

export const VARIANTS = [
  { name: 'geometry + layout', features: [] },
  { name: 'geometry + layout + results reader', features: ['parser'] },
];

/** Builds each variant into `dir`; returns [{ name, features, js, wasm }], sizes as `compress` gives them. */
export function coreOnlySizes({ root, dir, env, compress }) {
  const flags = releaseWasmOptFlags(readFileSync(join(root, 'Cargo.toml'), 'utf8'));
  const targetDir = join(root, 'target', 'core-only');
  const built = join(targetDir, 'wasm32-unknown-unknown', 'release', 'pave_core_only.wasm');
  const run = (cmd, args, extra = {}) => execFileSync(cmd, args, { cwd: root, env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
  return VARIANTS.map((v, i) => {
    run('cargo', ['build', '--quiet', '--locked', '--release', '--target', 'wasm32-unknown-unknown',
      '--manifest-path', join(root, 'bench', 'core-only', 'Cargo.toml'), ...(v.features.length ? ['--features', v.features.join(',')] : [])],
    { CARGO_TARGET_DIR: targetDir });
    const out = join(dir, String(i));
    run('wasm-bindgen', ['--target', 'web', '--out-dir', out, built]);
    const wasm = join(out, 'pave_core_only_bg.wasm');
    run('wasm-opt', [...flags, wasm, '-o', wasm]);
    return { name: v.name, features: v.features, js: compress(readFileSync(join(out, 'pave_core_only.js'))), wasm: compress(readFileSync(wasm)) };
  });
}
