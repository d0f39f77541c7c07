//! C2SP signed notes (c2sp.org/signed-note), transparency-log checkpoints
//! (c2sp.org/tlog-checkpoint) and timestamped Ed25519 witness cosignatures
//! (c2sp.org/tlog-cosignature), as `docs/protocol.md` §12 fixes them. Ed25519 is
//! `ed25519-dalek`'s; nothing here does I/O, and nothing panics on untrusted input: every parser
//! returns a [`NoteError`].

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature type of plain Ed25519 note signatures.
pub const TYPE_ED25519: u8 = 0x01;
/// The signature type of timestamped Ed25519 checkpoint cosignatures.
pub const TYPE_COSIGNATURE: u8 = 0x04;
/// The most signature lines a note may carry here (the spec asks for at least 16).
pub const MAX_SIGNATURES: usize = 100;
/// The largest note read, in bytes.
pub const MAX_NOTE: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("not a signed note: {0}")]
    Malformed(&'static str),
    #[error("not a verifier key: {0}")]
    BadKey(&'static str),
    #[error("the signature of {0} does not verify")]
    BadSignature(String),
    #[error("no signature by a known key verifies")]
    Unverified,
    #[error("not a checkpoint: {0}")]
    BadCheckpoint(&'static str),
}

/// `SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]`, big-endian.
pub fn key_id(name: &str, kind: u8, public: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0x0a, kind]);
    h.update(public);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// Key names are non-empty and contain no Unicode space and no `+`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// A public key that verifies notes: its name, type (plain Ed25519 or cosignature) and key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    pub name: String,
    pub kind: u8,
    pub key: VerifyingKey,
}

impl Verifier {
    pub fn new(name: &str, kind: u8, key: VerifyingKey) -> Result<Verifier, NoteError> {
        if !valid_name(name) {
            return Err(NoteError::BadKey("the name is empty or has a space or a +"));
        }
        if kind != TYPE_ED25519 && kind != TYPE_COSIGNATURE {
            return Err(NoteError::BadKey("only Ed25519 (0x01) and cosignature (0x04) keys are supported"));
        }
        Ok(Verifier { name: name.to_string(), kind, key })
    }

    pub fn id(&self) -> u32 {
        key_id(&self.name, self.kind, self.key.as_bytes())
    }

    /// Parses a verifier key, `NAME+hex8(ID)+base64(type ‖ key)`.
    pub fn parse(vkey: &str) -> Result<Verifier, NoteError> {
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::BadKey("expected NAME+ID+KEY"));
        };
        if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return Err(NoteError::BadKey("the ID is not 8 lower-case hex digits"));
        }
        let id = u32::from_str_radix(id, 16).map_err(|_| NoteError::BadKey("the ID is not hex"))?;
        let bytes = BASE64.decode(key).map_err(|_| NoteError::BadKey("the key is not base64"))?;
        let [kind, rest @ ..] = bytes.as_slice() else { return Err(NoteError::BadKey("the key is empty")) };
        let public: [u8; 32] = rest.try_into().map_err(|_| NoteError::BadKey("an Ed25519 key is 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&public).map_err(|_| NoteError::BadKey("not an Ed25519 public key"))?;
        let verifier = Verifier::new(name, *kind, key)?;
        if verifier.id() != id {
            return Err(NoteError::BadKey("the ID is not the one the name and key give"));
        }
        Ok(verifier)
    }

    /// The verifier key's text.
    pub fn to_vkey(&self) -> String {
        let mut material = vec![self.kind];
        material.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id(), BASE64.encode(material))
    }
}

/// A key that signs notes (a log) or cosigns checkpoints (a witness).
pub struct NoteSigner {
    pub name: String,
    pub kind: u8,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteSigner {{ name: {:?}, kind: {}, key: [redacted] }}", self.name, self.kind)
    }
}

impl NoteSigner {
    /// From a 32-byte Ed25519 seed (RFC 8032's private key).
    pub fn from_seed(name: &str, kind: u8, seed: &[u8; 32]) -> Result<NoteSigner, NoteError> {
        let key = SigningKey::from_bytes(seed);
        Verifier::new(name, kind, key.verifying_key())?;
        Ok(NoteSigner { name: name.to_string(), kind, key })
    }

    pub fn generate(name: &str, kind: u8, rng: &mut impl rand_core::CryptoRngCore) -> Result<NoteSigner, NoteError> {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        NoteSigner::from_seed(name, kind, &seed)
    }

