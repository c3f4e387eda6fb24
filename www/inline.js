// inline.html: the widget fed with results the page already has, over a plain cropped <img>.
const hotspots = document.getElementById('hotspots');
const photo = document.getElementById('photo');
const photoSelect = document.getElementById('photo-select');
const cropSelect = document.getElementById('crop-select');
const caption = document.getElementById('caption');
const log = document.getElementById('log');
let results = null;

// ---- The event log (text only: PAVE's strings are never parsed as HTML) ------------------------

const describe = {
  'pave-load': (d) => `${d.photos.length} photos, ${d.damages.length} damages, ${d.skipped.length} skipped`,
  'pave-state': (d) => d.state,
  'pave-error': (d) => `${d.kind}: ${d.message}`,
  'pave-open': (d) => `#${d.index + 1} ${d.damage.description} · ${d.damage.componentText}`,
  'pave-close': (d) => `#${d.index + 1}`,
  'pave-photo-request': (d) => `photo ${d.photoCode}`,
};
for (const [type, text] of Object.entries(describe)) {
  hotspots.addEventListener(type, (e) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = `type ${type}`;
    name.textContent = type;
    li.append(name, text(e.detail));
    log.prepend(li);
  });
}
document.getElementById('clear-log').addEventListener('click', () => log.replaceChildren());

// ---- Which photo the <img> shows ---------------------------------------------------------------

/** Shows the photo with PAVE code `code`, telling the widget which one it is. */
function showPhoto(code) {
  const option = [...photoSelect.options].find((o) => o.value === String(code));
  if (!option) return;
  photoSelect.value = option.value;
  photo.src = option.dataset.src;
  photo.alt = `The car from the ${option.text.toLowerCase()}`;
  photo.dataset.pavePhoto = option.value;
}

photoSelect.addEventListener('change', () => showPhoto(photoSelect.value));
for (const button of document.querySelectorAll('[data-step]')) {
  button.addEventListener('click', () => {
    const n = photoSelect.options.length;
    const i = (photoSelect.selectedIndex + Number(button.dataset.step) + n) % n;
    showPhoto(photoSelect.options[i].value);
  });
}
cropSelect.addEventListener('change', () => {
  photo.classList.remove('focus-top', 'focus-bottom');
  if (cropSelect.value) photo.classList.add(cropSelect.value);
});
// Next/previous in the popover may lead to another photo: show it.
hotspots.addEventListener('pave-photo-request', (e) => showPhoto(e.detail.photoCode));

// ---- "8 of the 10 damages on this photo are inside the crop" -----------------------------------

function updateCaption() {
  const shown = results?.data.find((p) => String(p.photo_code) === photo.dataset.pavePhoto);
  if (!shown) return;
  const points = shown.inspection_data.map((d) => d.coodrs);
  const inside = points.filter((c) => hotspots.toPixels(c.x, c.y) !== null).length;
  caption.textContent = `${shown.photo_label}: ${inside} of the ${points.length} damages on this photo are inside the crop.`;
}
const later = () => requestAnimationFrame(updateCaption);
photo.addEventListener('load', later);
cropSelect.addEventListener('change', later);
hotspots.addEventListener('pave-load', later);
addEventListener('resize', later);

// ---- The data: any JSON the page has, here PAVE's sample from the demo's own files --------------

const response = await fetch('/fixtures/UDB-512D3TASIY.json');
results = await response.json();
hotspots.results = results;
