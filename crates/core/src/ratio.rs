//! Exact non-negative fractions for thresholds, shares and weights.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative fraction `num / den`, always reduced, `den > 0`. Numerator and denominator stay
/// below 2^64 so that comparisons by cross-multiplication fit in `u128`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: u128,
    den: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

const LIMIT: u128 = 1 << 64;

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`; `None` if `den` is zero or the reduced fraction is too large.
    pub fn new(num: u128, den: u128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let (num, den) = (num / g, den / g);
        (num < LIMIT && den < LIMIT).then_some(Ratio { num, den })
    }

    pub fn integer(n: u64) -> Ratio {
        Ratio { num: n as u128, den: 1 }
    }

    pub fn num(&self) -> u128 {
        self.num
    }

    pub fn den(&self) -> u128 {
        self.den
    }

    pub fn checked_add(&self, other: &Ratio) -> Option<Ratio> {
        let num = self.num.checked_mul(other.den)?.checked_add(other.num.checked_mul(self.den)?)?;
        Ratio::new(num, self.den.checked_mul(other.den)?)
    }

    /// For display only: never used in a decision.
    pub fn to_f64(&self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Parses `p/q`, a decimal such as `0.6` or `2`, or a percentage such as `60%` or `66.67%`.
    pub fn parse(text: &str) -> Result<Ratio, String> {
        let t = text.trim();
        let bad = || format!("{text:?} is not a fraction: write p/q (2/3), a decimal (0.6) or a percentage (60%)");
        if let Some((p, q)) = t.split_once('/') {
            let p: u64 = p.trim().parse().map_err(|_| bad())?;
            let q: u64 = q.trim().parse().map_err(|_| bad())?;
            if q == 0 {
                return Err(format!("{text:?} divides by zero"));
            }
            return Ratio::new(p as u128, q as u128).ok_or_else(bad);
        }
        let (digits, scale) = match t.strip_suffix('%') {
            Some(rest) => (rest.trim(), 100u128),
            None => (t, 1u128),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 12
        {
            return Err(bad());
        }
        let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
        let fraction_value: u128 = if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| bad())? };
        let den = 10u128.pow(fraction.len() as u32);
        let num = whole.checked_mul(den).and_then(|w| w.checked_add(fraction_value)).ok_or_else(bad)?;
        Ratio::new(num, den * scale).ok_or_else(bad)
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_fractions_decimals_and_percentages() {
        assert_eq!(Ratio::parse("2/3").unwrap(), Ratio::new(2, 3).unwrap());
        assert_eq!(Ratio::parse("0.6").unwrap(), Ratio::new(3, 5).unwrap());
        assert_eq!(Ratio::parse("60%").unwrap(), Ratio::new(3, 5).unwrap());
        assert_eq!(Ratio::parse("66.5%").unwrap(), Ratio::new(133, 200).unwrap());
        assert_eq!(Ratio::parse("1").unwrap(), Ratio::ONE);
        assert_eq!(Ratio::parse(".5").unwrap(), Ratio::new(1, 2).unwrap());
        for bad in ["", "1/0", "a/b", "0.5.5", "-1", "1e3", "%", "1/2/3", "0.1234567890123"] {
            assert!(Ratio::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn ordering_is_exact(a in 0u64..1_000_000, b in 1u64..1_000_000, c in 0u64..1_000_000, d in 1u64..1_000_000) {
            let x = Ratio::new(a as u128, b as u128).unwrap();
            let y = Ratio::new(c as u128, d as u128).unwrap();
            prop_assert_eq!(x.cmp(&y), (a as u128 * d as u128).cmp(&(c as u128 * b as u128)));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = Ratio::parse(&text);
        }
    }
}
