//! Canonical encodings (protocol note §1): points, scalars, strict lower-case hex, framed
//! hashing. Every decoder here rejects non-canonical input with a [`FormatError`] and never
//! panics, whatever the bytes.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use sha2::{Digest, Sha256, Sha512};

/// Why some bytes are not a valid encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The bytes are not a canonical ristretto255 encoding.
    #[error("not a canonical ristretto255 point encoding")]
    NonCanonicalPoint,
    /// The identity point where a non-identity one is required.
    #[error("the identity point is not allowed here")]
    IdentityPoint,
    /// A scalar at or above the group order.
    #[error("not a canonical scalar (must be below the group order)")]
    NonCanonicalScalar,
    /// Hex of the wrong length.
    #[error("expected {expected} hex characters, found {found}")]
    HexLength {
        /// How many hex characters were expected.
        expected: usize,
        /// How many there were.
        found: usize,
    },
    /// A character that is not lower-case hex, at this position.
    #[error("invalid hex character at position {0} (only 0-9 and lower-case a-f are allowed)")]
    HexCharacter(usize),
    /// A structure that does not fit (a question's shape, say), in words.
    #[error("{0}")]
    Shape(String),
}

/// A ristretto255 point together with its canonical encoding, so that hashing never
/// re-compresses and every `Point` in memory is known to be valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    bytes: [u8; 32],
    point: RistrettoPoint,
}

impl Point {
    /// Decodes a canonical encoding (the identity is accepted; see [`Point::decode_non_identity`]).
    pub fn decode(bytes: &[u8; 32]) -> Result<Point, FormatError> {
        let point = CompressedRistretto(*bytes).decompress().ok_or(FormatError::NonCanonicalPoint)?;
        Ok(Point { bytes: *bytes, point })
    }

    /// Decodes a canonical encoding and rejects the identity.
    pub fn decode_non_identity(bytes: &[u8; 32]) -> Result<Point, FormatError> {
        let p = Point::decode(bytes)?;
        if p.is_identity() {
            return Err(FormatError::IdentityPoint);
        }
        Ok(p)
    }

    /// Decodes 64 lower-case hex characters (the identity is allowed; see [`Point::decode_non_identity`]).
    pub fn from_hex(hex: &str) -> Result<Point, FormatError> {
        Point::decode(&hex32(hex)?)
    }

    /// Whether this is the identity point.
    pub fn is_identity(&self) -> bool {
        self.bytes == [0u8; 32]
    }

    /// The canonical 32-byte encoding.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The decoded point.
    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    /// The encoding as 64 lower-case hex characters.
    pub fn to_hex(&self) -> String {
        to_hex(&self.bytes)
    }

    /// The identity point.
    pub fn identity() -> Point {
        Point::from(RistrettoPoint::identity())
    }
}

impl From<RistrettoPoint> for Point {
    fn from(point: RistrettoPoint) -> Point {
        Point { bytes: point.compress().to_bytes(), point }
    }
}

/// Decodes a canonical scalar (little-endian, below the group order).
pub fn decode_scalar(bytes: &[u8; 32]) -> Result<Scalar, FormatError> {
    Option::from(Scalar::from_canonical_bytes(*bytes)).ok_or(FormatError::NonCanonicalScalar)
}

/// Decodes 64 lower-case hex characters as a canonical scalar.
pub fn scalar_from_hex(hex: &str) -> Result<Scalar, FormatError> {
    decode_scalar(&hex32(hex)?)
}

