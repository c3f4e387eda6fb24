//! The pure core: no web-sys, no JavaScript, only numbers and text in, decisions out.

pub mod detail;
pub mod float;
pub mod geometry;
pub mod i18n;
pub mod json;
pub mod layout;
pub mod loose;
pub mod model;
pub mod num;
pub mod policy;
pub mod words;
