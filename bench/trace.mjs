// Reads a Chromium trace (devtools.timeline + disabled-by-default-devtools.timeline.stack) of one
// bench run and counts, on the page's main thread, style recalculations (UpdateLayoutTree) and
// layouts (Layout), and which of them were forced: Chromium attaches a JS stack to these events
// only when script asked for layout (getBoundingClientRect, offsetWidth, getComputedStyle reads …)
// while it was dirty; the frame's own style/layout pass has no stack. Forced ones whose stack
// passes through the bench's own code (bench/page.js) are not counted.
import { readFileSync } from 'node:fs';

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
];

/**
 * The glue's import functions carry the short names of scripts/wasm-names.mjs (`_5`); the build
 * leaves the map in pkg/wasm-names.json, read here to name them again.
 */
const shortNames = (() => {
  try {
    const map = JSON.parse(readFileSync(new URL('../pkg/wasm-names.json', import.meta.url), 'utf8'));
    return new Map(Object.entries(map.imports ?? {}).map(([original, short]) => [short, original]));
  } catch {
    return new Map();
  }
})();

/** @returns {{ layouts, forcedLayouts, styles, forcedStyles, forcedMs, forcedBy: Record<string, number> }} */
export function analyzeTrace(buffer) {
  const parsed = JSON.parse(buffer.toString('utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  }
  // The page's renderer is the main thread that ran animation frames (others may exist, idle).
  const busy = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) && e.name === 'FireAnimationFrame') busy.set(key, (busy.get(key) ?? 0) + 1);
  }
  const main = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out = { layouts: 0, forcedLayouts: 0, styles: 0, forcedStyles: 0, forcedMs: 0, forcedBy: {} };
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== main || (e.ph !== 'X' && e.ph !== 'B')) continue;
    const isLayout = e.name === 'Layout';
    const isStyle = e.name === 'UpdateLayoutTree' || e.name === 'RecalculateStyles';
    if (!isLayout && !isStyle) continue;
    const stack = e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace ?? null;
    if (stack && stack.some((f) => String(f.url ?? '').endsWith('/bench/page.js'))) continue;
    if (isLayout) out.layouts += 1;
    else out.styles += 1;
    if (stack && stack.length) {
      out.forcedMs += (e.dur ?? 0) / 1000;
      if (isLayout) out.forcedLayouts += 1;
      else out.forcedStyles += 1;
      const top = stack[0];
      const fn = String(top.functionName || '(anonymous)');
      const name = (shortNames.get(fn) ?? fn).replace(/^__wbg_([A-Za-z]+)_[0-9a-f]+$/, '$1 (wasm import)');
      const key = `${isLayout ? 'layout' : 'style'} ← ${name}`;
      out.forcedBy[key] = (out.forcedBy[key] ?? 0) + 1;
    }
  }
  return out;
}
