// Types of the pave-hotspots package: the `<pave-hotspots>` element, `HotspotOverlay.attach()`,
// the events both dispatch, and the PAVE response they read. The build copies it for both entry
// points (dist/index.d.ts, dist/pave-hotspots.d.ts): they export the same names.

// ---- Small unions ------------------------------------------------------------------------------

/** The visible state, as `state` and the `pave-state` event name it. */
export type PaveState = 'idle' | 'loading' | 'inspecting' | 'ready' | 'empty' | 'error';

/** What went wrong, in `pave-error`'s detail. */
export type PaveErrorKind = 'network' | 'timeout' | 'http' | 'not-found' | 'malformed' | 'not-inspected-timeout';

/** A damage's group (PAVE's `damage_group`, lower-cased; anything unknown is `other`). */
export type PaveDamageGroup = 'body' | 'part' | 'wheel' | 'glass' | 'tire' | 'interior' | 'other';

/** How bad a damage is, read from PAVE's `damage_name` suffix (`_MINOR`, `_MEDIUM`, `_MAJOR`). */
export type PaveSeverity = 'unknown' | 'minor' | 'medium' | 'major';

/**
 * The languages of the labels. A BCP 47 tag is read by its primary subtag (`fr-CA` → `fr`);
 * anything else is English.
 */
export type PaveLang = 'en' | 'fr' | 'es' | 'de';

/** How the damage list under the picture shows. */
export type PaveListMode = 'open' | 'closed' | 'none';

/**
 * Which frame shows which PAVE photo, for spin viewers that swap the image's `src`: the key is the
 * frame's URL (full URL or file name), the value a photo code (`5`) or label (`'Front'`).
 */
export type PavePhotoMap = Readonly<Record<string, number | string>> | ReadonlyMap<string, number | string>;

// ---- The PAVE response -------------------------------------------------------------------------

/**
 * The body of PAVE's `GET /v1/hotspots/{session_key}`, as PAVE sends it. Every field is optional
 * and numbers may come as strings: the parser is tolerant, skips what it cannot use and reports
 * it in `pave-load`'s `skipped`.
 */
export interface PaveHotspotsResponse {
  success?: boolean | string;
  message?: string;
  /** One entry per inspected photo. */
  data?: readonly PaveResponsePhoto[];
  session?: PaveResponseSession;
  vehicle?: PaveResponseVehicle;
}

/** One photo of the PAVE response. */
export interface PaveResponsePhoto {
  /** PAVE's photo code: 4 Left, 5 Front, 7 Right, 8 Rear, … */
  photo_code?: number | string;
  photo_label?: string;
  /** The photo's URL on PAVE's CDN. */
  url?: string;
  inspection_data?: readonly PaveResponseDamage[];
}

/** One damage of the PAVE response. */
export interface PaveResponseDamage {
  /** `BODY`, `PART`, `WHEEL`, `GLASS`, `TIRE`, `INTERIOR`, … */
  damage_group?: string;
  /** e.g. `DOOR_REAR_LEFT`. */
  component?: string;
  /** e.g. `SCRAPED_MEDIUM`. */
  damage_name?: string;
  /** e.g. `Scraped`. */
  description?: string;
  tolerance?: string;
  repair_method?: string;
  /** Where the damage is, in percent of the photo's width (`x`, from the left) and height (`y`, from the top). PAVE spells it `coodrs`. */
  coodrs?: PaveResponseCoordinates;
  /** Accepted too, should PAVE ever fix the spelling. */
  coords?: PaveResponseCoordinates;
}

/** A point in percent of the photo's own width and height. */
export interface PaveResponseCoordinates {
  x: number | string;
  y: number | string;
}

/** The session block of the PAVE response. */
export interface PaveResponseSession {
  session_key?: string;
  inspect_started_at?: string;
  inspect_ended_at?: string;
  condition_report?: string;
  landing_page?: string;
}

/** The vehicle block of the PAVE response. */
export interface PaveResponseVehicle {
  vin?: string;
  year?: number | string;
  make?: string;
  model?: string;
}

