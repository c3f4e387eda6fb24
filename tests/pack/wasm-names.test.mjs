// scripts/wasm-names.mjs: the import/module/export renaming the build does, on a module made for
// the test (every import kind, several exports, a snippet's module) and on the shipped dist/ files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shortenWasmNames, renameInGlue, checkGlue } from '../../scripts/wasm-names.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GLUE = './pave_hotspots_bg.js';
const SNIPPET = './snippets/crate-0123456789abcdef/js/markers.js';
const renameModule = (m) => m.startsWith('./snippets/');

const WAT = `(module
  (import "${GLUE}" "__wbg_setAttribute_f75317b2b5cabfb4" (func $set (param i32 i32)))
  (import "${GLUE}" "__wbg_log_0123456789abcdef" (func $log (param i32) (result i32)))
  (import "other" "keep_me" (func $keep))
  (import "${SNIPPET}" "rove" (func $rove))
  (import "${GLUE}" "table" (table 2 externref))
  (import "${GLUE}" "mem" (memory 1 2))
  (import "${GLUE}" "g" (global i32))
  (func (export "engine_new") (result i32) (call $set (i32.const 1) (i32.const 2)) (call $log (global.get 0)))
  (func (export "wasm_bindgen__convert__closures_____invoke__hab9af47df52f52c7") (call $keep) (call $rove))
  (export "memory" (memory 0)))`;

function assemble() {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-names-'));
  writeFileSync(join(dir, 'm.wat'), WAT);
  execFileSync(join(root, 'node_modules', '.bin', 'wasm-as'), ['--enable-reference-types', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
  return readFileSync(join(dir, 'm.wasm'));
}

test('function imports of the glue module and every export but memory get short names, the glue module and snippets too; the rest is untouched', async () => {
  const before = assemble();
  const { wasm, imports, exports, modules } = shortenWasmNames(before, { module: GLUE, renameExport: (n) => n !== 'memory', renameModule });
  const mod = new WebAssembly.Module(wasm);
  // Same imports in the same order (binaryen chose it), only the glue module's functions and
  // the glue's and snippets' modules renamed.
  const original = WebAssembly.Module.imports(new WebAssembly.Module(before));
  assert.equal(original.length, 7);
  assert.deepEqual(WebAssembly.Module.imports(mod), original.map((i) => ({
    ...i,
    module: modules.get(i.module) ?? i.module,
    name: i.module === GLUE && i.kind === 'function' ? imports.get(i.name) : i.name,
  })));
  assert.deepEqual([...modules], [[GLUE, ''], [SNIPPET, '1']]);
  assert.deepEqual([...imports.values()].sort(), ['_0', '_1']);
  assert.deepEqual(WebAssembly.Module.imports(mod).filter((i) => i.kind !== 'function').map((i) => i.name).sort(), ['g', 'mem', 'table']);
  assert.deepEqual(WebAssembly.Module.exports(mod).map((e) => e.name), ['$0', '$1', 'memory']);
  assert.equal(exports.get('engine_new'), '$0');
  // Same code: the renamed module still runs.
  const calls = [];
  const { instance } = await WebAssembly.instantiate(wasm, {
    '': {
      [imports.get('__wbg_setAttribute_f75317b2b5cabfb4')]: (a, b) => calls.push([a, b]),
      [imports.get('__wbg_log_0123456789abcdef')]: (x) => x + 40,
      table: new WebAssembly.Table({ initial: 2, element: 'externref' }),
      mem: new WebAssembly.Memory({ initial: 1, maximum: 2 }), g: 2,
    },
    other: { keep_me: () => calls.push('kept') },
    1: { rove: () => calls.push('roved') },
  });
  assert.equal(instance.exports.$0(), 42);
  instance.exports.$1();
  assert.deepEqual(calls, [[1, 2], 'kept', 'roved']);
});

test('the glue is renamed to match, and a glue that does not match is refused', () => {
  const { wasm, imports, exports, modules } = shortenWasmNames(assemble(), { module: GLUE, renameExport: (n) => n !== 'memory', renameModule });
  const glue = `const import0 = {
        __wbg_setAttribute_f75317b2b5cabfb4: function(a, b) {},
        __wbg_log_0123456789abcdef: function(x) { return wasm.engine_new(); },
        table: 1, mem: 1, g: 1,
  };
  function f() { wasm.wasm_bindgen__convert__closures_____invoke__hab9af47df52f52c7(); return wasm.memory; }
  const imports = { "${GLUE}": import0, "other": {}, "${SNIPPET}": import1 };`;
  const renamed = renameInGlue(glue, { imports, exports, modules });
  assert.match(renamed, new RegExp(`\\s${imports.get('__wbg_setAttribute_f75317b2b5cabfb4')}: function`));
  assert.match(renamed, /wasm\.\$0\(\)/);
  assert.match(renamed, /\{ "": import0, "other": \{\}, "1": import1 \}/);
  assert.doesNotMatch(renamed, /__wbg_|engine_new|invoke__h|snippets/);
  checkGlue(wasm, renamed, '');
  assert.throws(() => checkGlue(wasm, glue, ''), /no key for module/);
  assert.throws(() => checkGlue(wasm, renamed.replace('_0: function', 'x: function'), ''), /does not provide import _0/);
  assert.throws(() => checkGlue(wasm, renamed.replace('wasm.$0()', 'wasm.engine_gone()'), ''), /reads export engine_gone/);
  assert.throws(() => renameInGlue(glue.replace('__wbg_log_0123456789abcdef:', 'other:'), { imports, exports }), /appears 0 times/);
  assert.throws(() => renameInGlue(glue.replace(`"${GLUE}":`, 'x:'), { imports, exports, modules }), /module .* appears 0 times/);
});

test('the shipped files carry short names only', { skip: !existsSync(join(root, 'dist', 'pave-hotspots.wasm')) && 'no dist/ (run the build)' }, () => {
  const mod = new WebAssembly.Module(readFileSync(join(root, 'dist', 'pave-hotspots.wasm')));
  for (const { module, name } of WebAssembly.Module.imports(mod)) {
    assert.match(module, /^\d*$/);
    if (module === '') assert.match(name, /^_[0-9a-z]+$/);
  }
  for (const { name } of WebAssembly.Module.exports(mod)) assert.match(name, /^(\$[0-9a-z]+|memory)$/);
  assert.doesNotMatch(readFileSync(join(root, 'dist', 'pave-hotspots.js'), 'utf8'), /__wbg_[A-Za-z]+_[0-9a-f]{16}|pave_hotspots_bg\.js|snippets\//);
});
