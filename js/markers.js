// The engine's DOM calls that are cheaper written here than bound one by one through web-sys:
// its skeleton, a photo's markers, the damage list, the roving tab stop, event details and
// dispatch, the popover, focus, keys, mutation observers, the picture's swap key, the page's URL.
//
// The widget's lasting nodes, in the order they are built (a parent before its children, siblings
// in document order), which src/dom/view.rs takes them out in: tag, parent (the index of a node
// before it; ROOT: the shadow root; STAGE: the built-in viewer's stage, or the root without the
// viewer), whether only the built-in viewer has it, attributes and text.
const ROOT = -1;
const STAGE = -2;
const SKELETON = [
  // 0–2: the built-in viewer: figure, stage, photo.
  ['figure', ROOT, true, { class: 'viewer', part: 'viewer', hidden: '' }],
  ['div', 0, true, { class: 'stage' }],
  // (Decoded as it is painted: the photo and its markers show in the same frame.)
  ['img', 1, true, { part: 'image', alt: '' }],
  // 3–4: the origin probe and the overlay, in the viewer's stage or beside the list.
  ['div', STAGE, false, { class: 'origin', 'aria-hidden': 'true' }],
  ['div', STAGE, false, { class: 'layer', part: 'overlay', role: 'group', tabindex: '-1', hidden: '' }],
  // 5–8: the viewer's caption: previous photo, label, next photo.
  ['figcaption', 0, true],
  ['button', 5, true, { class: 'step', type: 'button', 'data-action': 'photo-prev' }, '‹'],
  ['span', 5, true, { class: 'label', 'aria-live': 'polite' }],
  ['button', 5, true, { class: 'step', type: 'button', 'data-action': 'photo-next' }, '›'],
  // 9–11: the status line, its live text (focusable from script only: Retry hands focus to it
  // while it hides itself) and Retry.
  ['div', ROOT, false, { class: 'status', part: 'status', 'data-state': 'idle' }],
  ['p', 9, false, { role: 'status', 'aria-live': 'polite', tabindex: '-1' }],
  ['button', 9, false, { class: 'retry', type: 'button', 'data-action': 'retry', hidden: '' }],
  // 12–14: the damage list, its disclosure button and body.
  ['section', ROOT, false, { class: 'list', part: 'list', hidden: '' }],
  ['button', 12, false, { class: 'toggle', type: 'button', 'data-action': 'toggle-list', 'aria-expanded': 'false', 'aria-controls': 'pave-list-body' }],
  ['div', 12, false, { class: 'body', id: 'pave-list-body', hidden: '' }],
  // 15: the popover.
  ['div', ROOT, false, { class: 'popover', part: 'popover', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'pave-title', 'aria-describedby': 'pave-component pave-counter', tabindex: '-1', hidden: '' }],
  // 16–20: close, the close-up and its picture, the title (a heading by role, so its level
  // follows `heading-level`), the component.
  ['button', 15, false, { class: 'close', type: 'button', 'data-action': 'close' }, '×'],
  ['div', 15, false, { class: 'closeup', part: 'closeup' }],
  ['img', 17, false, { decoding: 'async' }],
  ['div', 15, false, { class: 'title', role: 'heading', 'aria-level': '3', id: 'pave-title' }],
  ['p', 15, false, { class: 'component', id: 'pave-component' }],
  // 21–29: the facts: tolerance, repair method, group, photo, each a term and its value (the
  // first two PAVE's words, in English).
  ['dl', 15, false],
  ['dt', 21, false],
  ['dd', 21, false, { lang: 'en' }],
  ['dt', 21, false],
  ['dd', 21, false, { lang: 'en' }],
  ['dt', 21, false],
  ['dd', 21, false],
  ['dt', 21, false],
  ['dd', 21, false],
  // 30–33: previous, "3 of 27", next.
  ['div', 15, false, { class: 'nav' }],
  ['button', 30, false, { class: 'prev', type: 'button', 'data-action': 'prev' }, '‹'],
  ['span', 30, false, { class: 'counter', id: 'pave-counter' }],
  ['button', 30, false, { class: 'next', type: 'button', 'data-action': 'next' }, '›'],
  // 34–36: the origin probe's three points (see `Skeleton::origin`).
  ['i', 3, false],
  ['i', 3, false],
  ['i', 3, false],
  // 37: a box that changes size to have a pass in this frame (see `Skeleton::soon`).
  ['i', ROOT, false, { class: 'soon' }],
  // 38: the origin probe's fourth point, which tells a perspective (a plane tilted in 3-D).
  ['i', 3, false],
];

