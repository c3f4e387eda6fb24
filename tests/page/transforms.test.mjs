// Markers follow every CSS transform of the picture, not only scale and translate: rotations,
// skews and mirrors, as `transform` (any origin), as the individual `rotate`/`scale`/`translate`
// properties, or on a common ancestor of the picture and the element; with object-fit, border and
// padding; hit testing on the rotated markers; and a transform changed at run time.
//
// The oracle is a twin: a hidden div with the picture's own layout box and transform, holding a
// 0×0 child at each damage's point in the picture's local coordinates. The browser transforms the
// twin as it transforms the picture, so the child's viewport position is where that point of the
// painted picture is, without a formula of ours for the transforms. Checked once against the
// pixels (a photo with a magenta dot at each point, found in a screenshot): the twin's points lie
// within 0.12 px of the dots in every case here. Where today's engine is right (no transform, a
// scale + translate change at run time) its markers lie within 0.02 px of the twin's points; the
// tolerance is 1 px, and each test reports its largest error as a diagnostic.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, newPage, closeBrowser, html, settle, waitForEvent, markerCentres, transitionsDone, inRoot, resultsAt } from './harness.mjs';

const TOLERANCE = 1;

// Damage points (percent of the photo): over 100 px apart on a 480×360 picture, so none cluster.
// The one at the centre stays put under a transform about the middle (today's build gets it
// right there); the four others are what tells. Under object-fit: cover on a 2:1 box, those at
// y = 12 % and y = 88 % are cropped away.
const POINTS = [[10, 12], [50, 50], [85, 30], [75, 88], [25, 70]];

const RESULTS = resultsAt([{ code: 5, points: POINTS }]);

// The picture and its twin sit at the same place in the same positioned box (#stage), which also
// holds the element: a transform on #stage is on a common ancestor of all three.
const STYLE = `<style>body{margin:0} #stage{position:relative;margin:180px 0 0 220px;width:560px;height:440px}
#spin,#twin{position:absolute;left:40px;top:40px;margin:0} #twin{visibility:hidden}</style>`;

let server;
before(async () => {
  server = await serve({
    pages: {
      '/rotate.html': html(`<div id="stage"><img id="spin" src="/photos/frame-01.svg" alt="">
        <div id="twin"></div><pave-hotspots for="spin" photo="5" list="none"></pave-hotspots></div>`, { head: STYLE }),
      // The picture in a zoom wrapper that the element is outside of (a spin viewer's zoom).
      '/zoom.html': html(`<div id="stage"><div id="zoom" style="transform-origin:0 0"><img id="spin" src="/photos/frame-01.svg" alt=""
        style="display:block;width:480px;height:360px"><div id="twin"></div></div><pave-hotspots for="spin" photo="5" list="none"></pave-hotspots></div>`, { head: STYLE }),
    },
  });
});
after(async () => { await server?.close(); await closeBrowser(); });

/** Gives the picture and its twin the same CSS (which must set width and height), and #stage `stageCss`. */
function restyle(page, css, stageCss = '') {
  return page.evaluate(([css, stageCss]) => {
    document.getElementById('spin').style.cssText = css;
    document.getElementById('twin').style.cssText = css;
    document.getElementById('stage').style.cssText = stageCss;
  }, [css, stageCss]);
}

/** Opens the page with the picture styled `css` and #stage `stageCss`, the results inline; waits for the markers. */
async function open(css, stageCss = '', path = '/rotate.html', init = null) {
  const page = await newPage();
  if (init) await page.addInitScript(init);
  await page.goto(`${server.url}${path}`);
  await restyle(page, css, stageCss);
  await page.evaluate((data) => { document.querySelector('pave-hotspots').results = data; }, RESULTS);
  await waitForEvent(page, 'pave-load');
  await page.waitForFunction(() => document.getElementById('spin').complete && document.getElementById('spin').naturalWidth > 0);
  await settle(page);
  await settle(page);
  return page;
}

