//! The widget's stylesheet, adopted by each shadow root as a constructable stylesheet: no
//! `<style>` element and no style attribute strings, so a strict CSP (`style-src 'self'`) holds.
//! Every colour and size a host page may want to change is a `--pave-*` custom property.

/// The stylesheet text.
pub const CSS: &str = r#"
:host {
  display: block;
  font: var(--pave-font, 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  color: var(--pave-text, #1b1f24);
  --_size: var(--pave-marker-size, 28px);
  --_focus: var(--pave-focus-color, #ffbf47);
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button { font: inherit; color: inherit; }

.origin { position: absolute; left: 0; top: 0; width: 10px; height: 10px; visibility: hidden; pointer-events: none; }
.layer { position: absolute; left: 0; top: 0; width: 0; height: 0; pointer-events: none; z-index: var(--pave-z-index, 10); }
.layer:focus { outline: none; }
.photo { position: absolute; inset: 0; }

.marker, .cluster {
  position: absolute; left: 0; top: 0;
  width: var(--_size); height: var(--_size); min-width: 24px; min-height: 24px;
  margin: 0; padding: 0;
  transform: translate(calc(-50% + var(--dx, 0px)), calc(-50% + var(--dy, 0px)));
  display: flex; align-items: center; justify-content: center;
  border-radius: 50%;
  border: 2px solid var(--pave-marker-ring, #fff);
  box-shadow: 0 0 0 1.5px rgba(0, 0, 0, .75), 0 2px 6px rgba(0, 0, 0, .4);
  background: var(--_c, var(--pave-color-other, #4b5563));
  color: var(--pave-marker-text, #fff);
  font: 700 12px/1 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  font-variant-numeric: tabular-nums;
  pointer-events: auto; cursor: pointer;
  -webkit-tap-highlight-color: transparent;
  touch-action: manipulation;
  transition: transform .15s ease-out, box-shadow .15s ease-out;
}
.marker:hover, .marker[aria-expanded="true"] { box-shadow: 0 0 0 1.5px rgba(0, 0, 0, .75), 0 0 0 5px rgba(255, 255, 255, .55), 0 2px 8px rgba(0, 0, 0, .5); }
.marker[data-group="body"] { --_c: var(--pave-color-body, #c5221f); }
.marker[data-group="part"] { --_c: var(--pave-color-part, #1a5fb4); }
.marker[data-group="wheel"] { --_c: var(--pave-color-wheel, #7b3fa0); }
.marker[data-group="glass"] { --_c: var(--pave-color-glass, #00695c); }
.marker[data-group="tire"] { --_c: var(--pave-color-tire, #5d4037); }
.marker[data-group="interior"] { --_c: var(--pave-color-interior, #8a4b00); }
.marker[data-severity="major"] { border-width: 3px; }
/* A cluster is a rounded square with a card behind it: a stack, not a numbered damage. */
.cluster { width: calc(var(--_size) + 6px); height: calc(var(--_size) + 6px); border-radius: 9px; background: var(--pave-cluster-color, #1b1f24); font-size: 13px;
  box-shadow: 4px -4px 0 -1px var(--pave-cluster-color, #1b1f24), 4px -4px 0 1px var(--pave-marker-ring, #fff), 0 0 0 1.5px rgba(0, 0, 0, .75), 0 2px 6px rgba(0, 0, 0, .4); }
.cluster::before { content: "+"; font-weight: 400; margin-right: 1px; }
.cluster[aria-expanded="true"] { background: var(--pave-cluster-open-color, #fff); color: #1b1f24; border-color: #1b1f24; }

.marker:focus-visible, .cluster:focus-visible, .layer:focus-visible, .popover button:focus-visible, .list button:focus-visible, .viewer button:focus-visible, .status button:focus-visible, .status p:focus-visible, .popover:focus-visible {
  outline: 3px solid var(--_focus);
  outline-offset: 2px;
  box-shadow: 0 0 0 2px #000, 0 0 0 7px #000;
}
.popover:focus-visible { box-shadow: 0 10px 30px rgba(0, 0, 0, .25); }
.marker:focus:not(:focus-visible) { outline: none; }

.popover {
  position: fixed; inset: auto; left: 0; top: 0; margin: 0;
  width: min(var(--pave-popover-width, 300px), calc(100vw - 16px));
  max-width: calc(100vw - 16px); max-height: calc(100vh - 16px); overflow: auto;
  padding: 12px 14px 12px;
  background: var(--pave-popover-bg, #fff);
  color: var(--pave-popover-text, #1b1f24);
  border: 1px solid var(--pave-popover-border, rgba(0, 0, 0, .18));
  border-radius: var(--pave-radius, 10px);
  box-shadow: 0 10px 30px rgba(0, 0, 0, .25);
  font: var(--pave-font, 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  z-index: 2147483000;
  text-align: start;
}
.popover:not([popover]) { position: fixed; }
.popover .title { margin: 0 28px 2px 0; font-size: 1.1em; font-weight: 700; line-height: 1.3; }
.popover .component { margin: 0 0 8px; color: var(--pave-popover-muted, #4a5059); }
.popover dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 8px 0; }
.popover dt { font-weight: 600; color: var(--pave-popover-muted, #4a5059); }
.popover dd { margin: 0; overflow-wrap: anywhere; }
.popover .close { position: absolute; z-index: 1; right: 6px; top: 6px; width: 32px; height: 32px; border: 0; border-radius: 50%; background: transparent; cursor: pointer; font-size: 20px; line-height: 1; }
.popover .close:hover { background: rgba(0, 0, 0, .08); }
.popover .closeup:not([hidden]) ~ .title { margin-right: 0; }
.popover .close { background: var(--pave-popover-bg, #fff); box-shadow: 0 1px 4px rgba(0, 0, 0, .3); }
.popover .nav { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: 6px; }
.popover .nav button, .status button, .viewer .step { min-width: 32px; min-height: 32px; padding: 4px 10px; border: 1px solid var(--pave-button-border, #6b7280); border-radius: 8px; background: var(--pave-button-bg, #fff); color: var(--pave-button-text, #1b1f24); cursor: pointer; }
.popover .nav button:hover, .status button:hover, .viewer .step:hover { background: var(--pave-button-hover-bg, #f1f3f5); }
.closeup { position: relative; height: 140px; margin: 0 0 10px; overflow: hidden; border-radius: 6px; background: #222; }
.closeup img { position: absolute; left: 0; top: 0; max-width: none; transform-origin: 0 0; user-select: none; pointer-events: none; }
.closeup::after { content: ""; position: absolute; left: 50%; top: 50%; width: 40px; height: 40px; margin: -20px 0 0 -20px; border: 2px solid #fff; border-radius: 50%; box-shadow: 0 0 0 2px rgba(0, 0, 0, .7); pointer-events: none; }

.status { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 6px 0; }
.status p { margin: 0; }
.status[data-state="ready"] p, .status[data-state="idle"] p { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.status[data-state="error"] p { color: var(--pave-error-text, #a4161a); }
.status[data-state="loading"] p::before, .status[data-state="inspecting"] p::before { content: ""; display: inline-block; width: .9em; height: .9em; margin-inline-end: .5em; vertical-align: -.1em; border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; animation: pave-spin 1s linear infinite; }
@keyframes pave-spin { to { transform: rotate(360deg); } }

.list { margin: 8px 0; }
.list .toggle { display: flex; width: 100%; align-items: center; gap: 8px; padding: 8px 10px; border: 1px solid var(--pave-list-border, #d0d4d9); border-radius: 8px; background: var(--pave-list-bg, #fff); cursor: pointer; text-align: start; font-weight: 600; }
.list .toggle::after { content: ""; margin-inline-start: auto; width: .55em; height: .55em; border: solid currentColor; border-width: 0 2px 2px 0; transform: rotate(45deg); }
.list .toggle[aria-expanded="true"]::after { transform: rotate(-135deg); }
.list .filters { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.list .filters button { min-height: 28px; padding: 2px 10px; border: 1px solid var(--pave-button-border, #6b7280); border-radius: 999px; background: var(--pave-button-bg, #fff); color: var(--pave-button-text, #1b1f24); cursor: pointer; }
.list .filters button[aria-pressed="true"] { background: var(--pave-filter-active-bg, #1b1f24); color: var(--pave-filter-active-text, #fff); border-color: var(--pave-filter-active-bg, #1b1f24); }
.list .heading { margin: 10px 0 4px; font-size: .95em; font-weight: 700; }
.list ol { margin: 0; padding: 0; list-style: none; }
.list li button { display: grid; grid-template-columns: auto 1fr; column-gap: 8px; width: 100%; min-height: 32px; align-items: baseline; padding: 6px 8px; border: 0; border-radius: 6px; background: transparent; cursor: pointer; text-align: start; }
.list .what { grid-column: 2; }
.list .where { grid-column: 2; font-size: .9em; }
.list li button:hover { background: var(--pave-list-hover-bg, #f1f3f5); }
.list li button[aria-current="true"] { background: var(--pave-list-current-bg, #fff4d6); }
.list .num { grid-row: span 2; align-self: start; min-width: 1.9em; padding: 1px 4px; border-radius: 999px; text-align: center; font-weight: 700; font-size: .85em; color: #fff; background: var(--_c, #4b5563); }
.list .num[data-group="body"] { --_c: var(--pave-color-body, #c5221f); }
.list .num[data-group="part"] { --_c: var(--pave-color-part, #1a5fb4); }
.list .num[data-group="wheel"] { --_c: var(--pave-color-wheel, #7b3fa0); }
.list .num[data-group="glass"] { --_c: var(--pave-color-glass, #00695c); }
.list .num[data-group="tire"] { --_c: var(--pave-color-tire, #5d4037); }
.list .num[data-group="interior"] { --_c: var(--pave-color-interior, #8a4b00); }
.list .num[data-group="other"] { --_c: var(--pave-color-other, #4b5563); }
.list .where { color: var(--pave-popover-muted, #4a5059); }

.viewer { position: relative; margin: 0; }
.viewer .stage { position: relative; background: var(--pave-viewer-bg, #eef0f2); border-radius: var(--pave-radius, 10px); overflow: hidden; }
.viewer .stage img { display: block; width: 100%; aspect-ratio: var(--pave-viewer-aspect, 4 / 3); height: auto; object-fit: contain; }
.viewer figcaption { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: 6px; }
.viewer .label { font-weight: 600; }

@media (prefers-reduced-motion: reduce) {
  .marker, .cluster { transition: none; }
  .status p::before { animation: none !important; }
}
@media (forced-colors: active) {
  .marker, .cluster { forced-color-adjust: none; background: ButtonFace; color: ButtonText; border: 2px solid ButtonText; box-shadow: none; }
  .marker:focus-visible, .cluster:focus-visible, .popover button:focus-visible, .list button:focus-visible, .viewer button:focus-visible, .status button:focus-visible { outline: 3px solid Highlight; box-shadow: none; }
  .cluster[aria-expanded="true"] { background: Highlight; color: HighlightText; }
  /* The open marker: not a translucent ring (lost in a high-contrast theme) but the system's selection colours. */
  .marker[aria-expanded="true"] { background: Highlight; color: HighlightText; box-shadow: none; }
  .list .num { forced-color-adjust: none; background: ButtonFace; color: ButtonText; border: 1px solid ButtonText; }
  .list .filters button[aria-pressed="true"], .list li button[aria-current="true"] { outline: 2px solid Highlight; }
  .closeup::after { border-color: Highlight; }
}
"#;