// ---- Event details -----------------------------------------------------------------------------

/** A damage as the events describe it. */
export interface PaveDamage {
  /** Position in document order across all photos (0-based): what `open(index)` takes. */
  index: number;
  /** The code of the damage's photo, or `null` when PAVE gave none. */
  photoCode: number | null;
  /** The photo's label (`Front`), or `''`. */
  photoLabel: string;
  group: PaveDamageGroup;
  /** PAVE's component code, e.g. `DOOR_REAR_LEFT`. */
  component: string;
  /** The component in words, e.g. `Rear left door`. */
  componentText: string;
  /** PAVE's `damage_name`, e.g. `SCRAPED_MEDIUM`. */
  name: string;
  /** PAVE's `description`, e.g. `Scraped`. */
  description: string;
  tolerance: string;
  repairMethod: string;
  severity: PaveSeverity;
  /** Percent of the photo's width, from its left edge. */
  x: number;
  /** Percent of the photo's height, from its top edge. */
  y: number;
}

/** A photo as `pave-load` describes it. */
export interface PavePhoto {
  code: number | null;
  label: string;
  url: string;
  /** How many damages it shows. */
  damages: number;
}

/** Something in the data that was dropped as invalid. */
export interface PaveSkipped {
  /** Where, e.g. `data[1].inspection_data[3]`. */
  path: string;
  /** Why, in English. */
  reason: string;
}

/** `pave-load`: the data was parsed and is shown. */
export interface PaveLoadDetail {
  photos: PavePhoto[];
  damages: PaveDamage[];
  /** Items dropped as invalid, with reasons: the first 100. */
  skipped: PaveSkipped[];
  /** How many items were dropped in all (`skipped` lists at most 100 of them). */
  skippedTotal: number;
}

/** `pave-state`: the visible state changed. */
export interface PaveStateDetail {
  state: PaveState;
}

/** `pave-error`: something failed. */
export interface PaveErrorDetail {
  kind: PaveErrorKind;
  message: string;
  /** The HTTP status, when there was an answer. */
  status?: number;
}

/** `pave-open` and `pave-close`: a popover opened or closed. */
export interface PaveOpenDetail {
  index: number;
  photoCode: number | null;
  damage: PaveDamage;
}

/** `pave-close` has the same detail as `pave-open`. */
export type PaveCloseDetail = PaveOpenDetail;

/**
 * `pave-photo-request`: the user picked a damage on a photo the image does not show (from the list
 * or with next/previous). Its popover opens at once all the same; turn the spin to that photo and
 * it moves beside its marker.
 */
export interface PavePhotoRequestDetail {
  photoCode: number | null;
  photoLabel: string;
  /** The damage waiting to open. */
  index: number;
}

/** Every event of the element and of `attach()`: `CustomEvent`s that bubble and are composed. */
export interface PaveHotspotsEventMap {
  'pave-load': CustomEvent<PaveLoadDetail>;
  'pave-state': CustomEvent<PaveStateDetail>;
  'pave-error': CustomEvent<PaveErrorDetail>;
  'pave-open': CustomEvent<PaveOpenDetail>;
  'pave-close': CustomEvent<PaveCloseDetail>;
  'pave-photo-request': CustomEvent<PavePhotoRequestDetail>;
}

/** The element's events: HTMLElement's and pave-hotspots' own. */
export interface PaveHotspotsElementEventMap extends HTMLElementEventMap, PaveHotspotsEventMap {}

/** A point in CSS px from the image element's top-left border corner. */
export interface PavePixels {
  x: number;
  y: number;
}

// ---- The element -------------------------------------------------------------------------------

