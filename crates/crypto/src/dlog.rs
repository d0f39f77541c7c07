//! Discrete logarithm by baby-step giant-step (protocol note §7): recovers a tally `m` from
//! `M = m·G` for `m` up to a bound (at least 10^9). Tallies are public, so this is vartime.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use curve25519_dalek::RistrettoPoint;
use std::collections::HashMap;

/// The largest bound supported (the baby-step table then has 2^20 entries, about 60 MiB).
pub const MAX_BOUND: u64 = 1 << 40;

/// A baby-step table for values `0..=bound`.
pub struct DlogTable {
    step: u64,
    bound: u64,
    baby: HashMap<[u8; 32], u64>,
    giant: RistrettoPoint,
}

impl DlogTable {
    /// Builds a table of `⌈√(bound+1)⌉` baby steps. Returns `None` above [`MAX_BOUND`].
    pub fn new(bound: u64) -> Option<DlogTable> {
        if bound > MAX_BOUND {
            return None;
        }
        let step = ((bound + 1) as f64).sqrt().ceil() as u64;
        let step = step.max(1);
        let mut baby = HashMap::with_capacity(step as usize);
        let mut p = RistrettoPoint::identity();
        for j in 0..step {
            baby.insert(p.compress().to_bytes(), j);
            p += RISTRETTO_BASEPOINT_POINT;
        }
        let giant = -(RISTRETTO_BASEPOINT_POINT * Scalar::from(step));
        Some(DlogTable { step, bound, baby, giant })
    }

    /// The `m ≤ bound` with `M = m·G`, if any.
    pub fn solve_vartime(&self, point: &RistrettoPoint) -> Option<u64> {
        let mut gamma = *point;
        let mut i = 0u64;
        while i * self.step <= self.bound {
            if let Some(j) = self.baby.get(&gamma.compress().to_bytes()) {
                let m = i * self.step + j;
                return (m <= self.bound).then_some(m);
            }
            gamma += self.giant;
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_across_the_range_and_nothing_beyond() {
        let table = DlogTable::new(1_000_000).unwrap();
        for m in [0u64, 1, 999, 1000, 1001, 123_456, 999_999, 1_000_000] {
            assert_eq!(table.solve_vartime(&(RISTRETTO_BASEPOINT_POINT * Scalar::from(m))), Some(m));
        }
        assert_eq!(table.solve_vartime(&(RISTRETTO_BASEPOINT_POINT * Scalar::from(1_000_001u64))), None);
        assert!(DlogTable::new(MAX_BOUND + 1).is_none());
    }

    #[test]
    fn reaches_a_billion() {
        let table = DlogTable::new(1_000_000_000).unwrap();
        let m = 987_654_321u64;
        assert_eq!(table.solve_vartime(&(RISTRETTO_BASEPOINT_POINT * Scalar::from(m))), Some(m));
    }
}