/**
 * Opens /zoom.html (the picture and its twin in #zoom, the element outside it) with both at BOX,
 * runs `setup(arg)` in the page, then loads the results and waits for the markers.
 */
async function openZoom(setup = () => {}, arg = null) {
  const page = await newPage();
  await page.goto(`${server.url}/zoom.html`);
  await restyle(page, BOX);
  await page.evaluate(setup, arg);
  await page.evaluate((data) => { document.querySelector('pave-hotspots').results = data; }, RESULTS);
  await waitForEvent(page, 'pave-load');
  await page.waitForFunction(() => document.getElementById('spin').complete);
  await settle(page);
  await settle(page);
  return page;
}

/**
 * The oracle: where each of POINTS shows in the viewport (null: cropped away by object-fit), read
 * from the twin. The picture's content rectangle is computed from its natural size, object-fit
 * (fill, contain or cover; object-position the default 50% 50%), border, padding and box-sizing.
 * Also returns the picture's and the twin's bounding boxes, which must be the same.
 */
function twinPoints(page) {
  return page.evaluate((points) => {
    const img = document.getElementById('spin');
    const twin = document.getElementById('twin');
    const cs = getComputedStyle(twin);
    const px = (name) => parseFloat(cs.getPropertyValue(name)) || 0;
    const edges = (name) => ['left', 'right', 'top', 'bottom'].map((side) => px(name(side)));
    const [bl, br, bt, bb] = edges((side) => `border-${side}-width`);
    const [pl, pr, pt, pb] = edges((side) => `padding-${side}`);
    const borderBox = cs.boxSizing === 'border-box';
    const cw = px('width') - (borderBox ? bl + br + pl + pr : 0);
    const ch = px('height') - (borderBox ? bt + bb + pt + pb : 0);
    const { objectFit, objectPosition } = getComputedStyle(img);
    if (!['fill', 'contain', 'cover'].includes(objectFit) || objectPosition !== '50% 50%') throw new Error(`twin: ${objectFit} ${objectPosition}`);
    const nw = img.naturalWidth;
    const nh = img.naturalHeight;
    const s = { contain: Math.min(cw / nw, ch / nh), cover: Math.max(cw / nw, ch / nh) }[objectFit];
    const dw = s ? nw * s : cw;
    const dh = s ? nh * s : ch;
    twin.replaceChildren();
    const expected = points.map(([x, y]) => {
      // In the content box; the child's containing block is the twin's padding box.
      const lx = (cw - dw) / 2 + (x / 100) * dw;
      const ly = (ch - dh) / 2 + (y / 100) * dh;
      if (lx < 0 || lx > cw || ly < 0 || ly > ch) return null;
      const dot = twin.appendChild(document.createElement('i'));
      dot.style.cssText = `position:absolute;width:0;height:0;left:${pl + lx}px;top:${pt + ly}px`;
      const r = dot.getBoundingClientRect();
      return { x: r.x, y: r.y };
    });
    return { expected, img: img.getBoundingClientRect().toJSON(), twin: twin.getBoundingClientRect().toJSON(), natural: [nw, nh] };
  }, POINTS);
}

/**
 * Every point the twin shows has its marker within TOLERANCE px, every cropped one has none.
 * Returns the expected points and the largest error.
 */
async function assertOnTwin(page, label) {
  const { expected, img, twin, natural } = await twinPoints(page);
  assert.deepEqual(natural, [1200, 900], `${label}: the photo's natural size`);
  for (const k of ['x', 'y', 'width', 'height']) {
    assert.ok(Math.abs(img[k] - twin[k]) < 0.01, `${label}: the twin's box differs from the picture's (${k} ${twin[k]} vs ${img[k]})`);
  }
  const markers = await markerCentres(page);
  let maxError = 0;
  for (const [i, want] of expected.entries()) {
    const got = markers[i];
    if (want === null) {
      assert.equal(got, undefined, `${label}: point ${i} is cropped away, yet its marker shows`);
      continue;
    }
    assert.ok(got, `${label}: marker ${i} missing (expected at ${want.x.toFixed(2)}, ${want.y.toFixed(2)})`);
    const error = Math.hypot(got.x - want.x, got.y - want.y);
    assert.ok(error <= TOLERANCE, `${label}: marker ${i} at (${got.x.toFixed(2)}, ${got.y.toFixed(2)}) is ${error.toFixed(2)} px from its point (${want.x.toFixed(2)}, ${want.y.toFixed(2)})`);
    maxError = Math.max(maxError, error);
  }
  return { expected, maxError };
}