// Builds the skeleton into `root`, with the built-in viewer when `viewer`; returns its nodes in
// the table's order (null for the viewer's, without it).
export function buildSkeleton(root, viewer) {
  const made = [];
  for (const [tag, parent, viewerOnly, attrs, text] of SKELETON) {
    if (viewerOnly && !viewer) {
      made.push(null);
      continue;
    }
    const e = el(tag, attrs, text);
    (parent >= 0 ? made[parent] : parent == STAGE && viewer ? made[1] : root).appendChild(e);
    made.push(e);
  }
  // The top layer keeps the popover above any z-index and outside any overflow clip of the host
  // page; where the Popover API is missing it is a fixed box with a high z-index.
  if ('showPopover' in made[15]) made[15].setAttribute('popover', 'manual');
  return made;
}

// The texts the engine packs end to end in `text`, their lengths in UTF-16 code units in `lens`
// (src/core/detail.rs's push_field): each call returns the next one.
function texts(text, lens) {
  let pos = 0;
  let t = 0;
  return () => text.slice(pos, (pos += lens[t++]));
}

// An element of the page's document with these attributes and text.
function el(tag, attrs, text = '') {
  const e = document.createElement(tag);
  for (const k of Object.keys(attrs ?? {})) e.setAttribute(k, attrs[k]);
  e.textContent = text;
  return e;
}

// One photo's markers, built in one call from the engine (src/dom/view.rs): the loop runs here
// instead of crossing the wasm boundary a dozen times per marker. Text from PAVE is only set with
// setAttribute and textContent, never parsed as HTML.
//   text  every marker's group key, severity key and accessible name, end to end
//   lens  their lengths in UTF-16 code units, three per marker
//   nums  damage index, x % and y % of each marker, three per marker
// Appends the photo's container (hidden) to `fragment`; returns it, then the buttons in the
// order given.
export function buildMarkers(fragment, text, lens, nums) {
  const container = el('div', { class: 'photo', hidden: '' });
  // Templates, cloned (`kinds` below): cheaper than building each button from scratch. Each
  // button sits in a zero-size positioned wrapper that carries its place: the buttons themselves have no inline
  // style, so the browser styles them from a cache (all buttons of a group share their computed
  // style) and only the wrappers, with two declarations, are styled one by one. Measured: 1,000
  // markers style and lay out in about 40 ms instead of 60-100.
  const button = { class: 'marker', type: 'button', part: 'marker', 'data-action': 'open', tabindex: '-1', 'aria-expanded': 'false' };
  const at = el('div', { class: 'at' });
  const out = [container];
  const next = texts(text, lens);
  // (A template per group, severity and number of digits (see `digits`), a handful: three
  // attributes fewer to set per marker.)
  const kinds = Object.create(null);
  for (let i = 0; i < nums.length; i += 3) {
    const group = next();
    const severity = next();
    const n = nums[i] + 1;
    const d = digits(n);
    const kind = `${group} ${severity} ${d}`;
    kinds[kind] ??= el('button', { ...button, 'data-group': group, 'data-severity': severity, ...d && { 'data-n': d } });
    const m = kinds[kind].cloneNode(false);
    m.setAttribute('data-index', nums[i]);
    m.setAttribute('aria-label', next());
    m.textContent = n;
    const place = at.cloneNode(false);
    place.style.left = `${nums[i + 1]}%`;
    place.style.top = `${nums[i + 2]}%`;
    place.appendChild(m);
    container.appendChild(place);
    out.push(m);
  }
  fragment.appendChild(container);
  return out;
}

// Writes `n` in a marker's or a badge's circle; from three digits on, their count in `data-n`,
// for a smaller font that fits the circle (see style.css).
function number(button, n) {
  button.textContent = n;
  if (digits(n)) button.setAttribute('data-n', digits(n));
}

// How many digits `n` has when it needs the smaller font (`data-n`), else 0.
const digits = (n) => (n > 99 ? String(n).length : 0);

// A cluster badge of `n` markers named `label` (src/dom/widget.rs), put in `container` right
// before the place of its first member in reading order, `first`.
export function buildCluster(n, label, container, first) {
  const b = el('button', {
    class: 'cluster', type: 'button', 'data-action': 'cluster', part: 'cluster', tabindex: '-1', 'aria-expanded': 'false',
    'aria-label': label,
  });
  number(b, n);
  const place = first?.parentElement;
  if (container && place) container.insertBefore(b, place);
  return b;
}

