//! Browser tests of the DOM layer, in headless Chromium (`wasm-pack test --headless --chrome`).
//! The page tests (tests/page/) drive the shipped bundle; these reach inside: measuring, the
//! engine's life cycle and its shadow DOM, from Rust.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use pave_hotspots::api::Engine;
use pave_hotspots::core::geometry::{content_rect, ObjectFit, Rect};
use pave_hotspots::dom::measure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{CssStyleSheet, Document, HtmlElement, HtmlImageElement, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

const SAMPLE: &str = include_str!("fixtures/pave/results-27-damages.json");

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A 1200×900 SVG picture as a data URL, so tests need no server.
fn picture() -> String {
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='1200' height='900'><rect width='1200' height='900' fill='%23ccd'/></svg>";
    format!("data:image/svg+xml,{svg}")
}

/// An overlay's engine on `host`, set up as js/engine.js sets one up: in the host's new open
/// shadow root, which adopts the widget's stylesheet.
fn engine_on(host: &HtmlElement) -> Engine {
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).unwrap();
    let engine = Engine::new(host.clone(), root.clone(), true, false).unwrap();
    let sheet = CssStyleSheet::new().unwrap();
    sheet.replace_sync(engine.css()).unwrap();
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    engine
}

async fn loaded_image(css: &str) -> HtmlImageElement {
    let img: HtmlImageElement = doc().create_element("img").unwrap().unchecked_into();
    img.set_attribute("style", css).unwrap();
    img.set_attribute("data-pave-photo", "5").unwrap();
    img.set_src(&picture());
    doc().body().unwrap().append_child(&img).unwrap();
    JsFuture::from(img.decode()).await.unwrap();
    img
}

async fn frames(n: u32) {
    for _ in 0..n {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
        });
        JsFuture::from(promise).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn measures_box_edges_fit_and_natural_size() {
    let img = loaded_image(
        "width:400px;height:300px;border:10px solid red;padding:5px 6px 7px 8px;object-fit:cover;object-position:right 10px top",
    )
    .await;
    let style = measure::computed_style(&web_sys::window().unwrap(), &img).unwrap();
    let t = measure::target(&img, &style);
    assert!(t.rendered && t.settled);
    assert_eq!((t.element.width, t.element.height), (434.0, 332.0));
    assert_eq!((t.element.border.left, t.element.padding.left, t.element.padding.bottom), (10.0, 8.0, 7.0));
    assert_eq!((t.natural.width, t.natural.height), (1200.0, 900.0));
    assert_eq!(t.fit, ObjectFit::Cover);
    let rect = content_rect(&t.element, t.natural, t.fit, &t.position, t.view_box.as_ref()).unwrap();
    // Cover of a 400×300 box by 4:3: exactly the box, placed at the content corner.
    assert_eq!((rect.x, rect.y, rect.width, rect.height), (18.0, 15.0, 400.0, 300.0));
    img.remove();
}

#[wasm_bindgen_test]
async fn measures_object_view_box() {
    let img =
        loaded_image("width:400px;height:300px;object-view-box:inset(10% 20px 90px 30%);object-fit:contain").await;
    let style = measure::computed_style(&web_sys::window().unwrap(), &img).unwrap();
    let t = measure::target(&img, &style);
    // Of 1200×900: x 360, y 90, 1200 − 360 − 20 = 820 wide, 900 − 90 − 90 = 720 high.
    assert_eq!(t.view_box, Some(Rect::new(360.0, 90.0, 820.0, 720.0)));
    // rect() and xywh() compute to inset(), with calc().
    img.style().set_property("object-view-box", "xywh(100px 50px 600px 450px)").unwrap();
    assert_eq!(measure::target(&img, &style).view_box, Some(Rect::new(100.0, 50.0, 600.0, 450.0)));
    img.remove();
}

#[wasm_bindgen_test]
async fn a_hidden_image_is_not_rendered() {
    let img = loaded_image("display:none").await;
    let style = measure::computed_style(&web_sys::window().unwrap(), &img).unwrap();
    assert!(!measure::target(&img, &style).rendered);
    img.remove();
}

#[wasm_bindgen_test]
async fn engine_places_markers_and_cleans_up() {
    let img = loaded_image("width:600px;height:450px").await;
    let host: HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&host).unwrap();
    let engine = engine_on(&host);
    engine.set_target(Some(img.clone().into()));
    engine.set_results(JsValue::from_str(SAMPLE));
    engine.start().unwrap();
    assert_eq!(engine.state(), "ready");
    frames(2).await;
    let root = host.shadow_root().unwrap();
    assert_eq!(root.query_selector_all(".marker").unwrap().length(), 27);
    // Front (photo 5) shows; its 10 markers are in the one visible photo container.
    let shown =
        root.query_selector_all(".photo:not([hidden]) .marker:not([hidden]), .photo:not([hidden]) .cluster").unwrap();
    assert!(shown.length() >= 8, "{} markers shown", shown.length());
    // toPixels: the picture fills the box, so 50 % is the middle.
    let p = engine.to_pixels(50.0, 50.0);
    let x = js_sys::Reflect::get(&p, &"x".into()).unwrap().as_f64().unwrap();
    let y = js_sys::Reflect::get(&p, &"y".into()).unwrap().as_f64().unwrap();
    assert_eq!((x, y), (300.0, 225.0));
    assert!(engine.to_pixels(f64::NAN, 1.0).is_null());
    assert!(engine.open(27.0).is_err());
    assert!(engine.open(-1.0).is_err());
    assert!(engine.open(0.5).is_err());
    engine.destroy();
    engine.destroy();
    // The host stays where the page (or a viewer) put it: HotspotOverlay's destroy() removes it
    // (js/overlay.js), and one released because it left the page must come back with its wrapper.
    assert!(host.is_connected());
    assert_eq!(root.child_nodes().length(), 0);
    host.remove();
    img.remove();
}

#[wasm_bindgen_test]
async fn hostile_inline_values_never_panic() {
    let host: HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&host).unwrap();
    let engine = engine_on(&host);
    engine.start().unwrap();
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let values: Vec<JsValue> = vec![
        JsValue::from_str(""),
        JsValue::from_str("{"),
        JsValue::from_str(&deep),
        JsValue::from_f64(f64::NAN),
        JsValue::TRUE,
        js_sys::Array::new().into(),
        js_sys::Object::new().into(),
        js_sys::JSON::parse(r#"{"success": true, "data": [{"inspection_data": [{"coodrs": {"x": "NaN", "y": 1}}]}]}"#)
            .unwrap(),
        js_sys::JSON::parse(r#"{"success": true, "data": [{"inspection_data": [{"coodrs": {"x": 1e999, "y": 1}}]}]}"#)
            .unwrap(),
        JsValue::from_str(SAMPLE),
    ];
    for v in values {
        engine.set_results(v);
    }
    assert_eq!(engine.state(), "ready");
    engine.destroy();
}