/**
 * `<pave-hotspots>`: clickable PAVE damage markers over a car photo (or, without `for`, its own
 * photo viewer). Define it with `defineElement()` (the script-tag entry does it for you).
 *
 * The class is abstract: what `defineElement()` defines is a subclass of it (one per name), so
 * `new PaveHotspotsElement()` throws "Illegal constructor". Make one with
 * `document.createElement('pave-hotspots')` or `new (defineElement())()`; `instanceof
 * PaveHotspotsElement` is true of every one, whatever its name. A subclass of your own can be
 * defined with `customElements.define()`.
 *
 * Attributes (set them with `setAttribute` or in HTML: except `lang`, inherited from HTMLElement,
 * they are not properties; `results` is both, separately):
 * - `for`: id of the element that shows the photo: an `<img>`, `<canvas>` or `<video>`, or any
 *   element whose content box shows exactly one frame (a sprite viewer's stage; then `photo` names
 *   the frame). Set again to the same id, the element is looked up again. Without it the element
 *   shows the PAVE photos itself, with previous/next.
 * - `src`: URL of the dealer's proxy answering with PAVE's results JSON (status and body as PAVE
 *   sends them).
 * - `results`: the results JSON as a string. Replaces data loaded from `src` (a `src` changed
 *   meanwhile is used once it is removed); removed, the data comes from `src` again.
 * - `photo`: which PAVE photo the image shows: a code (`5`) or label (`Front`). Otherwise the
 *   image's `data-pave-photo`, then `photoMap` for its `currentSrc`, then a photo whose `url` equals
 *   `currentSrc`; the first that names one of the results' photos wins. No match: no markers.
 *   `none` (in any of them): no markers, whatever comes after it (a viewer zoomed in).
 * - `lang`: `en` (default), `fr`, `es`, `de`.
 * - `timeout`: ms before a request counts as failed. Defaults to 10000.
 * - `poll-timeout`: ms to keep asking while PAVE is still inspecting. Defaults to 600000.
 * - `list`: the damage list under the picture: `open`, `closed` (default) or `none`.
 * - `heading-level`: the level (1–6) of the widget's headings (popover title, photo names in the
 *   list), to fit the page's outline. Defaults to 3.
 *
 * @fires pave-load - data parsed and shown: `{ photos, damages, skipped, skippedTotal }`
 * @fires pave-state - the visible state changed: `{ state }`
 * @fires pave-error - something failed: `{ kind, message, status? }`
 * @fires pave-open - a popover opened: `{ index, photoCode, damage }`
 * @fires pave-close - a popover closed: `{ index, photoCode, damage }`
 * @fires pave-photo-request - a damage on another photo was picked: `{ photoCode, photoLabel, index }`
 * @csspart marker - each damage marker, a `<button>` centred on the damage point
 * @csspart cluster - a button standing for markers too close together; opening it fans them out
 * @csspart popover - the damage details (role `dialog`)
 * @csspart closeup - the close-up of the photo around the point, inside the popover
 * @csspart list - the damage list
 * @csspart list-item - each row of the damage list (a `<button>` that opens its damage)
 * @csspart status - the status line (loading, errors, retry)
 * @csspart overlay - the layer holding the markers
 * @csspart viewer - the built-in photo viewer (without `for`)
 * @csspart image - the built-in viewer's `<img>`
 */
export declare abstract class PaveHotspotsElement extends HTMLElement {
  /** The attributes the element watches. */
  static readonly observedAttributes: readonly string[];

  /**
   * The results JSON passed in by the page (an object or a JSON string). Setting it replaces any
   * data loaded from `src`; `null` goes back to `src`. Set again to the same object or string,
   * it changes nothing (`reload()` reads an object changed in place); the last set wins, so after
   * the `results` attribute replaced it, setting it again shows it again. Reads back what was set.
   */
  get results(): PaveHotspotsResponse | string | null | undefined;
  set results(value: PaveHotspotsResponse | string | null | undefined);

  /** Frame URL (full URL or file name) → PAVE photo code or label. Reads back what was set. */
  get photoMap(): PavePhotoMap | null | undefined;
  set photoMap(value: PavePhotoMap | null | undefined);

  /** The visible state; `idle` until the engine has started. */
  readonly state: PaveState;

