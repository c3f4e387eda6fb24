// A dealer's glue from PAVE results to js-cloudimage-hotspot's hotspots: part of that library's
// timed work in the bench. Used by bench/page.js, and inlined into the first-visit page of
// bench/cold.mjs (as a classic script, without its `export`).

/** js-cloudimage-hotspot's hotspots for every damage of `results` (PAVE's JSON). */
export function toHotspots(results, prefix = '') {
  const out = [];
  for (const p of results.data) {
    for (const [i, d] of p.inspection_data.entries()) {
      out.push({
        id: `${prefix}${p.photo_code}-${i}`,
        x: `${d.coodrs.x}%`,
        y: `${d.coodrs.y}%`,
        label: `${d.description} — ${d.component}`,
        data: { title: d.description, description: `${d.component} · ${d.tolerance} · ${d.repair_method}` },
      });
    }
  }
  return out;
}