/// Lower-case hex of any bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Each byte's value as a lower-case hex digit; 0xFF for any other byte.
const HEX_VALUE: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut c = 0;
    while c < 10 {
        table[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        table[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    table
};

/// Strict lower-case hex into exactly `out.len()` bytes. One table look-up per digit, the first
/// bad digit looked for only when there is one (hex decoding was 4 % of `convene verify`'s time).
pub fn hex_into(hex: &str, out: &mut [u8]) -> Result<(), FormatError> {
    let h = hex.as_bytes();
    if h.len() != out.len() * 2 {
        return Err(FormatError::HexLength { expected: out.len() * 2, found: h.len() });
    }
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(h.chunks_exact(2)) {
        let (high, low) = (HEX_VALUE[pair[0] as usize], HEX_VALUE[pair[1] as usize]);
        bad |= high | low;
        *byte = high << 4 | low;
    }
    if bad > 0x0F {
        let position = h.iter().position(|&c| HEX_VALUE[c as usize] == 0xFF).unwrap_or(0);
        return Err(FormatError::HexCharacter(position));
    }
    Ok(())
}

/// Strict lower-case hex of exactly 32 bytes.
pub fn hex32(hex: &str) -> Result<[u8; 32], FormatError> {
    let mut out = [0u8; 32];
    hex_into(hex, &mut out)?;
    Ok(out)
}

/// Strict lower-case hex of any even length.
pub fn hex_vec(hex: &str) -> Result<Vec<u8>, FormatError> {
    if !hex.len().is_multiple_of(2) {
        return Err(FormatError::HexLength { expected: hex.len() + 1, found: hex.len() });
    }
    let mut out = vec![0u8; hex.len() / 2];
    hex_into(hex, &mut out)?;
    Ok(out)
}

/// `frame(b) = u32(len(b)) ‖ b`, appended to a byte buffer.
pub fn push_frame(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// `H(tag; x1, …)`: SHA-512 over framed items, reduced to a scalar (note §1).
pub struct Challenge(Sha512);

impl Challenge {
    /// A challenge whose first item is the domain tag `tag`.
    pub fn new(tag: &str) -> Challenge {
        let mut c = Challenge(Sha512::new());
        c.item(tag.as_bytes());
        c
    }

    /// Appends one framed item: `u32(len) ‖ bytes`.
    pub fn item(&mut self, bytes: &[u8]) -> &mut Challenge {
        self.0.update((bytes.len() as u32).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The SHA-512 digest, reduced modulo the group order.
    pub fn scalar(self) -> Scalar {
        Scalar::from_bytes_mod_order_wide(&self.0.finalize().into())
    }
}

/// `H256(tag; x1, …)`: SHA-256 over framed items (note §1).
pub fn hash256(tag: &str, items: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((tag.len() as u32).to_le_bytes());
    h.update(tag.as_bytes());
    for item in items {
        h.update((item.len() as u32).to_le_bytes());
        h.update(item);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_strict_lower_case() {
        assert_eq!(hex_vec("00ff10").unwrap(), vec![0, 255, 16]);
        assert_eq!(hex_vec("00FF"), Err(FormatError::HexCharacter(2)));
        assert_eq!(hex_vec("0"), Err(FormatError::HexLength { expected: 1 + 1, found: 1 }));
        assert!(matches!(hex32("00"), Err(FormatError::HexLength { expected: 64, found: 2 })));
        assert_eq!(to_hex(&[0xab, 0x01]), "ab01");
    }

    #[test]
    fn every_byte_is_a_digit_only_if_lower_case_hex_and_the_first_bad_one_is_named() {
        for c in 0..=255u8 {
            let digit = c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
            for position in 0..4 {
                let mut text = *b"a0b1";
                text[position] = c;
                let decoded = std::str::from_utf8(&text).ok().map(hex_vec);
                match decoded {
                    None => {}
                    Some(Ok(bytes)) => {
                        assert!(digit, "{c:#x} taken as a digit");
                        assert_eq!(to_hex(&bytes).as_bytes(), &text);
                    }
                    Some(Err(e)) => {
                        assert!(!digit, "{c:#x} refused");
                        assert_eq!(e, FormatError::HexCharacter(position));
                    }
                }
            }
        }
        assert_eq!(hex_vec("zz0G"), Err(FormatError::HexCharacter(0)));
    }

    #[test]
    fn non_canonical_encodings_are_rejected() {
        // 2^255 - 1 is not a canonical field element, so not a canonical point.
        let mut bad = [0xffu8; 32];
        bad[31] = 0x7f;
        assert_eq!(Point::decode(&bad), Err(FormatError::NonCanonicalPoint));
        // A "negative" field element (low bit set) is never a canonical ristretto encoding.
        let mut odd = [0u8; 32];
        odd[0] = 1;
        assert_eq!(Point::decode(&odd), Err(FormatError::NonCanonicalPoint));
        assert_eq!(Point::decode_non_identity(&[0u8; 32]), Err(FormatError::IdentityPoint));
        assert_eq!(decode_scalar(&[0xff; 32]), Err(FormatError::NonCanonicalScalar));
        // The group order itself is not canonical.
        let order = hex32("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap();
        assert_eq!(decode_scalar(&order), Err(FormatError::NonCanonicalScalar));
    }
}