  /**
   * Opens the popover of damage `index` (document order across all photos, 0-based). A damage on
   * another photo fires `pave-photo-request` first and opens at once all the same (beside what
   * opened it, or in the middle of the screen), then moves beside its marker when the page shows
   * that photo; the built-in viewer turns to it first. Throws a `RangeError` for an index with no
   * damage.
   * Called before the engine has started, it waits for it (the last call of each kind runs then).
   */
  open(index: number): void;
  /** Closes the popover. */
  close(): void;
  /** Opens the next damage (across photos). */
  next(): void;
  /** Opens the previous damage (across photos). */
  previous(): void;
  /** Loads the data again (from `src`, or the inline results); after the wasm failed to load, loads it again first. */
  reload(): void;
  /**
   * Where a point in percent of the shown photo lands: CSS px from the image element's top-left
   * border corner, in its own layout box (before the transforms and CSS `zoom` of it and its
   * ancestors, as for a child positioned inside it), or `null` when it is not visible (cropped
   * by `object-fit: cover` or a zoomed `object-view-box`) or no photo shows.
   */
  toPixels(x: number, y: number): PavePixels | null;

  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void;

  addEventListener<K extends keyof PaveHotspotsElementEventMap>(
    type: K,
    listener: (this: PaveHotspotsElement, ev: PaveHotspotsElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PaveHotspotsElementEventMap>(
    type: K,
    listener: (this: PaveHotspotsElement, ev: PaveHotspotsElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** The class `defineElement()` returns: the element defined under a name, which `new` makes. */
export interface PaveHotspotsElementConstructor {
  new (): PaveHotspotsElement;
  readonly prototype: PaveHotspotsElement;
  readonly observedAttributes: readonly string[];
}

/**
 * Defines the element as `name` (default `pave-hotspots`) and returns its class (a subclass of
 * `PaveHotspotsElement`). Calling it again, or loading the script-tag entry too, is harmless: an
 * existing definition is kept. Where there is no `customElements` (a server, a worker), it
 * defines nothing and returns the class.
 */
export declare function defineElement(name?: string): PaveHotspotsElementConstructor;

/**
 * Starts loading the wasm engine (once per page) and resolves when it is ready. By default the
 * `.wasm` file is found next to the JS module (`new URL('pave-hotspots.wasm', import.meta.url)`);
 * call this first with `wasmUrl` to load it from elsewhere. Later calls return the first promise.
 */
export declare function loadEngine(wasmUrl?: string | URL): Promise<unknown>;

// ---- HotspotOverlay ----------------------------------------------------------------------------

/**
 * What `HotspotOverlay.attach()` takes. Give `src` or `results`, here or later with `setSrc()` or
 * `setResults()` (without either the overlay is idle).
 */
export interface AttachOptions {
  /** URL of the dealer's proxy answering with PAVE's results JSON. */
  src?: string | URL;
  /** The results JSON (object or JSON string); wins over `src`; `null` is none (then `src`). */
  results?: PaveHotspotsResponse | string | null;
  /** Which photo the target shows: a code (`5`) or label (`'Front'`). See `setPhoto()`. */
  photo?: number | string | null;
  /** Frame URL (full URL or file name) → photo code or label. */
  photoMap?: PavePhotoMap | null;
  /** Label language: `en` (default), `fr`, `es`, `de`, or a BCP 47 tag read by its primary subtag. */
  lang?: PaveLang | (string & {});
  /** The damage list: `none` by default here; `open` or `closed` show one inside the overlay's host element (see `container`). */
  list?: PaveListMode;
  /** ms before a request counts as failed. Defaults to 10000. */
  timeout?: number;
  /** ms to keep asking while PAVE is still inspecting. Defaults to 600000. */
  pollTimeout?: number;
  /** The level (1–6) of the widget's headings, a number (`'2'` is a `TypeError`). Defaults to 3. */
  headingLevel?: 1 | 2 | 3 | 4 | 5 | 6;
  /** Where the overlay's host element goes: an element that shows its children (not the `<img>`, `<canvas>` or `<video>` itself) or a shadow root. Defaults to `document.body` (the markers then come after the page's footer in Tab order); put it inside your viewer's wrapper (right after the picture in reading order; what goes fullscreen, a `<dialog>`), as for the element. */
  container?: Element | ShadowRoot;
  /** Where the `.wasm` file is, when not next to the JS module. See `loadEngine()`. */
  wasmUrl?: string | URL;
}

/**
 * What `HotspotOverlay.attach()` returns. Methods called before `ready` are queued (the last of
 * each kind); the setters change what the engine starts with, as if given to `attach()`.
 */
export interface AttachedOverlay {
  /** The host element of the overlay (a `<div data-pave-hotspots>` with an open shadow root); events are dispatched on it. */
  readonly element: HTMLDivElement;
  /** Resolves once the engine has started (or failed: then `pave-error` tells why, `state` is `error`, and `reload()` tries again). Never rejects on a load failure. */
  readonly ready: Promise<void>;
  /** The visible state. */
  readonly state: PaveState;
  /** Opens damage `index`; see `PaveHotspotsElement.open`. */
  open(index: number): void;
  /** Closes the popover. */
  close(): void;
  /** Opens the next damage (across photos). */
  next(): void;
  /** Opens the previous damage (across photos). */
  previous(): void;
  /** Loads the data again; after the wasm failed to load, loads it again first. */
  reload(): void;
  /** CSS px from the target's top-left border corner in its layout box (before transforms and `zoom`), or `null` when the point is not visible. */
  toPixels(x: number, y: number): PavePixels | null;
  /** Which photo the target shows now (code or label); `null` for automatic; `'none'`: no markers. */
  setPhoto(photo: number | string | null | undefined): void;
  /** Replaces the frame → photo map. */
  setPhotoMap(map: PavePhotoMap | null | undefined): void;
  /** Replaces the data (object or JSON string); `null` goes back to `src`; the same again changes nothing. */
  setResults(results: PaveHotspotsResponse | string | null | undefined): void;
  /** Loads from another proxy URL; `null` stops. */
  setSrc(src: string | URL | null | undefined): void;
  addEventListener<K extends keyof PaveHotspotsEventMap>(
    type: K,
    listener: (ev: PaveHotspotsEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PaveHotspotsEventMap>(
    type: K,
    listener: (ev: PaveHotspotsEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  /** Removes the overlay, its listeners and observers. Idempotent. */
  destroy(): void;
}

/** The engine without the element, for spin viewers that own their DOM. */
export declare const HotspotOverlay: {
  /**
   * Covers `target` with damage markers: an `<img>`, `<canvas>` or `<video>`, or any element whose
   * content box shows exactly one frame (a sprite viewer's stage; then `setPhoto()` names the
   * frame). Returns at once; the engine starts when the wasm has loaded (`ready`). Throws a `TypeError` when `target` is not an element of this window,
   * `options` is not an object, an option is not of the type declared here, `options.container`
   * is neither a shadow root nor an element that shows its children (not the `<img>`, `<canvas>`
   * or `<video>` itself, nor any built-in element with a `src`), or `options.photoMap` is not a
   * map of frame → photo code or label; a `RangeError` when `list`, `headingLevel`, `timeout` or
   * `pollTimeout` is out of its range.
   */
  attach(target: HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | Element, options?: AttachOptions): AttachedOverlay;
};

// ---- Globals -----------------------------------------------------------------------------------

declare global {
  interface HTMLElementTagNameMap {
    'pave-hotspots': PaveHotspotsElement;
  }
  // The events bubble and are composed: any ancestor, the document and the window see them.
  interface HTMLElementEventMap {
    'pave-load': CustomEvent<PaveLoadDetail>;
    'pave-state': CustomEvent<PaveStateDetail>;
    'pave-error': CustomEvent<PaveErrorDetail>;
    'pave-open': CustomEvent<PaveOpenDetail>;
    'pave-close': CustomEvent<PaveCloseDetail>;
    'pave-photo-request': CustomEvent<PavePhotoRequestDetail>;
  }
  interface DocumentEventMap extends PaveHotspotsEventMap {}
  interface WindowEventMap extends PaveHotspotsEventMap {}
}
