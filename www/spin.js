// The dealer page's 360° spin viewer, and the few lines that connect it to <pave-hotspots>.
//
// Part 1 is any spin viewer: 16 pictures taken every 22.5° around the car, turned by dragging
// (mouse, pen or touch), by the arrow keys when it has focus, or by buttons. It only swaps the
// <img>'s src. Part 2 tells <pave-hotspots> which PAVE photo each frame is, and turns the car when
// the customer picks a damage that is on another side.

// ---- Part 1: the spin viewer -------------------------------------------------------------------

const FRAMES = 16;
const frameUrl = (n) => `/generated/photos/frame-${String(n).padStart(2, '0')}.svg`;
const ANGLES = ['Front', 'Front right', 'Right', 'Rear right', 'Rear', 'Rear left', 'Left', 'Front left'];

const viewer = document.getElementById('spin-viewer');
const img = document.getElementById('spin');
const angleText = document.querySelector('.spin-angle');
const viewButtons = document.querySelectorAll('[data-frame]');
const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)');

let frame = 1;
let turning = null;

/** "Front", "Front right", …, or "Between front and front right". */
function angleName(n) {
  const i = n - 1;
  if (i % 2 === 0) return ANGLES[i / 2];
  const [a, b] = [ANGLES[(i - 1) / 2], ANGLES[((i + 1) / 2) % ANGLES.length]];
  return `Between ${a.toLowerCase()} and ${b.toLowerCase()}`;
}

/** Shows frame `n` (wrapping around). */
function show(n) {
  frame = ((((n - 1) % FRAMES) + FRAMES) % FRAMES) + 1;
  img.src = frameUrl(frame);
  img.alt = `2009 BMW 3 Series, ${angleName(frame).toLowerCase()}`;
  viewer.setAttribute('aria-valuenow', String(frame));
  viewer.setAttribute('aria-valuetext', angleName(frame));
  angleText.textContent = angleName(frame);
  for (const b of viewButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.frame) === frame));
}

/** Turns to frame `target` the short way round, a frame at a time (at once for reduced motion). */
function turnTo(target) {
  clearTimeout(turning);
  let delta = (((target - frame) % FRAMES) + FRAMES) % FRAMES;
  if (delta > FRAMES / 2) delta -= FRAMES;
  if (reduceMotion.matches || delta === 0) {
    show(target);
    return;
  }
  const step = () => {
    show(frame + Math.sign(delta));
    delta -= Math.sign(delta);
    if (delta !== 0) turning = setTimeout(step, 45);
  };
  step();
}

function stopTurning() {
  clearTimeout(turning);
}

// Preload every frame so that dragging never waits for the network.
for (let n = 1; n <= FRAMES; n++) new Image().src = frameUrl(n);

// Drag: a full turn for two widths of the viewer. Pointer capture keeps the drag going when the
// pointer leaves the picture; `touch-action: pan-y` (demo.css) leaves vertical scrolling to the page.
let drag = null;
viewer.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  stopTurning();
  drag = { id: e.pointerId, x: e.clientX, from: frame };
  viewer.setPointerCapture(e.pointerId);
  viewer.classList.add('is-dragging', 'was-used');
});
viewer.addEventListener('pointermove', (e) => {
  if (!drag || e.pointerId !== drag.id) return;
  const perFrame = viewer.clientWidth / (FRAMES / 2);
  const n = drag.from + Math.round((e.clientX - drag.x) / perFrame);
  if (n !== frame) show(n);
});
for (const type of ['pointerup', 'pointercancel']) {
  viewer.addEventListener(type, (e) => {
    if (drag && e.pointerId === drag.id) drag = null;
    viewer.classList.remove('is-dragging');
  });
}

// Keys, as for a slider: ←/→ (and ↓/↑) one frame, Page Up/Down a quarter turn, Home the front.
viewer.addEventListener('keydown', (e) => {
  const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: FRAMES / 4, PageDown: -FRAMES / 4 };
  if (e.key in moves) show(frame + moves[e.key]);
  else if (e.key === 'Home') show(1);
  else return;
  e.preventDefault();
  stopTurning();
  viewer.classList.add('was-used');
});

for (const b of document.querySelectorAll('[data-turn]')) {
  b.addEventListener('click', () => { stopTurning(); show(frame + Number(b.dataset.turn)); });
}
for (const b of viewButtons) {
  b.addEventListener('click', () => turnTo(Number(b.dataset.frame)));
}
show(frame);

// ---- Part 2: connecting the spin to <pave-hotspots> --------------------------------------------

// Which PAVE photo each inspected angle is, by PAVE's photo codes (5 Front, 11 Front right,
// 7 Right, 12 Rear right, 8 Rear, 13 Rear left, 4 Left, 10 Front left). Frames in between show
// no markers: their pictures are not the ones PAVE measured.
const PHOTO_MAP = {
  'frame-01.svg': 5, 'frame-03.svg': 11, 'frame-05.svg': 7, 'frame-07.svg': 12,
  'frame-09.svg': 8, 'frame-11.svg': 13, 'frame-13.svg': 4, 'frame-15.svg': 10,
};

const hotspots = document.querySelector('pave-hotspots[for="spin"]');
hotspots.photoMap = PHOTO_MAP;

// The customer chose a damage on another side (in the list, or with next/previous in the
// popover): turn the car there. The widget opens the damage once that frame shows.
hotspots.addEventListener('pave-photo-request', (e) => {
  const file = Object.keys(PHOTO_MAP).find((name) => PHOTO_MAP[name] === Number(e.detail.photoCode));
  if (file) turnTo(Number(file.slice('frame-'.length, -'.svg'.length)));
});
