// Function-table entries that nothing calls, cleared before wasm-opt so that the code behind them
// can go. wasm-bindgen describes every import of every crate linked in (js-sys's `forEach`,
// `findLast`, `reduce`, … whether used or not) by functions it runs at build time and then
// deletes; an import that takes a Rust callback describes it with its invoke shim's address, and
// taking an address puts the shim in the function table, where it stays after its description is
// gone: ~45 shims, each with the argument conversions it inlines, that wasm-opt must keep because
// a table entry may be called from anywhere. The JS glue calls the shims of the closures we do
// use through exports (`wasm_bindgen__convert__closures_____invoke__…`), never through the table,
// which the module does not export; and Rust code calls a closure through its vtable, never
// through a shim. So every entry holding an invoke shim is pointed at one that stays (an exported
// one): the others lose their last reference.
//
// The same goes for js-sys's JSPI task wakers (`js_sys::futures::jspi::task_waker::raw_*`): their
// vtable is only read by the poll loop of a promising task, whose entry point
// (`__wbg_jspi_task_poll`) wasm-bindgen deletes in a module without JSPI exports; cleared only
// when it is gone.
//
// Reads the `name` section (wasm-bindgen keeps it; the wasm-opt run after this drops it).
import { encodeLeb, leb, nameMap, readName, sections } from './wasm-names.mjs';

const INVOKE = /^wasm_bindgen::convert::closures::_::invoke::h[0-9a-f]{16}$/;
const WAKER = /^js_sys::futures::jspi::task_waker::raw_(clone|wake|wake_by_ref|drop)::h[0-9a-f]{16}$/;

/** Function indices of the exports, and whether a function export named `name` exists. */
function exportedFunctions(bytes) {
  const out = new Map();
  for (const { id, start } of sections(bytes)) {
    if (id !== 7) continue;
    let [count, p] = leb(bytes, start);
    for (let i = 0; i < count; i++) {
      let name;
      [name, p] = readName(bytes, p);
      const kind = bytes[p];
      let index;
      [index, p] = leb(bytes, p + 1);
      if (kind === 0) out.set(name, index);
    }
  }
  return out;
}

/**
 * The wasm with the table entries described above pointed at an exported invoke shim. Returns
 * { wasm, cleared } (cleared: how many entries). Throws on an element section it does not know.
 */
export function clearDeadTableEntries(wasm) {
  const bytes = new Uint8Array(wasm);
  const names = nameMap(bytes, 1);
  if (names.size === 0) throw new Error('wasm-table: no function names to go by');
  const exports = exportedFunctions(bytes);
  const exported = new Set(exports.values());
  const jspiGone = ![...exports.keys()].some((n) => n.includes('jspi'));
  const keep = [...exports.values()].find((f) => INVOKE.test(names.get(f) ?? ''));
  if (keep === undefined) throw new Error('wasm-table: no exported invoke shim to point entries at');
  const dead = (f) => !exported.has(f) && (INVOKE.test(names.get(f) ?? '') || (jspiGone && WAKER.test(names.get(f) ?? '')));
  let cleared = 0;
  const out = [bytes.subarray(0, 8)];
  for (const { id, start, end } of sections(bytes)) {
    let payload = bytes.subarray(start, end);
    if (id === 9) {
      const body = [];
      let [count, p] = leb(bytes, start);
      body.push(...encodeLeb(count));
      for (let s = 0; s < count; s++) {
        const flags = bytes[p];
        const from = p;
        p += 1;
        if (flags === 2) [, p] = leb(bytes, p); // table index
        if (flags !== 0 && flags !== 2) throw new Error(`wasm-table: element segment kind ${flags} not handled`);
        // Offset: i32.const n end.
        if (bytes[p] !== 0x41) throw new Error('wasm-table: element segment offset is not a constant');
        p += 1;
        while (bytes[p] & 0x80) p++;
        p += 1;
        if (bytes[p] !== 0x0b) throw new Error('wasm-table: element segment offset is not a constant');
        p += 1;
        if (flags === 2) {
          if (bytes[p] !== 0) throw new Error('wasm-table: element segment of another kind than functions');
          p += 1;
        }
        body.push(...bytes.subarray(from, p));
        let n;
        [n, p] = leb(bytes, p);
        body.push(...encodeLeb(n));
        for (let i = 0; i < n; i++) {
          let f;
          [f, p] = leb(bytes, p);
          if (dead(f)) {
            f = keep;
            cleared++;
          }
          body.push(...encodeLeb(f));
        }
      }
      if (p !== end) throw new Error('wasm-table: element section not read to its end');
      payload = Uint8Array.from(body);
    }
    out.push(Uint8Array.from([id, ...encodeLeb(payload.length)]), payload);
  }
  const wasmOut = new Uint8Array(out.reduce((t, part) => t + part.length, 0));
  out.reduce((at, part) => (wasmOut.set(part, at), at + part.length), 0);
  return { wasm: wasmOut, cleared };
}

/** The wasm-opt flags of the release profile (Cargo.toml's [package.metadata.wasm-pack.profile.release]). */
export function releaseWasmOptFlags(cargoToml) {
  const m = cargoToml.match(/\[package\.metadata\.wasm-pack\.profile\.release\][^[]*?wasm-opt\s*=\s*\[([^\]]*)\]/);
  if (!m) throw new Error('Cargo.toml: no wasm-opt flags in [package.metadata.wasm-pack.profile.release]');
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
}
