//! The widget's stylesheet, adopted by each shadow root as a constructable stylesheet: no
//! `<style>` element and no style attribute strings, so a strict CSP (`style-src 'self'`) holds.
//! Every colour and size a host page may want to change is a `--pave-*` custom property.
//!
//! The source is `style.css` beside this file; `build.rs` strips its comments and white space.

/// The stylesheet text, minified.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));
