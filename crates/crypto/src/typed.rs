//! Credentials and sign-in codes a person can type (`docs/protocol.md` §14): an 18-symbol
//! credential string from which the credential key is derived by Argon2id, and a 9-symbol
//! sign-in code, both from an alphabet without look-alikes, in groups, with check symbols.

use crate::ballot::CredentialSecret;
use crate::encoding::hash256;
use curve25519_dalek::scalar::Scalar;
use rand_core::CryptoRngCore;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The 32 symbols, a symbol's value being its position (§14.1).
pub const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The data symbols of a credential string (80 bits).
pub const CREDENTIAL_DATA: usize = 16;
/// The symbols of a credential string: data, then two check symbols.
pub const CREDENTIAL_LEN: usize = 18;
/// The data symbols of a sign-in code (40 bits).
pub const CODE_DATA: usize = 8;
/// The symbols of a sign-in code: data, then one check symbol.
pub const CODE_LEN: usize = 9;

const TAG_CREDENTIAL_CHECK: &str = "convene/credential-check v1";
const TAG_CODE_CHECK: &str = "convene/code-check v1";
const SALT_PREFIX: &str = "convene/credential v1:";

/// Why typed text is not a credential or a code, or the parameters are refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypedError {
    /// A character outside the alphabet.
    #[error("{0:?} is not used on the sheet (there is no 0, O, 1 or I): check that character")]
    NotInAlphabet(char),
    /// Too few or too many symbols.
    #[error("it has {found} characters, not {expected}: a character is missing or added")]
    WrongLength {
        /// How many symbols the text should have.
        expected: usize,
        /// How many it has, normalized.
        found: usize,
    },
    /// The check symbols differ: a typo.
    #[error("its check characters do not match: a character is mistyped")]
    CheckFailed,
    /// The key derivation's parameters break §14.5.
    #[error("the credential_kdf parameters are refused: {0}")]
    Parameters(&'static str),
    /// The derived scalar is zero (never in practice; the registrar draws another).
    #[error("this credential derives the zero key")]
    ZeroKey,
}

impl TypedError {
    /// The stable code of the refusal (`docs/protocol.md` §14).
    pub fn code(&self) -> &'static str {
        match self {
            TypedError::NotInAlphabet(_) => "not-in-alphabet",
            TypedError::WrongLength { .. } => "wrong-length",
            TypedError::CheckFailed => "check-failed",
            TypedError::Parameters(_) => "kdf-parameters",
            TypedError::ZeroKey => "zero-key",
        }
    }
}

/// The Argon2id cost a manifest's `credential_kdf` names (§14.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Passes (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

impl KdfParams {
    /// The parameters Convene writes by default: 19 MiB, 2 passes, 1 lane.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 19456, iterations: 2, parallelism: 1 };

    /// Checks the bounds of §14.5.
    pub fn check(&self) -> Result<(), TypedError> {
        if !(1..=16).contains(&self.parallelism) {
            return Err(TypedError::Parameters("parallelism must be 1 to 16"));
        }
        if self.memory_kib < 8 * self.parallelism || self.memory_kib > 4 * 1024 * 1024 {
            return Err(TypedError::Parameters("memory_kib must be at least 8 × parallelism and at most 4194304"));
        }
        if !(1..=64).contains(&self.iterations) {
            return Err(TypedError::Parameters("iterations must be 1 to 64"));
        }
        Ok(())
    }
}

/// What a person typed, made exact (§14.1): white space, joiners, tatweel and dashes removed,
/// Arabic-Indic and Persian digits read as ASCII, letters upper-cased. No alphabet check: the
/// server hashes older codes this way too.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !(c.is_whitespace()
                || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{0640}'))
        })
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x6F0) as u8),
            _ => c,
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// `text` normalized, every character in the alphabet and `len` of them.
fn symbols(text: &str, len: usize) -> Result<String, TypedError> {
    let normal = normalize(text);
    if let Some(c) = normal.chars().find(|c| !c.is_ascii() || !ALPHABET.contains(&(*c as u8))) {
        return Err(TypedError::NotInAlphabet(c));
    }
    if normal.len() != len {
        return Err(TypedError::WrongLength { expected: len, found: normal.len() });
    }
    Ok(normal)
}