/** One test per case: the markers sit on their points of the painted picture. */
function onPoints(cases, { hidden = 0 } = {}) {
  for (const [label, css, stageCss, bodyCss] of cases) {
    test(label, async (t) => {
      const page = await open(css, stageCss);
      if (bodyCss) {
        // (The body, #stage's parent: a `perspective` property tilts what #stage turns about x or y.)
        await page.evaluate((c) => { document.body.style.cssText = c; }, bodyCss);
        await settle(page);
        await settle(page);
      }
      const { expected, maxError } = await assertOnTwin(page, label);
      assert.equal(expected.filter((p) => p === null).length, hidden, `${label}: points cropped away`);
      t.diagnostic(`max error ${maxError.toFixed(3)} px`);
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    });
  }
}

const BOX = 'width:480px;height:360px;';

describe("the picture's own transform", () => {
  onPoints([
    ['rotate(30deg)', `${BOX}transform:rotate(30deg)`],
    ['rotate(90deg)', `${BOX}transform:rotate(90deg)`],
    ['skewX(20deg)', `${BOX}transform:skewX(20deg)`],
    ['scaleX(-1): a mirror', `${BOX}transform:scaleX(-1)`],
    ['rotate(-60deg) scale(0.8), origin at the bottom left corner', `${BOX}transform:rotate(-60deg) scale(0.8);transform-origin:0 100%`],
    // A pop-out towards the viewer is still flat: the picture is drawn scaled by its perspective.
    ['perspective(1000px) translateZ(100px) rotate(30deg): a pop-out', `${BOX}transform:perspective(1000px) translateZ(100px) rotate(30deg)`],
    // rotate(-20deg) scale(0.9) translate(30px, -15px) as one matrix, about the point (10px, 20px).
    ['matrix(rotate + scale + translate), transform-origin: 10px 20px', `${BOX}transform:matrix(0.8457, -0.3078, 0.3078, 0.8457, 30, -15);transform-origin:10px 20px`],
  ]);
});

describe('the individual transform properties, alone and with transform', () => {
  onPoints([
    ['rotate: 45deg', `${BOX}rotate:45deg`],
    ['scale: -1 1 with transform: rotate(20deg)', `${BOX}scale:-1 1;transform:rotate(20deg)`],
    ['translate: 10px 5% with transform: rotate(-30deg) skewY(8deg)', `${BOX}translate:10px 5%;transform:rotate(-30deg) skewY(8deg)`],
    ['translate, rotate, scale and transform together, transform-origin: 30% 70%',
      `${BOX}translate:10px 5%;rotate:45deg;scale:-1 1;transform:scale(0.9) skewX(-10deg);transform-origin:30% 70%`],
  ]);
});

