//! Numbers written as text without `core::fmt`'s float machinery, which would add 10–20 KB
//! (gzip) to the shipped binary. CSS only needs a few decimals.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

/// Appends the decimal digits of `n`.
pub fn push_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            // n % 10 < 10, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            let d = (n % 10) as u8;
            *slot = b'0' + d;
        }
        len += 1;
        n /= 10;
        if n == 0 || len >= digits.len() {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// The decimal digits of `n`.
pub fn uint(n: u64) -> String {
    let mut s = String::new();
    push_uint(&mut s, n);
    s
}

/// Appends `v` rounded to `decimals` places (at most 6), without trailing zeros: `12.5`, `-3`,
/// `0.125`. Non-finite values write `0`, and magnitudes are clamped to ±1e9, far beyond any
/// length a page lays out, so the text is always a valid CSS number.
pub fn push_fixed(out: &mut String, v: f64, decimals: u32) {
    let decimals = decimals.min(6);
    // (Never 0: dividing by a `NonZeroU64` can't panic, so no panic path is compiled in.)
    let scale = core::num::NonZeroU64::new(10u64.pow(decimals)).unwrap_or(core::num::NonZeroU64::MIN);
    // `as` saturates, and the clamp keeps `v * scale` far inside u64.
    #[allow(clippy::cast_precision_loss)]
    let scaled = if finite(v) { (v.max(-1e9).min(1e9) * scale.get() as f64).round() } else { 0.0 };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let magnitude = scaled.abs() as u64;
    if scaled < 0.0 && magnitude != 0 {
        out.push('-');
    }
    push_uint(out, magnitude / scale);
    let mut frac = magnitude % scale;
    if frac != 0 {
        out.push('.');
        let mut width = decimals;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let digits = uint(frac);
        for _ in digits.len()..width as usize {
            out.push('0');
        }
        out.push_str(&digits);
    }
}

/// `v` with `decimals` places, as [`push_fixed`] writes it.
pub fn fixed(v: f64, decimals: u32) -> String {
    let mut s = String::new();
    push_fixed(&mut s, v, decimals);
    s
}

/// `v` followed by a CSS unit: `css(12.5, "px")` → `"12.5px"`. Four decimals: a CSS px is cut
/// to 1/64 by layout anyway.
pub fn css(v: f64, unit: &str) -> String {
    let mut s = fixed(v, 4);
    s.push_str(unit);
    s
}

/// A CSS `matrix()` with no translation from its `[a, b, c, d]`: six decimals (a turn read to
/// 1e-4 would put a marker 0.1 px off across a 1,000 px picture).
pub fn matrix(abcd: [f64; 4]) -> String {
    let mut s = String::from("matrix(");
    for v in abcd {
        push_fixed(&mut s, v, 6);
        s.push(',');
    }
    s.push_str("0,0)");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn matrices() {
        assert_eq!(matrix([1.0, 0.0, -0.5, 0.8660254037844387]), "matrix(1,0,-0.5,0.866025,0,0)");
    }

    #[test]
    fn integers() {
        assert_eq!(uint(0), "0");
        assert_eq!(uint(7), "7");
        assert_eq!(uint(1234567890), "1234567890");
        assert_eq!(uint(u64::MAX), "18446744073709551615");
    }

    #[test]
    fn fixed_point() {
        let cases: [(f64, u32, &str); 14] = [
            (0.0, 4, "0"),
            (-0.0, 4, "0"),
            (12.5, 4, "12.5"),
            (17.43, 4, "17.43"),
            (-3.0, 2, "-3"),
            (0.125, 3, "0.125"),
            (0.05, 2, "0.05"),
            (1.00001, 4, "1"),
            (-0.00001, 4, "0"),
            (2.99996, 4, "3"),
            (100.0, 0, "100"),
            (f64::NAN, 4, "0"),
            (f64::INFINITY, 4, "0"),
            (1e300, 2, "1000000000"),
        ];
        for (v, d, want) in cases {
            assert_eq!(fixed(v, d), want, "{v} with {d} places");
        }
        assert_eq!(css(59.84, "%"), "59.84%");
    }

    #[test]
    fn agrees_with_std_formatting() {
        let mut x = -1000.0;
        while x < 1000.0 {
            let ours: f64 = fixed(x, 4).parse().unwrap();
            let theirs: f64 = format!("{x:.4}").parse().unwrap();
            assert!((ours - theirs).abs() < 1.5e-4, "{x}: {ours} vs {theirs}");
            x += 0.37;
        }
    }
}
