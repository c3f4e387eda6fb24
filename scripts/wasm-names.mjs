// Short names for what the wasm and its JS glue call each other by. wasm-bindgen names every
// import after the JS function and a hash (`__wbg_setAttribute_f75317b2b5cabfb4`) and some exports
// likewise; each name is written twice, once in the wasm and once in the glue, and the hashes don't
// compress: about 5 KB gzip of the download. scripts/build.mjs renames them here, in the wasm's
// import and export sections and in the glue, and checks the two still match. The import modules
// are renamed too: the glue's (`./pave_hotspots_bg.js`) is named before each of its ~190 imports,
// and becomes the empty name; a snippet's (`./snippets/<crate>-<hash>/js/markers.js`) a digit.
//
// Only names are changed: the wasm's code, the glue's code and the import/export order stay
// byte-for-byte as wasm-bindgen and wasm-opt made them.

/** Reads an unsigned LEB128 at `pos`: [value, next position]. (bench/twiggy.mjs reads with it too.) */
export function leb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    if (b === undefined) throw new Error('wasm-names: truncated LEB128');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, pos];
  }
}

export function encodeLeb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function readName(bytes, pos) {
  const [len, start] = leb(bytes, pos);
  return [utf8.decode(bytes.subarray(start, start + len)), start + len];
}

/**
 * Index → name from subsection `subsection` of the `name` custom section (1: functions, 9: data
 * segments); empty when the module has none.
 */
export function nameMap(bytes, subsection) {
  const names = new Map();
  for (const { id, start, end } of sections(bytes)) {
    if (id !== 0) continue;
    let [name, p] = readName(bytes, start);
    if (name !== 'name') continue;
    while (p < end) {
      const sub = bytes[p];
      const [size, body] = leb(bytes, p + 1);
      if (sub === subsection) {
        let [count, q] = leb(bytes, body);
        for (let i = 0; i < count; i++) {
          let index;
          [index, q] = leb(bytes, q);
          [name, q] = readName(bytes, q);
          names.set(index, name);
        }
      }
      p = body + size;
    }
  }
  return names;
}

function nameBytes(name) {
  const b = encoder.encode(name);
  return [...encodeLeb(b.length), ...b];
}

/** The byte length of an import's description starting at `pos` (after its kind byte). */
function skipImportDesc(bytes, kind, pos) {
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return leb(bytes, pos)[1]; // function: type index
    case 1: return limits(pos + 1); // table: reference type, limits
    case 2: return limits(pos); // memory: limits
    case 3: return pos + 2; // global: value type, mutability
    case 4: return leb(bytes, pos + 1)[1]; // tag: attribute, type index
    default: throw new Error(`wasm-names: unknown import kind ${kind}`);
  }
}

/** The sections of a wasm binary after its 8-byte header: { id, start, end } of each payload. */
export function* sections(bytes) {
  for (let pos = 8; pos < bytes.length;) {
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    yield { id, start, end: start + size };
    pos = start + size;
  }
}

/** Short identifiers: _0, _1, … _a, … _10, … */
const short = (i) => `_${i.toString(36)}`;

/**
 * Renames the imports of `module` (wasm-bindgen's glue module) and the exports matching `renameExport`;
 * renames `module` to '' and each other import module matching `renameModule` to '1', '2', ….
 * Imports named in `alias` (name → another import's name) get that import's new name.
 * Returns the new wasm bytes and the maps { imports, exports, modules } from old to new names.
 */
