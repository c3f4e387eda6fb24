// The script-tag entry: <script type="module" src=".../pave-hotspots.js"> defines <pave-hotspots>.
import { defineElement } from './element.js';

export { HotspotOverlay } from './overlay.js';
export { defineElement };
defineElement();
