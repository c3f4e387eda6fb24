//! The few `f64` methods std adds and `core` lacks, for the `no_std` wasm build. On wasm32 they
//! come from `libm` (the code std's own wasm build links for them) and from [`powi`]; on the host,
//! std's inherent methods win method lookup, and the tests below hold [`powi`] to std's.

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
        libm::floor(self)
    }
    fn sqrt(self) -> f64 {
        libm::sqrt(self)
    }
    fn round(self) -> f64 {
        libm::round(self)
    }
    fn fract(self) -> f64 {
        self - libm::trunc(self)
    }
    fn powi(self, n: i32) -> f64 {
        powi(self, n)
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
    use super::powi;
    use proptest::prelude::*;

    proptest! {
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
