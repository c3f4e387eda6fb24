// npm run build: the release wasm (wasm-pack + wasm-opt from node_modules/.bin), then dist/:
//   pave-hotspots.js   ES module for a <script type="module"> tag: defines <pave-hotspots>
//   index.js           ES module for bundlers: exports HotspotOverlay, defineElement (no side effects)
//   pave-hotspots.wasm the engine, found next to either module via import.meta.url
//   *.d.ts             types
// and prints what a dealer page downloads (raw, gzip -9, brotli).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { shortenWasmNames, renameInGlue, checkGlue } from './wasm-names.mjs';
import { clearDeadTableEntries, releaseWasmOptFlags } from './wasm-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${bin}:${process.env.PATH}` };
const quiet = process.argv.includes('--quiet');

// Panic locations in crates from the registry (a trap, whose message no one reads, still takes
// its file's path as data) are named from the crate's folder, without this machine's path to
// the registry (`/home/…/.cargo/registry/src/index.crates.io-<hash>/`), which gzip can't shrink.
const registry = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'registry', 'src');
const remaps = existsSync(registry) ? readdirSync(registry).map((dir) => `--remap-path-prefix=${join(registry, dir)}/=`) : [];
const rustflags = remaps.length ? ['--config', `build.rustflags=${JSON.stringify(remaps)}`] : [];

// wasm-opt runs here rather than in wasm-pack, after scripts/wasm-table.mjs has cleared the
// function-table entries that nothing calls (wasm-bindgen's invoke shims of callbacks of imports
// described but not used): its flags are the release profile's ([package.metadata.wasm-pack…]).
execFileSync('wasm-pack', ['build', '--release', '--no-opt', '--target', 'web', '--out-dir', 'pkg', '--no-pack', '--no-typescript', '--', '--features', 'standalone', ...rustflags], {
  cwd: root, env, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
});
{
  const bg = join(root, 'pkg', 'pave_hotspots_bg.wasm');
  const { wasm, cleared } = clearDeadTableEntries(readFileSync(bg));
  if (cleared === 0) throw new Error('wasm-table: no table entry to clear (has wasm-bindgen changed?)');
  writeFileSync(bg, wasm);
  execFileSync('wasm-opt', [...releaseWasmOptFlags(readFileSync(join(root, 'Cargo.toml'), 'utf8')), bg, '-o', bg], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

// The glue names the wasm file after the crate; we ship it as pave-hotspots.wasm.
const gluePath = join(root, 'pkg', 'pave_hotspots.js');
const glue = readFileSync(gluePath, 'utf8');
if (!glue.includes("'pave_hotspots_bg.wasm'")) throw new Error('unexpected wasm-bindgen glue: no wasm file name to rewrite');
const wasmPath = join(root, 'pkg', 'pave_hotspots_bg.wasm');
// Short import, module and export names in both (scripts/wasm-names.mjs): hashes that don't compress.
const GLUE_MODULE = './pave_hotspots_bg.js';
const { glue: oneOfEach, alias } = sameImports(glue);
const renamed = shortenWasmNames(readFileSync(wasmPath), {
  module: GLUE_MODULE,
  renameExport: (name) => name !== 'memory',
  renameModule: (name) => name.startsWith('./snippets/'),
  alias,
});
const shortGlue = guardClosures(renameInGlue(oneOfEach.replaceAll("'pave_hotspots_bg.wasm'", "'pave-hotspots.wasm'"), renamed));
checkGlue(renamed.wasm, shortGlue, renamed.modules.get(GLUE_MODULE));
writeFileSync(wasmPath, renamed.wasm);
writeFileSync(gluePath, shortWarning(anyResponse(noFallbacks(oneWayToInit(methodShorthand(shortGlue))))));
// The map, for tools that meet the short names (bench/trace.mjs); not shipped.
writeFileSync(join(root, 'pkg', 'wasm-names.json'), JSON.stringify({
  imports: Object.fromEntries(renamed.imports), exports: Object.fromEntries(renamed.exports),
  modules: Object.fromEntries(renamed.modules),
}, null, 1) + '\n');

/**
 * Every call the page makes into the wasm outside the shell's methods (event listeners, timeouts,
 * observers, the passes of js/moves.js, the response of js/request.js) goes through the one
 * wrapper wasm-bindgen's glue makes for a Rust closure. It is routed through the shell's guard
 * (js/engine.js hands it over with `__guard`): a trap there turns every widget into its error
 * state, as a trap in a method call does, instead of an uncaught error that leaves the widget
 * stuck (loading for ever, a popover that no longer opens), and no callback enters a dead instance.
 */
function guardClosures(glue) {
  const wrapper = '    const real = (...args) => {\n';
  const at = glue.indexOf(wrapper);
  if (at < 0 || glue.indexOf(wrapper, at + 1) >= 0) throw new Error('unexpected wasm-bindgen glue: not one closure wrapper to guard');
  return `${glue.replace(wrapper, '    const real = (...args) => (GUARD ? GUARD(null, () => call(...args)) : call(...args));\n    const call = (...args) => {\n')}
let GUARD = null;
/** Routes every closure call through \`guard\` (js/engine.js). */
export function __guard(guard) {
    GUARD = guard;
}
`;
}

/**
 * wasm-bindgen makes one import function per Rust binding, and several bindings do the same thing
 * (`activeElement` of a Document and of a ShadowRoot, `width` of three types, …: a dozen). The
 * glue keeps one of each body; the wasm imports the others under the same name (the JS API looks
 * each import up by name, so one function can serve several).
 */
function sameImports(glue) {
  const start = glue.indexOf('function __wbg_get_imports() {');
  const end = glue.indexOf('\n    };\n', start);
  if (start < 0 || end < 0) throw new Error('unexpected wasm-bindgen glue: no import object to find');
  const entry = /^ {8}([A-Za-z0-9_$]+): function\(([^)]*)\) \{[^\n]*\n[\s\S]*?^ {8}\}(?:, arguments\); \})?,\n/gm;
  const first = new Map();
  const alias = new Map();
  const imports = glue.slice(start, end + 1).replace(entry, (all, name) => {
    const body = all.slice(all.indexOf(':'));
    const kept = first.get(body);
    if (kept === undefined) {
      first.set(body, name);
      return all;
    }
    alias.set(name, kept);
    return '';
  });
  if (first.size < 100) throw new Error('unexpected wasm-bindgen glue: import functions not found');
  return { glue: glue.slice(0, start) + imports + glue.slice(end + 1), alias };
}