    pub fn verifier(&self) -> Verifier {
        Verifier { name: self.name.clone(), kind: self.kind, key: self.key.verifying_key() }
    }

    /// The signature line's bytes for `text`: `u32be(ID) ‖ Ed25519(text)` for a log key.
    fn sign_text(&self, text: &str) -> Vec<u8> {
        let mut out = self.verifier().id().to_be_bytes().to_vec();
        out.extend_from_slice(&self.key.sign(text.as_bytes()).to_bytes());
        out
    }

    /// A cosignature's bytes: `u32be(ID) ‖ u64be(timestamp) ‖ Ed25519(cosigned message)`.
    fn cosign_text(&self, text: &str, timestamp: u64) -> Vec<u8> {
        let mut out = self.verifier().id().to_be_bytes().to_vec();
        out.extend_from_slice(&timestamp.to_be_bytes());
        out.extend_from_slice(&self.key.sign(&cosigned_message(text, timestamp)).to_bytes());
        out
    }
}

/// What a cosigner signs: `cosignature/v1\ntime T\n` and the checkpoint's note text.
pub fn cosigned_message(text: &str, timestamp: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {timestamp}\n{text}").into_bytes()
}

/// One signature line: the key name and the decoded `ID ‖ signature` bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureLine {
    pub name: String,
    pub id: u32,
    pub bytes: Vec<u8>,
}

impl SignatureLine {
    fn render(&self) -> String {
        format!("\u{2014} {} {}\n", self.name, BASE64.encode(&self.bytes))
    }
}

/// A signed note, parsed: its text (ending in a newline) and its signature lines, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub signatures: Vec<SignatureLine>,
}

impl Note {
    /// Parses a signed note (c2sp.org/signed-note): the text, a blank line, the signature lines.
    pub fn parse(bytes: &[u8]) -> Result<Note, NoteError> {
        if bytes.len() > MAX_NOTE {
            return Err(NoteError::Malformed("larger than 1 MiB"));
        }
        let all = std::str::from_utf8(bytes).map_err(|_| NoteError::Malformed("not UTF-8"))?;
        if all.chars().any(|c| c < ' ' && c != '\n') {
            return Err(NoteError::Malformed("a control character other than newline"));
        }
        if !all.ends_with('\n') {
            return Err(NoteError::Malformed("it does not end in a newline"));
        }
        // The text ends at the last blank line.
        let split = all.rfind("\n\n").ok_or(NoteError::Malformed("no blank line before the signatures"))?;
        let (text, rest) = (&all[..split + 1], &all[split + 2..]);
        let mut signatures = Vec::new();
        for line in rest.lines() {
            if signatures.len() == MAX_SIGNATURES {
                return Err(NoteError::Malformed("more than 100 signatures"));
            }
            let body = line
                .strip_prefix("\u{2014} ")
                .ok_or(NoteError::Malformed("a signature line starts with — and a space"))?;
            let (name, sig) =
                body.split_once(' ').ok_or(NoteError::Malformed("a signature line is — NAME SIGNATURE"))?;
            if !valid_name(name) {
                return Err(NoteError::Malformed("a key name is empty or has a space or a +"));
            }
            let bytes = BASE64.decode(sig).map_err(|_| NoteError::Malformed("a signature is not base64"))?;
            if bytes.len() < 5 {
                return Err(NoteError::Malformed("a signature is shorter than its key ID and one byte"));
            }
            let id = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            signatures.push(SignatureLine { name: name.to_string(), id, bytes });
        }
        if signatures.is_empty() {
            return Err(NoteError::Malformed("no signature lines"));
        }
        Ok(Note { text: text.to_string(), signatures })
    }

    /// The note's bytes: the text, a blank line, the signature lines.
    pub fn render(&self) -> String {
        let mut out = format!("{}\n", self.text);
        for s in &self.signatures {
            out.push_str(&s.render());
        }
        out
    }

    /// A note of `text` (which must end in a newline) signed by `signer`.
    pub fn sign(text: &str, signer: &NoteSigner) -> Result<Note, NoteError> {
        check_text(text)?;
        let bytes = signer.sign_text(text);
        let id = signer.verifier().id();
        Ok(Note { text: text.to_string(), signatures: vec![SignatureLine { name: signer.name.clone(), id, bytes }] })
    }

