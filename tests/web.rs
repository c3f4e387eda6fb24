//! Browser tests of the DOM layer, in headless Chromium (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use pave_hotspots::api::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlImageElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn engine_builds_and_destroys() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let img: HtmlImageElement = doc.create_element("img").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&img).unwrap();
    let engine = Engine::new(host.clone(), true, false).unwrap();
    engine.set_target(Some(img.into()));
    engine.start().unwrap();
    assert_eq!(engine.state(), "idle");
    engine.destroy();
    engine.destroy();
    assert!(!host.is_connected());
}