/// The first `count` check symbols of `data` under `tag`: the leading bits of its hash, five per
/// symbol.
fn check_symbols(tag: &str, data: &[u8], count: usize) -> Vec<u8> {
    let c = hash256(tag, &[data]);
    let bits = u16::from_be_bytes([c[0], c[1]]);
    (0..count).map(|i| ALPHABET[((bits >> (11 - 5 * i)) & 31) as usize]).collect()
}

/// `count` symbols drawn uniformly (each from 5 random bits).
fn random_symbols(rng: &mut impl CryptoRngCore, count: usize) -> Vec<u8> {
    let mut bytes = Zeroizing::new(vec![0u8; count]);
    rng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[(b & 31) as usize]).collect()
}

/// `text` (normalized) in groups of `size` joined by `-`.
fn grouped(text: &str, size: usize) -> String {
    text.as_bytes().chunks(size).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>().join("-")
}

/// `symbols` with its check, refused when the check differs.
fn checked(text: &str, len: usize, data: usize, tag: &str) -> Result<String, TypedError> {
    let normal = symbols(text, len)?;
    if check_symbols(tag, &normal.as_bytes()[..data], len - data) != normal.as_bytes()[data..] {
        return Err(TypedError::CheckFailed);
    }
    Ok(normal)
}

/// A credential string (§14.2), normalized. Secret: zeroized on drop, printed redacted.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TypedCredential(String);

impl std::fmt::Debug for TypedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedCredential([redacted])")
    }
}

impl TypedCredential {
    /// A fresh credential string: 16 random symbols and their check.
    pub fn generate(rng: &mut impl CryptoRngCore) -> TypedCredential {
        let mut symbols = random_symbols(rng, CREDENTIAL_DATA);
        symbols.extend(check_symbols(TAG_CREDENTIAL_CHECK, &symbols, CREDENTIAL_LEN - CREDENTIAL_DATA));
        TypedCredential(String::from_utf8(symbols).expect("the alphabet is ASCII"))
    }

    /// A credential string as typed: normalized, then its length and check symbols checked.
    pub fn parse(text: &str) -> Result<TypedCredential, TypedError> {
        checked(text, CREDENTIAL_LEN, CREDENTIAL_DATA, TAG_CREDENTIAL_CHECK).map(TypedCredential)
    }

    /// The 18 symbols, ungrouped.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As the sheet prints it: `ABCDEF-GHJKLM-NPQRST`.
    pub fn grouped(&self) -> String {
        grouped(&self.0, 6)
    }

    /// The credential key pair (§14.4): Argon2id of the string, salted with the election id.
    pub fn derive(&self, election_id: &str, params: &KdfParams) -> Result<CredentialSecret, TypedError> {
        let k = self.stretch(election_id, params)?;
        CredentialSecret::from_scalar(Scalar::from_bytes_mod_order_wide(&k)).map_err(|_| TypedError::ZeroKey)
    }

    /// Argon2id's 64-byte output `k` for this string (§14.4), before it is read as a scalar.
    pub fn stretch(&self, election_id: &str, params: &KdfParams) -> Result<Zeroizing<[u8; 64]>, TypedError> {
        params.check()?;
        let argon = argon2::Params::new(params.memory_kib, params.iterations, params.parallelism, Some(64))
            .map_err(|_| TypedError::Parameters("Argon2 refuses these parameters"))?;
        let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon);
        let salt = format!("{SALT_PREFIX}{election_id}");
        let mut k = Zeroizing::new([0u8; 64]);
        kdf.hash_password_into(self.0.as_bytes(), salt.as_bytes(), &mut *k)
            .map_err(|_| TypedError::Parameters("Argon2 refuses these parameters"))?;
        Ok(k)
    }
}

/// A sign-in code (§14.3), normalized.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TypedCode(String);