    /// Adds `witness`'s cosignature of this checkpoint at `timestamp` (POSIX seconds).
    pub fn cosign(&mut self, witness: &NoteSigner, timestamp: u64) -> Result<(), NoteError> {
        if timestamp > i64::MAX as u64 {
            return Err(NoteError::Malformed("a cosignature's timestamp is at most 2^63 - 1"));
        }
        let bytes = witness.cosign_text(&self.text, timestamp);
        let id = witness.verifier().id();
        self.signatures.push(SignatureLine { name: witness.name.clone(), id, bytes });
        Ok(())
    }

    /// Checks every signature by a key in `known` (others are ignored); a known key's bad
    /// signature rejects the note. Returns the verifiers whose signatures hold, with the
    /// timestamp of each cosignature (`None` for a plain signature).
    pub fn verify<'a>(&self, known: &'a [Verifier]) -> Result<Vec<(&'a Verifier, Option<u64>)>, NoteError> {
        let mut ok = Vec::new();
        for line in &self.signatures {
            let Some(verifier) = known.iter().find(|v| v.name == line.name && v.id() == line.id) else { continue };
            let bad = || NoteError::BadSignature(format!("{}+{:08x}", line.name, line.id));
            let (message, signature, timestamp) = match verifier.kind {
                TYPE_COSIGNATURE => {
                    let rest: &[u8; 72] = line.bytes[4..].try_into().map_err(|_| bad())?;
                    let timestamp = u64::from_be_bytes(rest[..8].try_into().expect("8 bytes"));
                    if timestamp > i64::MAX as u64 {
                        return Err(bad());
                    }
                    (cosigned_message(&self.text, timestamp), &rest[8..], Some(timestamp))
                }
                _ => (self.text.as_bytes().to_vec(), &line.bytes[4..], None),
            };
            let signature: [u8; 64] = signature.try_into().map_err(|_| bad())?;
            verifier
                .key
                .verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&signature))
                .map_err(|_| bad())?;
            ok.push((verifier, timestamp));
        }
        if ok.is_empty() {
            return Err(NoteError::Unverified);
        }
        Ok(ok)
    }
}

fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') || text.contains("\n\n") || text.starts_with('\n') {
        return Err(NoteError::Malformed("a note text is non-empty lines, each ending in a newline"));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("a control character other than newline"));
    }
    Ok(())
}

/// A checkpoint's body (c2sp.org/tlog-checkpoint): origin, tree size, root hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: [u8; 32],
}

impl Checkpoint {
    /// The note text: `ORIGIN\nSIZE\nbase64(ROOT)\n`.
    pub fn text(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, BASE64.encode(self.root))
    }

    /// Reads a checkpoint's note text. Extension lines are refused (Convene writes none).
    pub fn parse(text: &str) -> Result<Checkpoint, NoteError> {
        let bad = NoteError::BadCheckpoint;
        let lines: Vec<&str> =
            text.strip_suffix('\n').ok_or(bad("it does not end in a newline"))?.split('\n').collect();
        let [origin, size, root] = lines.as_slice() else {
            return Err(bad("a checkpoint is three lines: origin, size, root (no extension lines)"));
        };
        if origin.is_empty() {
            return Err(bad("the origin is empty"));
        }
        let canonical =
            !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit()) && (*size == "0" || !size.starts_with('0'));
        if !canonical {
            return Err(bad("the size is not a decimal number without leading zeros"));
        }
        let size = size.parse().map_err(|_| bad("the size is too large"))?;
        let root = BASE64.decode(root).map_err(|_| bad("the root is not base64"))?;
        let root = root.try_into().map_err(|_| bad("the root is not 32 bytes"))?;
        let checkpoint = Checkpoint { origin: origin.to_string(), size, root };
        if checkpoint.text() != text {
            return Err(bad("the root is not in canonical base64"));
        }
        Ok(checkpoint)
    }

    /// The checkpoint signed by the log's `signer`.
    pub fn sign(&self, signer: &NoteSigner) -> Result<Note, NoteError> {
        Note::sign(&self.text(), signer)
    }

    /// Opens a signed checkpoint: the log's signature must verify; returns the checkpoint and
    /// the note (for its cosignatures).
    pub fn open(bytes: &[u8], log: &Verifier) -> Result<(Checkpoint, Note), NoteError> {
        let note = Note::parse(bytes)?;
        note.verify(std::slice::from_ref(log))?;
        Ok((Checkpoint::parse(&note.text)?, note))
    }
}
