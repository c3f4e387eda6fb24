// The npm entry for bundlers: nothing runs on import; call defineElement() to register the tag.
export { HotspotOverlay } from './overlay.js';
export { defineElement, PaveHotspotsElement } from './element.js';
export { boot as loadEngine } from './engine.js';
