//! The pure core: no web-sys, no JavaScript, only numbers and text in, decisions out.
//!
//! Text is searched for one character with `['c']`, not `'c'`: a `char` pattern links core's
//! memchr searcher (with its slice-index panics and their message text), 0.4 KB gzip of the
//! shipped binary for a few searches in short text.

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
