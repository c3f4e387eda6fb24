//! Minifies the widget's stylesheet (src/dom/style.css) into OUT_DIR, so the readable source
//! ships as compact text inside the wasm binary.

use std::fs;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/dom/style.css");
    let css = fs::read_to_string("src/dom/style.css").unwrap_or_default();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("style.min.css");
    if let Err(e) = fs::write(&out, minify(&css)) {
        println!("cargo:warning=could not write {}: {e}", out.display());
    }
}

/// Drops comments and collapses white space, and removes it around `{ } ; : ,` and `>`. Strings
/// (`"…"`) are kept as they are. Enough for our own hand-written stylesheet, not a general tool.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
            }
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ':', ',', '>', '(']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ':' | ',' | '>' => {
                // A space before ':' matters in selectors (`a :hover` ≠ `a:hover`); keep it there.
                if c == ':' && pending_space && !out.is_empty() && !out.ends_with(['{', ';', '}', ',']) {
                    out.push(' ');
                }
                pending_space = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
            _ => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ':', ',', '>']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}