// The damage list's body, built in one call from the engine (src/dom/view.rs) as the markers
// are. Text from PAVE is only set with setAttribute and textContent, never parsed as HTML.
//   text  the filters' accessible name, "All", each group filter's key and label ("Body (22)");
//         then each photo's heading and, for each of its damages, its group key, title and place
//   lens  their lengths in UTF-16 code units
//   nums  how many group filters; how many photos, each photo's number of damages, and each
//         damage's index and flags (1: its title is PAVE's words, 2: its place is in English:
//         either is marked lang="en")
// Appends the filters, then each photo's heading and list of rows, to `body`; returns the filter
// buttons and the rows' buttons.
export function buildList(body, level, text, lens, nums) {
  const frag = document.createDocumentFragment();
  const next = texts(text, lens);
  let n = 0;
  const button = (action, attrs, content) => el('button', { type: 'button', 'data-action': action, ...attrs }, content);
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': next() });
  const buttons = [button('filter', { 'data-group': '', 'aria-pressed': true }, next())];
  for (let g = nums[n++]; g > 0; g--) {
    buttons.push(button('filter', { 'data-group': next(), 'aria-pressed': false }, next()));
  }
  filters.append(...buttons);
  frag.append(filters);
  const rows = [];
  for (let p = nums[n++]; p > 0; p--) {
    const ol = el('ol');
    frag.append(el('div', { class: 'heading', role: 'heading', 'aria-level': level }, next()), ol);
    for (let d = nums[n++]; d > 0; d--) {
      const index = nums[n++];
      const flags = nums[n++];
      const group = next();
      const b = button('open', { part: 'list-item', 'data-index': index, 'data-group': group });
      b.append(
        el('span', { class: 'num', 'data-group': group }, index + 1),
        el('span', { class: 'what', ...(flags & 1 && { lang: 'en' }) }, next()),
        el('span', { class: 'where', ...(flags & 2 && { lang: 'en' }) }, next()),
      );
      const li = el('li');
      li.append(b);
      ol.append(li);
      rows.push(b);
    }
  }
  body.append(frag);
  return [buttons, rows];
}

// A photo's markers and cluster badges are one tab stop (a roving tabindex, as on Google's map
// markers): `tabindex` 0 on one, -1 on the others, which the arrow keys reach. The stop goes to
// `to` if it is one of them (it takes the focus), else, when it no longer shows (hidden, or a
// badge removed), to the first button that does in reading order. At most two writes.
export function rove(container, to, focused) {
  const was = container.querySelector('[tabindex="0"]');
  if (to?.localName !== 'button' || !container.contains(to)) {
    to = was && !was.hidden ? was : container.querySelector('button:not([hidden])');
  }
  if (to && to !== was) {
    was?.setAttribute('tabindex', '-1');
    to.setAttribute('tabindex', '0');
  }
  // The focus was on one that hid (a crop, a filter): it fell to <body>, and the engine moves it.
  return focused?.hidden && container.contains(focused) ? to ?? container.parentNode : null;
}

// The texts of a damage in an event's detail, in the order the engine packs them
// (src/core/detail.rs).
const DAMAGE = ['photoLabel', 'group', 'component', 'componentText', 'name', 'description', 'tolerance', 'repairMethod', 'severity'];

// `pave-load`'s detail, { photos, damages, skipped, skippedTotal }, or when `one` the detail of an
// event about its one damage, { index, photoCode, damage } (pave-open, pave-close), from what the
// engine packs (src/core/detail.rs): texts end to end in
// `text`, their lengths in UTF-16 code units in `lens`, counts, codes (-1: none), indices and
// coordinates in `nums`. Nothing is parsed: PAVE's texts become strings as they are.
export function detail(text, lens, nums, one) {
  const next = texts(text, lens);
  let n = 0;
  const code = () => (nums[n] < 0 ? (n++, null) : nums[n++]);
  // (A loop, not Array.from: prototype.js, on old Magento shops, replaces it with one that
  // takes no map function.)
  const list = (item) => {
    const all = [];
    for (let k = nums[n++]; k > 0; k--) all.push(item());
    return all;
  };
  const photos = list(() => ({ code: code(), label: next(), url: next(), damages: nums[n++] }));
  const damages = list(() => {
    const d = { index: nums[n++], photoCode: code() };
    for (const k of DAMAGE) d[k] = next();
    d.x = nums[n++];
    d.y = nums[n++];
    return d;
  });
  const skipped = list(() => ({ path: next(), reason: next() }));
  const [d] = damages;
  return one ? { index: d.index, photoCode: d.photoCode, damage: d } : { photos, damages, skipped, skippedTotal: nums[n] };
}