impl std::fmt::Debug for TypedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedCode([redacted])")
    }
}

impl TypedCode {
    /// A fresh code: 8 random symbols and their check.
    pub fn generate(rng: &mut impl CryptoRngCore) -> TypedCode {
        let mut symbols = random_symbols(rng, CODE_DATA);
        symbols.extend(check_symbols(TAG_CODE_CHECK, &symbols, CODE_LEN - CODE_DATA));
        TypedCode(String::from_utf8(symbols).expect("the alphabet is ASCII"))
    }

    /// A code as typed: normalized, then its length and check symbol checked.
    pub fn parse(text: &str) -> Result<TypedCode, TypedError> {
        checked(text, CODE_LEN, CODE_DATA, TAG_CODE_CHECK).map(TypedCode)
    }

    /// The 9 symbols, ungrouped.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As the sheet prints it: `ABC-DEF-GHJ`.
    pub fn grouped(&self) -> String {
        grouped(&self.0, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    /// Light parameters: the tests check the rules, not the cost.
    const LIGHT: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

    #[test]
    fn a_credential_reads_back_however_it_is_typed() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let credential = TypedCredential::generate(&mut rng);
        let grouped = credential.grouped();
        assert_eq!(grouped.len(), 20);
        assert_eq!(TypedCredential::parse(&grouped).unwrap(), credential);
        let spaced = format!(" {} ", grouped.to_lowercase().replace('-', " \u{200C}"));
        assert_eq!(TypedCredential::parse(&spaced).unwrap(), credential);
        let code = TypedCode::generate(&mut rng);
        assert_eq!(TypedCode::parse(&code.grouped().to_lowercase()).unwrap(), code);
        assert_eq!(code.grouped().len(), 11);
    }

    #[test]
    fn every_single_typo_is_named_and_nearly_every_other_caught() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
        let credential = TypedCredential::generate(&mut rng);
        let text = credential.as_str().as_bytes().to_vec();
        let (mut caught, mut tried) = (0, 0);
        for i in 0..text.len() {
            for &s in ALPHABET.iter().filter(|&&s| s != text[i]) {
                let mut typo = text.clone();
                typo[i] = s;
                tried += 1;
                caught += usize::from(
                    TypedCredential::parse(std::str::from_utf8(&typo).unwrap()) == Err(TypedError::CheckFailed),
                );
            }
        }
        // A 10-bit check misses about one typo in a thousand.
        assert!(caught * 1000 >= tried * 995, "caught {caught} of {tried}");
        assert_eq!(TypedCredential::parse("ABCDEF-GHJKLM-NPQRS0"), Err(TypedError::NotInAlphabet('0')));
        assert_eq!(
            TypedCredential::parse("ABCDEF-GHJKLM-NPQR"),
            Err(TypedError::WrongLength { expected: 18, found: 16 })
        );
        assert_eq!(TypedCode::parse("ABC-DEF-GHI"), Err(TypedError::NotInAlphabet('I')));
    }

    #[test]
    fn the_key_depends_on_the_string_the_election_and_the_cost() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
        let credential = TypedCredential::generate(&mut rng);
        let key = |id: &str, p: &KdfParams| *credential.derive(id, p).unwrap().public();
        let a = key("e1", &LIGHT);
        assert_eq!(a, key("e1", &LIGHT));
        assert_ne!(a, key("e2", &LIGHT));
        assert_ne!(a, key("e1", &KdfParams { iterations: 2, ..LIGHT }));
        assert_ne!(a, *TypedCredential::generate(&mut rng).derive("e1", &LIGHT).unwrap().public());
        for bad in [
            KdfParams { parallelism: 0, ..LIGHT },
            KdfParams { memory_kib: 7, ..LIGHT },
            KdfParams { iterations: 0, ..LIGHT },
            KdfParams { iterations: 65, ..LIGHT },
        ] {
            assert!(matches!(credential.derive("e1", &bad), Err(TypedError::Parameters(_))), "{bad:?}");
        }
        assert_eq!(format!("{credential:?}"), "TypedCredential([redacted])");
    }
}
