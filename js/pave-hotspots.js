// The script-tag entry: <script type="module" src=".../pave-hotspots.js"> defines <pave-hotspots>.
// It also exports what the npm entry (index.js) exports, so one set of types describes both.
import { defineElement } from './element.js';

export { HotspotOverlay } from './overlay.js';
export { PaveHotspotsElement } from './element.js';
export { boot as loadEngine } from './engine.js';
export { defineElement };
defineElement();
