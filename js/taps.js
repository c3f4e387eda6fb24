// Taps on the widget's markers and cluster badges that the browser does not turn into a click on
// them, and clicks that were drags. A spin viewer around the element may capture the pointer on
// pointerdown (the click then goes to the viewer) or cancel touchstart (then there is no click at
// all): a tap, down and up within SLOP px, still clicks its button. And a drag that starts on a
// marker turns the car, not opens the marker, even when it ends where it began.
const SLOP = 8;

/** Called once per shadow root (js/engine.js: an element connected again keeps its root). */
export function watchTaps(root) {
  // The pointer that went down on one of our buttons, where, whether it went farther than SLOP
  // (a drag) and whether its click came; and a button clicked for a tap whose own click may
  // still come (a phone may send it later): that one is the same tap, not a second.
  let id = null;
  let button = null;
  let late = null;
  let x, y, far, clicked;
  const listen = (on) => {
    for (const type of ['pointermove', 'pointerup', 'pointercancel']) (on ? addEventListener : removeEventListener)(type, follow, true);
  };
  const follow = (e) => {
    if (e.pointerId !== id) return;
    if (Math.hypot(e.clientX - x, e.clientY - y) > SLOP || e.type == 'pointercancel') far = true;
    if (e.type == 'pointermove') return;
    listen(false);
    id = null;
    const b = button;
    // The click, if the browser makes one, comes in this task; ours, if it didn't, in the next.
    setTimeout(() => {
      if (!far && !clicked && b.isConnected && !b.closest('[hidden]')) {
        late = b;
        b.click();
        setTimeout(() => late == b && (late = null), 600);
      }
      if (button == b) button = null;
    });
  };
  root.addEventListener('pointerdown', (e) => {
    const on = e.isPrimary && !e.button && e.target.closest?.('.layer button');
    if (!on) return;
    listen(true);
    [id, button, x, y, far, clicked, late] = [e.pointerId, on, e.clientX, e.clientY, false, false, null];
  });
  root.addEventListener('click', (e) => {
    const stop = () => {
      e.stopImmediatePropagation();
      e.preventDefault();
    };
    if (e.isTrusted && late?.contains(e.target)) {
      late = null;
      return stop();
    }
    if (!button?.contains(e.target)) return; // a key's click, another button
    clicked = true;
    if (far) stop();
  }, true);
}