/**
 * Fallbacks of the glue that never run: passStringToWasm0's way for a call without `realloc`
 * (every call passes it: checked), and, for browsers below the floor README's Browser support
 * states (Chrome 96, Firefox 101, Safari 16.4), a polyfill of TextEncoder's `encodeInto` (older
 * than Chrome 74, Firefox 66 and Safari 14.1), no-op stand-ins for FinalizationRegistry (Chrome
 * 84, Firefox 79, Safari 14.1) and a test for WebAssembly.instantiateStreaming (Safari 15).
 */
function noFallbacks(glue) {
  const noRealloc = `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }
`;
  const polyfill = `if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
`;
  const calls = [...glue.matchAll(/passStringToWasm0\(([^()]*)\)/g)].filter((m) => !m[0].includes('malloc, realloc'));
  if (glue.split(noRealloc).length !== 2 || glue.split(polyfill).length !== 2 || calls.length === 0
    || calls.some((m) => !/^[\w$]+, wasm\.[\w$]+, wasm\.[\w$]+$/.test(m[1]))) {
    throw new Error('unexpected wasm-bindgen glue: passStringToWasm0 or the encodeInto polyfill not as expected');
  }
  const noRegistry = /\(typeof FinalizationRegistry === 'undefined'\)\n {4}\? \{ register: \(\) => \{\}, unregister: \(\) => \{\} \}\n {4}: (new FinalizationRegistry\()/g;
  const streaming = "if (typeof WebAssembly.instantiateStreaming === 'function') {";
  if ((glue.match(noRegistry) ?? []).length !== 2 || glue.split(streaming).length !== 2) {
    throw new Error('unexpected wasm-bindgen glue: FinalizationRegistry or instantiateStreaming not tested as expected');
  }
  return glue.replace(noRealloc, '').replace(polyfill, '').replace(noRegistry, '$1').replace(streaming, '{');
}

/**
 * The glue's init function takes its one parameter as an object (`{ module_or_path }`) or, as
 * before wasm-bindgen 0.2.94, alone, which it warns about. js/engine.js, its only caller, passes
 * the object or nothing: the other way and its warning go.
 */
/**
 * The wasm's response when it isn't one of this window's (`instanceof Response` fails): a page
 * that replaced `fetch` with a polyfill's, or took it from an iframe (to undo another script's
 * wrapper). The glue handed such a response to WebAssembly.instantiate, which threw: nothing
 * loaded. Its bytes now.
 */
function anyResponse(glue) {
  const before = `    } else {
        const instance = await WebAssembly.instantiate(module, imports);
`;
  if (glue.split(before).length !== 2) throw new Error('unexpected wasm-bindgen glue: __wbg_load is not as expected');
  return glue.replace(before, `    } else {
        if (typeof module.arrayBuffer === 'function') {
            if (!module.ok) throw new Error(\`failed to fetch Wasm: \${module.status} fetching '\${module.url}'\`);
            module = await module.arrayBuffer();
        }
        const instance = await WebAssembly.instantiate(module, imports);
`);
}

/**
 * The glue's warning for a wasm served with another type than application/wasm (it still loads,
 * compiled once downloaded instead of while downloading), in fewer words, as the README tells it.
 */
function shortWarning(glue) {
  const before = 'console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n", e);';
  if (glue.split(before).length !== 2) throw new Error('unexpected wasm-bindgen glue: no warning about the wasm\'s MIME type');
  return glue.replace(before, 'console.warn("pave-hotspots: the .wasm is not served as application/wasm, so it is compiled once downloaded (slower):", e);');
}

function oneWayToInit(glue) {
  const before = `    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }
`;
  if (glue.split(before).length !== 2) throw new Error('unexpected wasm-bindgen glue: init does not take its parameter as expected');
  return glue.replace(before, '    if (module_or_path !== undefined) ({module_or_path} = module_or_path);\n');
}

/**
 * The glue's import functions as methods of its import object (`_0(arg0) {…}`), not properties
 * holding function expressions (`_0: function(arg0) {…}`): 9 bytes fewer each, ~190 of them, which
 * esbuild can't do itself (a method has no `prototype` and can't be `new`ed). The wasm only calls
 * them. (After checkGlue, which looks for the `name:` keys.)
 */
function methodShorthand(glue) {
  const start = glue.indexOf('function __wbg_get_imports() {');
  const end = glue.indexOf('\n    return {\n        __proto__: null,', start);
  if (start < 0 || end < 0) throw new Error('unexpected wasm-bindgen glue: no import object to find');
  let n = 0;
  const imports = glue.slice(start, end).replace(/^( {8}[A-Za-z0-9_$]+): function\(/gm, (_, key) => {
    n += 1;
    return `${key}(`;
  });
  if (n === 0 || /^ {8}[A-Za-z0-9_$]+: function\b/m.test(imports)) throw new Error('unexpected wasm-bindgen glue: import functions not all rewritten as methods');
  return sharedReturns(catchingImports(glue.slice(0, start) + imports + glue.slice(end), start), start);
}

/**
 * The imports that catch (`_0() { return handleError(function (arg0) {…}, arguments); }`, ~45 of
 * them) as `_0: handleError((arg0) => {…})`, handleError made once into a function that catches
 * and hands the error to the wasm as before. (None of their bodies reads `this` or `arguments`.)
 */
function catchingImports(glue, start) {
  const end = glue.indexOf('\n    return {\n        __proto__: null,', start);
  let n = 0;
  const imports = glue.slice(start, end).replace(
    /^( {8}[A-Za-z0-9_$]+)\(\) \{ return handleError\(function \(([^)]*)\) \{\n([\s\S]*?)\n {8}\}, arguments\); \},$/gm,
    (_, key, params, body) => {
      if (/\bthis\b|\barguments\b/.test(body)) throw new Error('unexpected wasm-bindgen glue: a catching import reads this or arguments');
      n += 1;
      return `${key}: handleError((${params}) => {\n${body}\n        }),`;
    },
  );
  const handleError = /^function handleError\(f, args\) \{\n    try \{\n        return f\.apply\(this, args\);\n    \} catch \(e\) \{\n([^}]*)\n    \}\n\}$/m;
  const rest = glue.slice(end);
  if (n === 0 || /handleError\(function/.test(imports) || !handleError.test(rest)) {
    throw new Error('unexpected wasm-bindgen glue: the catching imports or handleError are not as expected');
  }
  return glue.slice(0, start) + imports + rest.replace(handleError, (_, caught) =>
    `function handleError(f) {\n    return (...args) => {\n        try {\n            return f(...args);\n        } catch (e) {\n${caught}\n        }\n    };\n}`);
}

/**
 * What many import functions of the glue repeat, said once: a string handed back through a return
 * pointer (~15: `putString(arg0, arg1.src)`), an object that may be null handed back as an externref
 * (~20: `return optRef(arg0.body)`), and an `instanceof` test that can't throw (~10:
 * `isInstance(() => Node)`). The same steps in the same order, in one helper each.
 */
function sharedReturns(glue, start) {
  const end = glue.indexOf('\n    return {\n        __proto__: null,', start);
  let imports = glue.slice(start, end);
  const helpers = [];
  const count = (re) => imports.match(re)?.length ?? 0;
  // Strings: `passStringToWasm0(ret, wasm.$n, wasm.$o)`, optional or not.
  const str = /^( +)const ret = ([^\n]+);\n +(?:const|var) ptr(\d+) = (isLikeNone\(ret\) \? 0 : )?passStringToWasm0\(ret, (wasm\.[A-Za-z0-9_$]+), (wasm\.[A-Za-z0-9_$]+)\);\n +(?:const|var) len\3 = WASM_VECTOR_LEN;\n +getDataViewMemory0\(\)\.setInt32\(\(arg0 >>> 0\) \+ 4 \* 1, len\3, true\);\n +getDataViewMemory0\(\)\.setInt32\(\(arg0 >>> 0\) \+ 4 \* 0, ptr\3, true\);$/gm;
  const allocators = new Set();
  const strings = count(/passStringToWasm0\(ret/g);
  imports = imports.replace(str, (_, indent, value, __, optional, malloc, realloc) => {
    allocators.add(`${malloc}, ${realloc}`);
    return `${indent}putString(arg0, ${value}${optional ? ', true' : ''});`;
  });
  if (strings === 0 || count(/passStringToWasm0\(ret/g) !== 0 || allocators.size !== 1) throw new Error('unexpected wasm-bindgen glue: strings handed back not all as expected');
  helpers.push(`function putString(at, value, optional) {
    const ptr = optional && isLikeNone(value) ? 0 : passStringToWasm0(value, ${[...allocators][0]});
    const len = WASM_VECTOR_LEN;
    getDataViewMemory0().setInt32((at >>> 0) + 4, len, true);
    getDataViewMemory0().setInt32(at >>> 0, ptr, true);
}`);
  // Objects that may be null.
  const refs = count(/addToExternrefTable0\(ret\)/g);
  imports = imports.replace(/^( +)const ret = ([^\n]+);\n +return isLikeNone\(ret\) \? 0 : addToExternrefTable0\(ret\);$/gm,
    (_, indent, value) => `${indent}return optRef(${value});`);
  if (refs === 0 || count(/addToExternrefTable0\(ret\)/g) !== 0) throw new Error('unexpected wasm-bindgen glue: optional objects handed back not all as expected');
  helpers.push('function optRef(value) {\n    return isLikeNone(value) ? 0 : addToExternrefTable0(value);\n}');
  // instanceof.
  const tests = count(/ instanceof /g);
  imports = imports.replace(/^( +[A-Za-z0-9_$]+)\(arg0\) \{\n +let result;\n +try \{\n +result = arg0 instanceof ([A-Za-z0-9_$]+);\n +\} catch \(_\) \{\n +result = false;\n +\}\n +const ret = result;\n +return ret;\n +\},$/gm,
    (_, key, type) => `${key}: isInstance(() => ${type}),`);
  if (tests === 0 || count(/ instanceof /g) !== 0) throw new Error('unexpected wasm-bindgen glue: instanceof tests not all as expected');
  helpers.push('function isInstance(type) {\n    return (value) => {\n        try {\n            return value instanceof type();\n        } catch (_) {\n            return false;\n        }\n    };\n}');
  return `${glue.slice(0, start)}${imports}${glue.slice(end)}\n${helpers.join('\n\n')}\n`;
}

// js/request.js is both a wasm-bindgen snippet (the glue imports its copy under pkg/snippets/)
// and a module of the JS shell: the bundles take the glue's copy for both, so it ships once.
const snippetImport = shortGlue.match(/from '\.\/(snippets\/[^']+\/js\/request\.js)'/);
if (!snippetImport) throw new Error('unexpected wasm-bindgen glue: no import of the js/request.js snippet');
const requestSnippet = join(root, 'pkg', snippetImport[1]);
const oneRequestModule = {
  name: 'one-request-module',
  setup(b) {
    b.onResolve({ filter: /^\.\/request\.js$/ }, (args) => (args.importer.startsWith(join(root, 'js')) ? { path: requestSnippet } : undefined));
  },
};

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
for (const entry of ['pave-hotspots', 'index']) {
  await build({
    entryPoints: [join(root, 'js', `${entry}.js`)],
    outfile: join(dist, `${entry}.js`),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [oneRequestModule],
  });
}
// esbuild's helper that makes a module's namespace object (the glue's import object for
// js/markers.js) walks its exports with `for…in`, which also walks what a page's old library
// added to Object.prototype: `Object.prototype.foo = 'bar'` made it throw ("Getter must be a
// function") and nothing loaded. Own keys only.
for (const entry of ['pave-hotspots', 'index']) {
  const file = join(dist, `${entry}.js`);
  const js = readFileSync(file, 'utf8');
  const helper = /for\(var ([\w$]+) in ([\w$]+)\)([\w$]+)\(([\w$]+),\1,\{get:\2\[\1\],enumerable:!0\}\)/g;
  if ((js.match(helper) ?? []).length !== 1) throw new Error(`${entry}.js: esbuild's __export helper is not as expected`);
  writeFileSync(file, js.replace(helper, (_, k, all, def, target) => `for(var ${k} of Object.keys(${all}))${def}(${target},${k},{get:${all}[${k}],enumerable:!0})`));
}
copyFileSync(join(root, 'pkg', 'pave_hotspots_bg.wasm'), join(dist, 'pave-hotspots.wasm'));
copyFileSync(join(root, 'js', 'index.d.ts'), join(dist, 'index.d.ts'));
copyFileSync(join(root, 'js', 'index.d.ts'), join(dist, 'pave-hotspots.d.ts'));
copyFileSync(join(root, 'js', 'react.d.ts'), join(dist, 'react.d.ts'));

// Guard the promise of the shipped JS: no eval, no new Function.
for (const file of ['pave-hotspots.js', 'index.js']) {
  const js = readFileSync(join(dist, file), 'utf8');
  if (/\beval\s*\(|new\s+Function\s*\(/.test(js)) throw new Error(`${file} contains eval or new Function`);
}

export function sizes() {
  const rows = ['pave-hotspots.js', 'pave-hotspots.wasm'].map((file) => {
    const bytes = readFileSync(join(dist, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 });
  return [...rows, total];
}

const table = sizes();
console.log('What a dealer page downloads (no CSS file is needed):');
for (const r of table) {
  console.log(`  ${r.file.padEnd(20)} ${String(r.raw).padStart(8)} B raw  ${String(r.gzip).padStart(7)} B gzip -9  ${String(r.brotli).padStart(7)} B brotli`);
}
writeFileSync(join(dist, 'sizes.json'), JSON.stringify(table, null, 2) + '\n');
void statSync;
