// The engine's DOM calls that are cheaper written here than bound one by one through web-sys:
// a photo's markers, the roving tab stop, event details and dispatch, the popover, focus,
// mutation observers.
//
// One photo's markers, built in one call from the engine (src/dom/view.rs): the loop runs here
// instead of crossing the wasm boundary a dozen times per marker. Text from PAVE is only set with
// setAttribute and textContent, never parsed as HTML.
//   text  every marker's group key, severity key and accessible name, end to end
//   lens  their lengths in UTF-16 code units, three per marker
//   nums  damage index, x % and y % of each marker, three per marker
// Returns the buttons in the order given.
export function buildMarkers(container, button, at, text, lens, nums) {
  const out = [];
  let pos = 0;
  const next = (k) => text.slice(pos, (pos += lens[k]));
  for (let i = 0; i < nums.length; i += 3) {
    const m = button.cloneNode(false);
    m.setAttribute('data-index', nums[i]);
    m.setAttribute('data-group', next(i));
    m.setAttribute('data-severity', next(i + 1));
    m.setAttribute('aria-label', next(i + 2));
    m.textContent = nums[i] + 1;
    // (Three digits and more: a smaller font, to fit the circle. See style.css.)
    if (nums[i] >= 99) m.setAttribute('data-n', String(nums[i] + 1).length);
    const place = at.cloneNode(false);
    place.style.left = `${nums[i + 1]}%`;
    place.style.top = `${nums[i + 2]}%`;
    place.appendChild(m);
    container.appendChild(place);
    out.push(m);
  }
  return out;
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
  const doc = body.ownerDocument;
  const frag = doc.createDocumentFragment();
  let pos = 0;
  let t = 0;
  let n = 0;
  const next = () => text.slice(pos, (pos += lens[t++]));
  // An element with these attributes and text.
  const el = (tag, attrs, content = '') => {
    const e = doc.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    e.textContent = content;
    return e;
  };
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
export function rove(container, to) {
  const was = container.querySelector('[tabindex="0"]');
  if (to?.localName !== 'button' || !container.contains(to)) {
    to = was && !was.hidden ? was : container.querySelector('button:not([hidden])');
  }
  if (!to || to === was) return;
  was?.setAttribute('tabindex', '-1');
  to.setAttribute('tabindex', '0');
}

// An event's detail (src/dom/js.rs): the engine writes it as one JSON text without the damages'
// coordinates (JSON text would need float formatting in the wasm) and hands those as numbers, x
// and y of each damage in `xy`, in the order of the detail's `damages` (`pave-load`), or of the
// detail itself (one damage). Throws what JSON.parse throws.
export function withCoordinates(json, xy) {
  const detail = JSON.parse(json);
  (detail.damages ?? [detail]).forEach((d, i) => {
    d.x = xy[2 * i];
    d.y = xy[2 * i + 1];
  });
  return detail;
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

// Starts a MutationObserver of the engine's (src/dom/handles.rs) on `node`: for the attributes
// `names` lists, separated by spaces (all of them when empty), or, with no `names`, for children
// added or removed anywhere below and changes of `id`.
export function observe(observer, node, names) {
  observer.observe(node, names == null
    ? { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] }
    : names ? { attributes: true, attributeFilter: names.split(' ') } : { attributes: true });
}
