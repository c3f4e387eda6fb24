//! The DOM layer (wasm32 only): a thin shell over web-sys that measures the page, asks the pure
//! core what to do, and writes the result inside a shadow root.

pub mod fetch;
pub mod handles;
pub mod js;
pub mod measure;
pub mod style;
pub mod view;
pub mod widget;
