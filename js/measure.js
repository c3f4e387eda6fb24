// Reads for the engine's measure pass (src/dom/measure.rs) that the browser does better than
// Rust could, or in one call where web-sys takes one per property: its own transform parser reads
// a picture's transform, one call the origin probe's four points, others the viewport and a box. And the
// page's window, for the engine to start from.

// `self` (none where there is no `self`).
export const pageWindow = () => (typeof self === 'undefined' ? undefined : self);

// The picture's own transform, written into `out` as [a, b, c, d, e, f] of a 2-D `matrix()`
// (which the engine fills with the identity first), in its local px (origin at its top-left
// border corner): the computed `translate`, `rotate`, `scale` and `transform` about
// `transform-origin`, composed in that order as CSS does. `w`, `h`: its border box, what a `%` in
// `translate` is of. Turns about x or y are flattened as the page draws them without a
// perspective; with a perspective that tilts the picture (or what DOMMatrix can't read) `out` is
// left: no transform.
export function ownTransform(s, w, h, out) {
  // (Browsers before the individual transform properties, such as Chrome 96 to 103, have no
  // `translate`, `rotate` or `scale`: none.)
  const { transform, translate = 'none', rotate = 'none', scale = 'none' } = s;
  if (transform == 'none' && rotate == 'none' && scale == 'none' && translate == 'none') return;
  const [ox, oy] = s.transformOrigin.split(' ').map(parseFloat);
  const [tx = '', ty = ''] = translate.split(' ');
  const len = (v, of) => parseFloat(v) * (v.endsWith('%') ? of / 100 : 1) || 0;
  const r = rotate.split(' ');
  const css = (v, f) => (v == 'none' ? '' : f);
  try {
    const m = new DOMMatrix(`translate(${ox + len(tx, w)}px,${oy + len(ty, h)}px)
      ${css(r[0], r[3] ? `rotate3d(${r})` : r[1] ? `rotate${r[0]}(${r[1]})` : `rotate(${r})`)}
      ${css(scale, `scale(${scale.split(' ').slice(0, 2)})`)} ${css(transform, transform)}
      translate(${-ox}px,${-oy}px)`);
    // (A pop-out such as perspective() translateZ() is still a flat map: divided by its w.)
    if (!m.m14 && !m.m24) out.set([m.a, m.b, m.c, m.d, m.e, m.f].map((v) => v / m.m44));
  } catch {}
}

// What an ancestor of the picture does to it, written into `out` (src/dom/widget.rs,
// `clipping_ancestors`): 1 if it clips across, 1 if it clips down (its `overflow-x`, `overflow-y`
// anything but `visible`; both for paint containment, `content-visibility`, a `clip-path`, a mask
// or, positioned, `clip`, taken as clipping at its box), then its own transform as
// `ownTransform` writes it, in its local px with no size (the linear part is what counts): how it
// turns, skews, mirrors or scales what it holds; then how far out of its padding box it clips,
// top, right, bottom, left (`overflow-clip-margin`, which the browser follows for `overflow:
// clip` both ways and for paint containment of a box that doesn't scroll; from its content box,
// one padding in, or its border box). A box that isn't there, or has no box of its own to clip or
// turn (an inline box, a table column, `display: contents`), neither clips (not even by its
// `overflow`, which applies to none of them) nor turns. Left whole where it has no computed style.
export function ancestorOf(el, out) {
  const s = el.ownerDocument.defaultView?.getComputedStyle(el);
  if (!s) return;
  const box = !/^(inline|contents|table-column(-group)?|ruby.*)$/.test(s.display);
  const paint = box && (/paint|strict|content/.test(s.contain) || /auto|hidden/.test(s.contentVisibility));
  const all = paint || box && (s.clipPath != 'none' || (s.maskImage ?? s.webkitMaskImage ?? 'none') != 'none'
    || /absolute|fixed/.test(s.position) && (s.clip || 'auto') != 'auto');
  out[0] = all || box && s.overflowX != 'visible';
  out[1] = all || box && s.overflowY != 'visible';
  if (box) ownTransform(s, 0, 0, out.subarray(2));
  const o = s.overflowX + s.overflowY;
  const m = s.overflowClipMargin ?? '';
  if (o == 'clipclip' || paint && o == 'visiblevisible') {
    const px = parseFloat(/[\d.e+-]+px/.exec(m)) || 0;
    let k = 8;
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      out[k++] = px + (/content/.test(m) ? -parseFloat(s[`padding${side}`]) : /border/.test(m) ? parseFloat(s[`border${side}Width`]) : 0) || 0;
    }
  }
}