// A `pave-*` event from the engine (src/dom/js.rs): bubbling, and composed (out of any shadow
// root the host is in).
export function dispatch(host, name, detail) {
  host.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

// Shows the engine's popover in the top layer (`source`, its opener, puts it next in Tab order
// where supported) or hides it, where the browser has the Popover API: the engine marks it
// with the `popover` attribute then (src/dom/view.rs).
export function popover(el, show, source) {
  if (el.hasAttribute('popover')) show ? el.showPopover({ source }) : el.hidePopover();
}

// Focus for the engine (src/dom/js.rs), scrolled into view if need be when `scroll`.
export function focus(el, scroll) {
  el.focus({ preventScroll: !scroll });
}

// Whether the focus is nowhere in particular (on <body>, or none) or on `host`, the widget: not in
// something else of the page's, where the user went on.
export function focusIdle(host) {
  const doc = host.ownerDocument;
  const a = doc.activeElement;
  return !a || a == doc.body || a == host;
}

// The key of a keydown for the engine (src/dom/widget.rs), or '' for one with Alt, Ctrl or Meta
// held (none of the widget's keys) or for an event that is no KeyboardEvent.
export function keyOf(e) {
  return e instanceof KeyboardEvent && !e.altKey && !e.ctrlKey && !e.metaKey ? e.key : '';
}

// Whether the user may be typing, or busy with something else of the page's: the focus, in
// whatever shadow root, is anywhere but <body> or a control that may have made a call of the
// page's (a button, a link, a menu item…): a field, a frame (a chat, a lead form), a closed shadow
// root, a widget of the page's. A call of the page's doesn't take the focus from there (the
// engine focuses only where nothing else has it then).
export function typing(host) {
  let a = host.ownerDocument.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return !!a && !a.matches('body, button, a, summary, [role=button], [role=link], [role=menuitem], [role=tab], input:is([type=button], [type=submit], [type=reset], [type=image], [type=checkbox], [type=radio])');
}

// The engine's swap key of the picture `el` (src/dom/widget.rs): its attributes that name its photo
// (an image's `src` resolved: `img.src = img.src` writes the absolute URL over a relative one, the
// same picture), then what the <source>s of the <picture> it is in say, separated by a character no
// attribute value holds; a missing attribute differs from an empty one.
export function swapKey(el) {
  let key = '';
  for (const name of ['src', 'srcset', 'sizes', 'data-pave-photo']) {
    const v = name == 'src' && el instanceof HTMLImageElement ? el.src : el.getAttribute(name);
    key += v == null ? '\0' : `\0=${v}`;
  }
  return `${key}\0=${sources(el)}`;
}

// What the <source>s of the <picture> that `img` is in say of the photo it shows, as one string
// (a part of the engine's swap key: a viewer may swap a source's srcset alone); `observer`, when
// given, watches them.
export function sources(img, observer) {
  let key = '';
  const p = img.parentElement;
  if (p?.localName == 'picture') {
    for (const s of p.children) {
      if (s.localName != 'source') continue;
      key += `\0${s.srcset}\0${s.media}\0${s.sizes}\0${s.type}`;
    }
    // (Sources added, removed or replaced later too: a framework's re-render.)
    observer?.observe(p, { childList: true, subtree: true, attributes: true, attributeFilter: ['srcset', 'media', 'sizes', 'type'] });
  }
  return key;
}

// Starts a MutationObserver of the engine's (src/dom/handles.rs) on `node`: for the attributes
// `names` lists, separated by spaces (all of them when empty), or, with no `names`, for children
// added or removed anywhere below and changes of `id`.
export function observe(observer, node, names) {
  observer.observe(node, names == null
    ? { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] }
    : names ? { attributes: true, attributeFilter: names.split(' ') } : { attributes: true });
}

/** The page's [origin, hostname, base URL] (src/dom/widget.rs): what photos' URLs are checked against. */
export const pageUrl = () => [location.origin, location.hostname, document.baseURI];
