// The floor's code (see bench/README.md): not a library, the least any widget that keeps
// PRODUCT.md's marker contract must do, in plain JS. One `<button part="marker" data-index>` per
// damage, numbered, with its accessible name, in a wrapper placed in % of a layer that covers the
// picture's box (so nothing is ever measured: the box is assumed to be the photo, with no
// object-fit, border or padding), styled like our markers by one constructed stylesheet. No
// clustering, list, popover, status, language or error handling. Used by bench/page.js, and
// inlined into the first-visit page of bench/cold.mjs.

/** The markers' stylesheet, for the shadow root's `adoptedStyleSheets`. */
export function floorSheet() {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
.layer { position: absolute; inset: 0; pointer-events: none; }
.at { position: absolute; width: 0; height: 0; }
.marker { position: absolute; left: 0; top: 0; width: 28px; height: 28px; margin: 0; padding: 0;
  transform: translate(-50%, -50%); display: block; text-align: center; line-height: 24px; white-space: nowrap;
  border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1.5px rgba(0, 0, 0, .75); contain: layout size style;
  background: #c5221f; color: #fff; font: 700 12px/1 system-ui, sans-serif; pointer-events: auto; cursor: pointer; }`);
  return sheet;
}

/** A photo's markers (PAVE's `inspection_data`), built into one detached layer. */
export function floorGroup(damages) {
  const g = document.createElement('div');
  g.className = 'layer';
  const at = document.createElement('div');
  at.className = 'at';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'marker';
  button.setAttribute('part', 'marker');
  damages.forEach((d, i) => {
    const m = button.cloneNode(false);
    m.dataset.index = i;
    m.setAttribute('aria-label', `${d.description} — ${d.component}`);
    m.textContent = i + 1;
    const place = at.cloneNode(false);
    place.style.left = `${d.coodrs.x}%`;
    place.style.top = `${d.coodrs.y}%`;
    place.append(m);
    g.append(place);
  });
  return g;
}

/** An open shadow root laid over `stage` (made `position: relative`), holding nothing yet. */
export function floorRoot(stage, sheet) {
  stage.style.position = 'relative';
  const host = document.createElement('div');
  host.style.cssText = 'position: absolute; inset: 0; pointer-events: none';
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet];
  stage.append(host);
  return root;
}