export function shortenWasmNames(wasm, { module, renameExport, renameModule = () => false, alias = new Map() }) {
  const bytes = new Uint8Array(wasm);
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('wasm-names: not a wasm binary');
  const out = [bytes.subarray(0, 8)];
  const imports = new Map();
  const exports = new Map();
  const modules = new Map([[module, '']]);
  for (const { id, start, end } of sections(bytes)) {
    let payload = bytes.subarray(start, end);
    if (id === 2) {
      const body = [];
      let [count, p] = leb(bytes, start);
      body.push(...encodeLeb(count));
      for (let i = 0; i < count; i++) {
        let mod, field;
        [mod, p] = readName(bytes, p);
        [field, p] = readName(bytes, p);
        const kind = bytes[p];
        const descEnd = skipImportDesc(bytes, kind, p + 1);
        let name = field;
        if (mod === module && kind === 0) {
          const same = alias.get(field) ?? field;
          if (!imports.has(same)) imports.set(same, short(imports.size));
          name = imports.get(same);
        }
        if (!modules.has(mod) && renameModule(mod)) modules.set(mod, String(modules.size));
        body.push(...nameBytes(modules.get(mod) ?? mod), ...nameBytes(name), ...bytes.subarray(p, descEnd));
        p = descEnd;
      }
      if (p !== end) throw new Error('wasm-names: import section not read to its end');
      payload = Uint8Array.from(body);
    } else if (id === 7) {
      const body = [];
      let [count, p] = leb(bytes, start);
      body.push(...encodeLeb(count));
      for (let i = 0; i < count; i++) {
        let name;
        [name, p] = readName(bytes, p);
        const kind = bytes[p];
        const [, next] = leb(bytes, p + 1);
        let renamed = name;
        if (renameExport(name)) {
          renamed = `$${exports.size.toString(36)}`;
          exports.set(name, renamed);
        }
        body.push(...nameBytes(renamed), ...bytes.subarray(p, next));
        p = next;
      }
      if (p !== end) throw new Error('wasm-names: export section not read to its end');
      payload = Uint8Array.from(body);
    }
    out.push(Uint8Array.from([id, ...encodeLeb(payload.length)]), payload);
  }
  const wasmOut = new Uint8Array(out.reduce((n, part) => n + part.length, 0));
  out.reduce((at, part) => (wasmOut.set(part, at), at + part.length), 0);
  return { wasm: wasmOut, imports, exports, modules };
}

const escape = (s) => s.replace(/[$]/g, '\\$');

/** An import function's name as a key of the glue's import object (`  name: function…`). */
const importKey = (name) => new RegExp(`(^|[\\s{,])${escape(name)}(?=:)`, 'gm');

/**
 * The glue with the same renames: import functions are keys of its import object, modules are keys
 * of the object of those (`"./pave_hotspots_bg.js": import0,`), exports are read as
 * `wasm.<name>`. Throws when a name is not found exactly where expected.
 */
export function renameInGlue(glue, { imports, exports, modules = new Map() }) {
  let js = glue;
  for (const [from, to] of modules) {
    const key = `${JSON.stringify(from)}:`;
    const hits = js.split(key).length - 1;
    // (Once per function the wasm takes straight from that module: each its own `import * as`.)
    if (hits === 0) throw new Error(`wasm-names: module ${from} appears ${hits} times as a key in the glue`);
    js = js.replaceAll(key, () => `${JSON.stringify(to)}:`);
  }
  for (const [from, to] of imports) {
    const key = importKey(from);
    const hits = js.match(key)?.length ?? 0;
    if (hits !== 1) throw new Error(`wasm-names: import ${from} appears ${hits} times as a key in the glue`);
    js = js.replace(key, (_, before) => before + to);
  }
  for (const [from, to] of exports) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(from)}(?![A-Za-z0-9_$])`, 'g'), () => `wasm.${to}`);
  }
  return js;
}

/**
 * Checks that the glue provides every import of `module` (its name in `wasm`) and a key for every
 * module of `wasm`, and reads only exports the wasm has.
 */
export function checkGlue(wasm, glue, module) {
  const mod = new WebAssembly.Module(wasm);
  for (const { module: m, name } of WebAssembly.Module.imports(mod)) {
    if (!glue.includes(`${JSON.stringify(m)}:`)) throw new Error(`wasm-names: the glue has no key for module ${m}`);
    if (m === module && !importKey(name).test(glue)) {
      throw new Error(`wasm-names: the glue does not provide import ${name}`);
    }
  }
  const have = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
  for (const [, name] of glue.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)) {
    if (!have.has(name)) throw new Error(`wasm-names: the glue reads export ${name}, which the wasm lacks`);
  }
}