// The window's viewport in CSS px, written into `out` as [x, y, width, height] (src/dom/measure.rs):
// the root's client box (no scrollbars), else the window's inner size; the part the user sees when
// that is less (the visual viewport, in the layout viewport's coordinates, those of
// getBoundingClientRect and position: fixed): a pinch-zoomed page, or a phone's on-screen keyboard
// over the page (iOS Safari, Chrome for Android from 108: the layout viewport keeps its height).
// Less a notched phone's safe areas, which `el`'s `--_sa` holds (`env(safe-area-inset-*)`, top,
// right, bottom, left: src/dom/style.css), on a page that draws under them (`viewport-fit=cover`).
export function viewport(w, out, el) {
  const vv = w.visualViewport;
  const root = w.document?.documentElement;
  const n = (v) => (typeof v == 'number' ? v : 0);
  const [cw, ch] = root?.clientWidth > 0 ? [root.clientWidth, root.clientHeight] : [n(w.innerWidth), n(w.innerHeight)];
  const seen = vv?.width > 0 && (vv.scale > 1 || vv.height < ch - 1 || vv.width < cw - 1);
  const [x, y, width, height] = seen ? [vv.offsetLeft, vv.offsetTop, vv.width, vv.height] : [0, 0, cw, ch];
  // (The insets are at the screen's edges, those of what the user sees, in screen px: a
  // pinch-zoomed page's are smaller in its px. An on-screen keyboard covers the bottom one.)
  const s = seen ? vv.scale || 1 : 1;
  const [t = 0, r = 0, b = 0, l = 0] = (w.getComputedStyle(el)?.getPropertyValue('--_sa') ?? '').split(/\s+/).map((v) => parseFloat(v) / s || 0);
  const bottom = seen && s <= 1 && vv.height < ch - 1 ? 0 : b;
  out.set([x + l, y + t, Math.max(0, width - l - r), Math.max(0, height - t - bottom)]);
}

// Writes the picture's boxes into `out` (src/dom/measure.rs, `target`): its bounding client
// rectangle [x, y, width, height]; its border widths and then its padding, top, right, bottom,
// left; its `width` and `height` (NaN where not in px: `auto` while not rendered); 1 if
// `box-sizing` is `border-box`; 1 if it has client rects (not `display: none`). Read from its
// computed style `s` in one call, where web-sys takes one per property.
export function boxOf(el, s, out) {
  const px = (v) => (v.endsWith('px') ? +v.slice(0, -2) : NaN);
  const sides = (a, b = '') => ['top', 'right', 'bottom', 'left'].map((t) => px(s.getPropertyValue(a + t + b)));
  boundingRect(el, out);
  out.set([...sides('border-', '-width'), ...sides('padding-'), px(s.width), px(s.height), s.boxSizing == 'border-box', el.getClientRects().length > 0], 4);
}

// Writes the natural size of the picture `el` shows into `out`, then 1 if it is the one its
// attributes ask for (an <img> not loading a new `src`, a video with a frame drawn: HAVE_CURRENT_DATA),
// 0 if not, −1 if `el` is no image, canvas or video (its content box is the picture); returns its
// URL (`currentSrc`; none for a canvas).
export function pictureOf(el, out) {
  const img = el instanceof HTMLImageElement;
  const video = el instanceof HTMLVideoElement;
  out.set(img ? [el.naturalWidth, el.naturalHeight, decoded(el)]
    : video ? [el.videoWidth, el.videoHeight, el.readyState > 1]
    : el instanceof HTMLCanvasElement ? [el.width, el.height, 1] : [0, 0, -1]);
  return img || video ? el.currentSrc : '';
}

// Whether `img` is loaded and, when it is decoded off the main thread (`decoding="async"`), decoded:
// until then the page still paints the photo it showed before (markers of the new one would show
// over it). Its decode, once done, is told by a `pave-decoded` event on it (the engine listens).
const decodes = new WeakMap(); // img → { src, done }
function decoded(img) {
  if (!img.complete || img.decoding != 'async') return img.complete;
  const src = img.currentSrc;
  let d = decodes.get(img);
  if (d?.src !== src) {
    decodes.set(img, (d = { src, done: false }));
    const told = d;
    img.decode().catch(() => {}).then(() => {
      told.done = true;
      if (decodes.get(img) === told) img.dispatchEvent(new Event('pave-decoded'));
    });
  }
  return d.done;
}

// Writes a scroll box's boxes into `out` (src/dom/measure.rs, `scroll_box`): its bounding client
// rectangle [x, y, width, height], its border box's untransformed size (offsetWidth and
// offsetHeight; the bounding box's for an element without them, SVG), and its client box
// [clientLeft, clientTop, clientWidth, clientHeight].
export function scrollBoxOf(el, out) {
  boundingRect(el, out);
  out.set([el.offsetWidth ?? out[2], el.offsetHeight ?? out[3], el.clientLeft, el.clientTop, el.clientWidth, el.clientHeight], 4);
}

// Writes `el`'s bounding client rectangle into `out`: [x, y, width, height].
export function boundingRect(el, out) {
  const r = el.getBoundingClientRect();
  out.set([r.left, r.top, r.width, r.height]);
}

// Writes where the origin probe's four points are in the viewport into `out`: x0, y0, x1, y1,
// x2, y2, x3, y3.
export function probePoints(origin, out) {
  let i = 0;
  for (const p of origin.children) {
    const r = p.getBoundingClientRect();
    out[i++] = r.x;
    out[i++] = r.y;
  }
}

// `el`'s effective CSS zoom (`currentCSSZoom`) written into `out` as [zoom], unless the browser
// doesn't tell, or tells nonsense (src/dom/measure.rs).
export function zoomOf(el, out) {
  const z = el.currentCSSZoom;
  if (typeof z == 'number' && z > 0.01 && z < 100) out[0] = z;
}