describe('a transform on a common ancestor of the picture and the element', () => {
  onPoints([
    ['ancestor rotate(90deg)', BOX, 'transform:rotate(90deg)'],
    ['ancestor rotate(-25deg) skewY(10deg)', BOX, 'transform:rotate(-25deg) skewY(10deg)'],
    ['ancestor rotate(90deg), the picture mirrored', `${BOX}transform:scaleX(-1)`, 'transform:rotate(90deg)'],
    // A card tilted in 3-D, as vanilla-tilt and CSS hover tilts do: the markers' plane is the
    // picture's, found from its bounding box through the perspective the probe's fourth point tells.
    ['ancestor perspective(700px) rotateY(25deg): a tilted card', BOX, 'transform:perspective(700px) rotateY(25deg)'],
    ['ancestor perspective(900px) rotateX(-18deg) rotateY(12deg) scale3d(1.05, 1.05, 1.05): a hover tilt', BOX, 'transform:perspective(900px) rotateX(-18deg) rotateY(12deg) scale3d(1.05,1.05,1.05)'],
    ['ancestor rotateX(-20deg) rotateZ(10deg) under its parent\'s perspective: 600px', BOX, 'transform:rotateX(-20deg) rotateZ(10deg)', 'perspective:600px'],
    ['ancestor perspective(700px) rotateY(25deg), the picture turned', `${BOX}transform:rotate(20deg)`, 'transform:perspective(700px) rotateY(25deg)'],
  ]);
});

describe('a transform the element does not share with the picture: on the element, or on a wrapper of the picture alone', () => {
  // /zoom.html: the picture and its twin in #zoom, which the element is outside of.
  const cases = [
    ['the wrapper rotate(25deg)', 'transform:rotate(25deg)', ''],
    ['the wrapper scaleX(-1): a mirror', 'transform:scaleX(-1)', ''],
    ['the wrapper skewX(15deg) scale(1.2)', 'transform:skewX(15deg) scale(1.2)', ''],
    ['the element rotate(20deg)', '', 'transform:rotate(20deg)'],
    ['the element scaleY(-1) rotate(-35deg), the wrapper rotate(40deg) scale(0.8)', 'transform:rotate(40deg) scale(0.8)', 'transform:scaleY(-1) rotate(-35deg)'],
    // (An inline box can't be transformed: a transform on one is no transform.)
    ['the wrapper display: inline with transform: rotate(30deg)', 'display:inline;transform:rotate(30deg)', ''],
  ];
  for (const [label, wrapper, element] of cases) {
    test(label, async (t) => {
      const page = await openZoom(([wrapper, element]) => {
        document.getElementById('zoom').style.cssText = `transform-origin:0 0;${wrapper}`;
        document.querySelector('pave-hotspots').style.cssText = element;
      }, [wrapper, element]);
      const { maxError } = await assertOnTwin(page, label);
      t.diagnostic(`max error ${maxError.toFixed(3)} px`);
      // Then turned further at run time: followed too.
      await page.evaluate(() => { document.getElementById('zoom').style.rotate = '-10deg'; });
      await settle(page);
      await settle(page);
      await assertOnTwin(page, `${label}, then rotate: -10deg`);
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    });
  }
});

