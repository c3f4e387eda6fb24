//! The few `f64` methods std adds and `core` lacks, for the `no_std` wasm build. On wasm32 the
//! square root is the browser's `Math.sqrt` (WebAssembly's own `f64.sqrt` is unstable in
//! `core::arch::wasm32`, and `libm` links a 0.4 KB software version without a nightly feature);
//! the rest is [`trunc`] (two of WebAssembly's conversions), [`floor`], [`round`] and
//! [`powi`]. On the host, std's inherent methods win method lookup, and the tests below hold
//! ours to std's, bit for bit.

/// `f64` rounding, roots and integer powers without std (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub trait Float: Sized {
    /// The largest integer not above `self`.
    fn floor(self) -> f64;
    /// The square root (NaN for negative numbers), correctly rounded.
    fn sqrt(self) -> f64;
    /// The nearest integer, halves away from zero.
    fn round(self) -> f64;
    /// `self` minus its integer part.
    fn fract(self) -> f64;
    /// See [`powi`].
    fn powi(self, n: i32) -> f64;
}

#[cfg(target_arch = "wasm32")]
impl Float for f64 {
    fn floor(self) -> f64 {
        floor(self)
    }
    fn sqrt(self) -> f64 {
        js_sys::Math::sqrt(self)
    }
    fn round(self) -> f64 {
        round(self)
    }
    fn fract(self) -> f64 {
        self - trunc(self)
    }
    fn powi(self, n: i32) -> f64 {
        powi(self, n)
    }
}

/// `x` without its fraction, rounded toward zero. From 2^52 up every `f64` is an integer; below,
/// `as i64` (WebAssembly's saturating `i64.trunc_sat_f64_s`) and back is exact, and `copysign`
/// keeps the sign of a zero (-0.5 → -0.0). NaN and infinities come back as they are.
pub fn trunc(x: f64) -> f64 {
    const INTEGRAL: f64 = 4_503_599_627_370_496.0; // 2^52
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    if x.abs() < INTEGRAL {
        ((x as i64) as f64).copysign(x)
    } else {
        x
    }
}

/// The largest integer not above `x`.
pub fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// `x.is_finite()`, out of line: LLVM makes the test integer operations on the bits, with two
/// 10-byte constants, wherever it is inlined (some 30 places).
#[inline(never)]
pub fn finite(x: f64) -> bool {
    x.is_finite()
}

/// `x` rounded to the nearest integer, halves away from zero (std's `round`; WebAssembly's
/// `f64.nearest` takes halves to even). `x - trunc(x)` is exact, so comparing it with ½ is too.
pub fn round(x: f64) -> f64 {
    let t = trunc(x);
    let rest = x - t;
    if rest >= 0.5 {
        t + 1.0
    } else if rest <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

/// `x` to the power `n` by repeated squaring: std's `powi`, which LLVM lowers to compiler-rt's
/// `__powidf2`, the same loop.
pub fn powi(x: f64, n: i32) -> f64 {
    let mut base = x;
    let mut e = n.unsigned_abs();
    let mut r = 1.0;
    loop {
        if e & 1 == 1 {
            r *= base;
        }
        e /= 2;
        if e == 0 {
            break;
        }
        base *= base;
    }
    if n < 0 {
        1.0 / r
    } else {
        r
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{floor, powi, round, trunc};
    use proptest::prelude::*;

    /// The same `f64`, bit for bit, or both NaN.
    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn rounding_at_the_edges() {
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            1.0 - f64::EPSILON / 2.0,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for x in edges {
            assert!(same(trunc(x), x.trunc()), "trunc {x}");
            assert!(same(floor(x), x.floor()), "floor {x}");
            assert!(same(round(x), x.round()), "round {x}");
        }
    }

    proptest! {
        #[test]
        fn rounding_matches_std(x in proptest::num::f64::ANY) {
            prop_assert!(same(trunc(x), x.trunc()), "trunc {}", x);
            prop_assert!(same(floor(x), x.floor()), "floor {}", x);
            prop_assert!(same(round(x), x.round()), "round {}", x);
        }

        #[test]
        fn rounding_matches_std_near_integers(n in -1e6f64..1e6, k in -4i64..=4) {
            // Integers and halves, and their neighbours one and two ulps away.
            let x = (n * 2.0).trunc() / 2.0;
            let x = f64::from_bits(x.to_bits().wrapping_add_signed(k));
            prop_assert!(same(trunc(x), x.trunc()), "trunc {}", x);
            prop_assert!(same(floor(x), x.floor()), "floor {}", x);
            prop_assert!(same(round(x), x.round()), "round {}", x);
        }

        #[test]
        fn powi_matches_std(x in -1e3f64..1e3, n in -40i32..40) {
            prop_assert_eq!(powi(x, n).to_bits(), f64::powi(x, n).to_bits(), "{}^{}", x, n);
        }

        #[test]
        fn powers_of_ten_are_exact(n in 0i32..=22) {
            let exact: f64 = format!("1e{n}").parse().unwrap();
            prop_assert_eq!(powi(10.0, n), exact);
        }
    }
}