test('a wrapper of the picture mirrored or turned in place (its box unchanged), by its style, a class on the body or a data attribute: markers follow', async () => {
  const page = await openZoom(() => {
    // (The picture sits 40 px in from each side of the 560×440 wrapper: symmetric about its centre.)
    document.getElementById('zoom').style.cssText = 'transform-origin:50% 50%;height:440px';
    const rule = document.createElement('style');
    rule.textContent = 'body.turned #zoom { rotate: 180deg } #stage[data-flip] #zoom { scale: 1 -1 }';
    document.head.append(rule);
  });
  await assertOnTwin(page, 'untransformed');
  // Neither changes the picture's bounding box: no resize, no move to see.
  for (const [label, change] of [
    ['mirrored by its style', "document.getElementById('zoom').style.transform = 'scaleX(-1)'"],
    ['and turned half round by a class on the body', "document.body.classList.add('turned')"],
    ['and back', "document.body.classList.remove('turned'); document.getElementById('zoom').style.transform = ''"],
    ['flipped upside down by a data attribute on an ancestor', "document.getElementById('stage').dataset.flip = ''"],
  ]) {
    const before = await page.evaluate(() => document.getElementById('spin').getBoundingClientRect().toJSON());
    await page.evaluate(change);
    await settle(page);
    await settle(page);
    const after = await page.evaluate(() => document.getElementById('spin').getBoundingClientRect().toJSON());
    assert.deepEqual(after, before, `${label}: the picture's box moved (the test needs it to stay)`);
    await assertOnTwin(page, label);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a wrapper turned half round by element.animate() (no CSS event): markers follow to where it ends', async () => {
  const page = await openZoom(() => { document.getElementById('zoom').style.cssText = 'transform-origin:50% 50%;height:440px'; });
  await assertOnTwin(page, 'before');
  // It ends with the box it started from: only following it frame by frame finds the end.
  await page.evaluate(() => document.getElementById('zoom').animate([{ rotate: '0deg' }, { rotate: '180deg' }], { duration: 300, fill: 'forwards' }).finished);
  await settle(page);
  await settle(page);
  await assertOnTwin(page, 'turned half round');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test("a picture slotted into a component whose shadow tree turns or mirrors it: markers follow", async () => {
  // The picture and its twin are slotted into <x-stage>, whose shadow tree holds the slot in a
  // turned box (a web-component spin viewer): an ancestor in the flat tree only.
  const page = await openZoom(() => {
    customElements.define('x-stage', class extends HTMLElement {
      constructor() {
        super();
        this.attachShadow({ mode: 'open' }).innerHTML = '<div style="position:relative;height:440px;transform:var(--turn, none)"><slot></slot></div>';
      }
    });
    const zoom = document.getElementById('zoom');
    const stage = document.createElement('x-stage');
    stage.style.display = 'block';
    stage.append(...zoom.childNodes);
    zoom.append(stage);
  });
  for (const turn of ['none', 'rotate(30deg)', 'scaleX(-1)']) {
    await page.evaluate((turn) => document.querySelector('x-stage').style.setProperty('--turn', turn), turn);
    await settle(page);
    await settle(page);
    await assertOnTwin(page, `the component's box ${turn}`);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

describe('object-fit on a rotated picture', () => {
  // The photo (4:3) letterboxed in a 440×360 content box (440×330 drawn, 15 px bands), or with
  // box-sizing: border-box in a 400×330 one (400×300 drawn), inside a border and uneven padding.
  // (Whole-pixel bands: the browser paints a letterboxed picture at whole pixels of its own box,
  // up to half a pixel off its exact layout, before the transform.)
  const contain = 'object-fit:contain;border:6px solid #333;padding:9px 4px 12px 15px;background:#999;';
  onPoints([
    ['contain, border and padding, rotate(30deg)', `width:440px;height:360px;${contain}transform:rotate(30deg)`],
    ['contain, border-box, rotate(-90deg) and a mirror', `width:431px;height:363px;box-sizing:border-box;${contain}transform:rotate(-90deg) scaleX(-1)`],
  ]);
  // A 480×240 box crops the photo's top and bottom sixth: two points have no marker.
  onPoints([
    ['cover crops two points, rotate(25deg)', 'width:480px;height:240px;object-fit:cover;border:5px solid #333;transform:rotate(25deg)'],
    ['cover crops two points, ancestor rotate(-25deg) skewY(10deg)', 'width:480px;height:240px;object-fit:cover;padding:4px', 'transform:rotate(-25deg) skewY(10deg)'],
  ], { hidden: 2 });
});

describe('hit testing on rotated markers', () => {
  for (const [label, css, stageCss] of [
    ['a click on each point of a rotate(30deg) picture opens its damage', `${BOX}transform:rotate(30deg)`],
    ['a click on each point under an ancestor rotate(90deg) opens its damage', BOX, 'transform:rotate(90deg)'],
  ]) {
    test(label, async () => {
      const page = await open(css, stageCss);
      const { expected } = await twinPoints(page);
      for (const [index, at] of expected.entries()) {
        assert.ok(at.x > 0 && at.x < 1000 && at.y > 0 && at.y < 800, `point ${index} off screen`);
        await page.clearEvents();
        await page.mouse.click(at.x, at.y);
        const opened = await waitForEvent(page, 'pave-open', () => true, 3000);
        assert.equal(opened.index, index, `a click on point ${index} opened damage ${opened.index}`);
        await page.keyboard.press('Escape');
        await waitForEvent(page, 'pave-close');
        await settle(page);
      }
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    });
  }
});

test('a transform changed at run time (rotate(0) to rotate(40deg), no resize): markers follow within a couple of frames', async (t) => {
  const page = await open(`${BOX}transform:rotate(0deg)`);
  await assertOnTwin(page, 'rotate(0deg)');
  await restyle(page, `${BOX}transform:rotate(40deg)`);
  // Two settles: four animation frames.
  await settle(page);
  await settle(page);
  const { maxError } = await assertOnTwin(page, 'rotate(40deg)');
  t.diagnostic(`max error ${maxError.toFixed(3)} px`);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a cluster fanned out over a picture zoomed by a wrapper the element is outside of: members sit where they sit unzoomed, around the badge', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/zoom.html`);
  // Two damages 1 % apart: a badge "2" at any zoom here.
  const data = structuredClone(RESULTS);
  data.data[0].inspection_data = data.data[0].inspection_data.slice(0, 2);
  data.data[0].inspection_data[0].coodrs = { x: 40, y: 40 };
  data.data[0].inspection_data[1].coodrs = { x: 41, y: 40 };
  await page.evaluate((data) => { document.querySelector('pave-hotspots').results = data; }, data);
  await waitForEvent(page, 'pave-load');
  await page.waitForFunction(() => document.querySelector('pave-hotspots').shadowRoot.querySelector('.cluster'));
  await page.locator('pave-hotspots .cluster').click();
  // Where each member is from the badge, once the fan-out's animation is done.
  const fan = async () => {
    await settle(page);
    await transitionsDone(page);
    const badge = await inRoot(page, `const r = root.querySelector('.cluster').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 };`);
    const centres = await markerCentres(page);
    assert.deepEqual(Object.keys(centres).sort(), ['0', '1'], 'both members shown');
    return [0, 1].map((i) => ({ x: centres[i].x - badge.x, y: centres[i].y - badge.y }));
  };
  const unzoomed = await fan();
  await page.evaluate(() => { document.getElementById('zoom').style.transform = 'scale(3)'; });
  const zoomed = await fan();
  assert.equal(await page.locator('pave-hotspots .cluster').getAttribute('aria-expanded'), 'true');
  for (const i of [0, 1]) {
    const off = Math.hypot(zoomed[i].x - unzoomed[i].x, zoomed[i].y - unzoomed[i].y);
    assert.ok(off < 0.5, `member ${i}: at ${JSON.stringify(zoomed[i])} from the badge at zoom 3, ${JSON.stringify(unzoomed[i])} unzoomed`);
  }
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

describe("the popover's close-up shows the picture as the page does, the damage at its centre", () => {
  for (const [label, css, stageCss, want] of [
    ['untransformed: not turned', BOX, '', [1, 0, 0, 1]],
    ['a themed popover width (--pave-popover-width: 420px)', BOX, '--pave-popover-width:420px', [1, 0, 0, 1]],
    ['mirrored by scaleX(-1): mirrored', `${BOX}transform:scaleX(-1)`, '', [-1, 0, 0, 1]],
    ['rotate(30deg) and scale(2): turned, not scaled', `${BOX}transform:rotate(30deg) scale(2)`, '', [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), -Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)]],
    ['a turned container: turned with it', BOX, 'transform:rotate(-90deg)', [0, -1, 1, 0]],
  ]) {
    test(label, async () => {
      const page = await open(css, stageCss);
      await page.evaluate(() => document.querySelector('pave-hotspots').open(2));
      await waitForEvent(page, 'pave-open');
      await settle(page);
      const closeup = await inRoot(page, `
        const box = root.querySelector('.closeup');
        const img = box.querySelector('img');
        const s = getComputedStyle(img);
        const m = new DOMMatrix(s.transform === 'none' ? '' : s.transform);
        const px = (name) => parseFloat(s.getPropertyValue(name));
        // Damage 2 is at ${POINTS[2]} % of the photo.
        const at = [px('width') * ${POINTS[2][0] / 100}, px('height') * ${POINTS[2][1] / 100}];
        // Where its transform (about its origin o) takes the point: o + m · (point − o).
        const o = s.transformOrigin.split(' ').map(parseFloat);
        const [dx, dy] = [at[0] - o[0], at[1] - o[1]];
        const moved = [o[0] + m.a * dx + m.c * dy + m.e, o[1] + m.b * dx + m.d * dy + m.f];
        return {
          m: [m.a, m.b, m.c, m.d], at: [px('left') + moved[0], px('top') + moved[1]], about: o,
          point: at, centre: [box.clientWidth / 2, box.clientHeight / 2], natural: img.naturalWidth,
        };
      `);
      assert.ok(closeup.natural > 0, 'the close-up has its picture');
      for (const [k, v] of want.entries()) {
        assert.ok(Math.abs(closeup.m[k] - v) < 1e-4, `${label}: close-up transform ${JSON.stringify(closeup.m)}, want ${JSON.stringify(want)}`);
      }
      // The damage's point is at the close-up's centre (under its ring), and turned about it.
      assert.ok(Math.abs(closeup.at[0] - closeup.centre[0]) < 0.01 && Math.abs(closeup.at[1] - closeup.centre[1]) < 0.01, `the damage at ${closeup.at} in the close-up, not at its centre ${closeup.centre}`);
      if (want[0] !== 1) {
        assert.ok(Math.abs(closeup.about[0] - closeup.point[0]) < 0.01 && Math.abs(closeup.about[1] - closeup.point[1]) < 0.01, `turned about ${closeup.about}, not the damage at ${closeup.point}`);
      }
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    });
  }
});

describe('a zoom animated by the page (a spin viewer zooming): markers on their points once it stops', () => {
  const zoomed = 'translate(-150px, -30px) scale(1.8)';
  for (const [label, path, on, how] of [
    ["the picture's own transform, one step per frame", '/rotate.html', 'spin', 'steps'],
    ['a wrapper the element is outside of, one step per frame', '/zoom.html', 'zoom', 'steps'],
    ["the picture's own transform, a 300 ms CSS transition", '/rotate.html', 'spin', 'transition'],
    ['a wrapper the element is outside of, a 300 ms CSS transition', '/zoom.html', 'zoom', 'transition'],
  ]) {
    test(label, async () => {
      const page = await open(BOX, '', path);
      await assertOnTwin(page, 'before the zoom');
      // The twin takes the end state at once (on the wrapper, it is inside it and follows).
      await page.evaluate(async ([on, how, zoomed]) => {
        const el = document.getElementById(on);
        if (on === 'spin') document.getElementById('twin').style.transform = zoomed;
        if (how === 'transition') {
          el.style.transition = 'transform 300ms linear';
          el.style.transform = zoomed;
          return;
        }
        for (let k = 1; k <= 40; k++) {
          await new Promise(requestAnimationFrame);
          el.style.transform = `translate(${-150 * k / 40}px, ${-30 * k / 40}px) scale(${1 + 0.8 * k / 40})`;
        }
      }, [on, how, zoomed]);
      await page.waitForTimeout(600);
      await settle(page);
      await assertOnTwin(page, 'after the zoom');
      assert.deepEqual(page.errors(), []);
      await page.closeAll();
    });
  }
});

test('a turn animated by CSS (keyframes): markers on their points in every frame, and where it pauses', async (t) => {
  const page = await open(`${BOX}`);
  await page.evaluate(() => {
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = '@keyframes turn { to { transform: rotate(360deg) } } .turning { animation: turn 4s linear infinite }';
    document.getElementById('spin').classList.add('turning');
    document.getElementById('twin').classList.add('turning');
  });
  // In each of 30 frames, read after the engine's pass of that frame: the marker of the first
  // point against the twin's, which the browser turns alike.
  const errors = await page.evaluate(async () => {
    const dot = document.getElementById('twin').appendChild(document.createElement('i'));
    dot.style.cssText = 'position:absolute;width:0;height:0;left:48px;top:43.2px';
    const marker = document.querySelector('pave-hotspots').shadowRoot.querySelector('.marker[data-index="0"]');
    const out = [];
    for (let k = 0; k < 30; k++) {
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      const a = marker.getBoundingClientRect();
      const b = dot.getBoundingClientRect();
      out.push(Math.hypot(a.x + a.width / 2 - b.x, a.y + a.height / 2 - b.y));
    }
    return out;
  });
  t.diagnostic(`max error over 30 frames ${Math.max(...errors).toFixed(3)} px`);
  assert.ok(Math.max(...errors) < 1, `errors per frame: ${errors.map((e) => e.toFixed(1))}`);
  await page.evaluate(() => document.getAnimations().forEach((a) => a.pause()));
  await settle(page);
  await assertOnTwin(page, 'paused');
  // Paused, nothing moves: the widget asks for no more frames (the animation is still there).
  const frames = await page.evaluate(() => new Promise((resolve) => {
    let n = 0;
    const raf = window.requestAnimationFrame;
    window.requestAnimationFrame = (f) => { n += 1; return raf.call(window, f); };
    setTimeout(() => { window.requestAnimationFrame = raf; resolve(n); }, 500);
  }));
  assert.equal(frames, 0, 'animation frames asked for in 500 ms while the animation is paused');
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});

test('a picture flattened to nothing (scale(0), rotateX(90deg)) shows no markers', async () => {
  for (const transform of ['scale(0)', 'rotateX(90deg)']) {
    const page = await open(`${BOX}transform:${transform}`);
    assert.deepEqual(Object.keys(await markerCentres(page)), [], transform);
    await page.closeAll();
  }
});

test("the close-up turns when the picture turns while the popover is open, which stays open", async () => {
  const page = await open(BOX);
  await page.evaluate(() => document.querySelector('pave-hotspots').open(2));
  await waitForEvent(page, 'pave-open');
  await settle(page);
  await restyle(page, `${BOX}transform:rotate(90deg)`);
  await settle(page);
  await settle(page);
  // (The linear part: the close-up is also moved to centre the damage.)
  const turn = await inRoot(page, `const m = new DOMMatrix(getComputedStyle(root.querySelector('.closeup img')).transform); return [m.a, m.b, m.c, m.d].map((v) => Math.round(v * 1e6) / 1e6 + 0);`);
  assert.deepEqual(turn, [0, 1, -1, 0]);
  // (A change of the picture's style is no new photo: the popover the user reads stays.)
  assert.deepEqual(await page.events('pave-close'), []);
  await assertOnTwin(page, 'turned while open');
  await page.closeAll();
});

test('a browser without the individual transform properties (Chrome 96 to 103: no translate, rotate or scale in computed styles): markers follow a transform all the same', async () => {
  const page = await open(`${BOX}transform:rotate(90deg)`, '', '/rotate.html', () => {
    // (They are own properties of each style object: computed styles are handed out without them.)
    const computed = window.getComputedStyle;
    const gone = new Set(['translate', 'rotate', 'scale']);
    window.getComputedStyle = (el, pseudo) => new Proxy(computed.call(window, el, pseudo), {
      get(s, key) {
        if (gone.has(key)) return undefined;
        const v = Reflect.get(s, key, s);
        return typeof v == 'function' ? v.bind(s) : v;
      },
    });
  });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).translate), undefined, 'the properties are gone, as in those browsers');
  await assertOnTwin(page, 'rotate(90deg) without the individual properties');
  await page.evaluate(() => document.querySelector('pave-hotspots').open(2));
  await waitForEvent(page, 'pave-open');
  await settle(page);
  assert.deepEqual(page.errors(), []);
  await page.closeAll();
});
