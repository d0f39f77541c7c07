//! A log entry's signature (`docs/convention.md` §2, §2.1): the signed message, batch
//! verification of a log's signatures, and signing an event for the next entry.

use super::*;

/// A log line as read: the event's exact bytes are kept, because they are what was signed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EntryIn<'a> {
    pub(super) n: u64,
    /// Version 2: the log the signer saw.
    #[serde(default, borrow)]
    pub(super) seen: Option<SeenIn<'a>>,
    pub(super) signer: &'a str,
    #[serde(borrow)]
    pub(super) event: &'a RawValue,
    pub(super) signature: SignatureJson<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeenIn<'a> {
    pub(super) size: u64,
    pub(super) root: &'a str,
}

/// The log a signer saw (version 2): its size and RFC 9162 root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    /// How many entries the signer saw.
    pub size: u64,
    /// Their root.
    pub root: Hash,
}

impl SeenIn<'_> {
    pub(super) fn decode(&self) -> Result<Seen, String> {
        let root = crate::format::hash("seen.root", self.root).map_err(|e| e.to_string())?;
        Ok(Seen { size: self.size, root })
    }
}

/// The signed message: `le64(n) ‖ E` (version 1), or `le64(n) ‖ le64(seen.size) ‖ seen.root ‖ E`
/// (version 2), with its tag.
pub(super) fn signed_message(n: u64, seen: Option<&Seen>, event: &[u8]) -> (&'static str, Vec<u8>) {
    let mut msg = n.to_le_bytes().to_vec();
    let tag = match seen {
        None => TAG_EVENT,
        Some(seen) => {
            msg.extend_from_slice(&seen.size.to_le_bytes());
            msg.extend_from_slice(&seen.root);
            TAG_EVENT_V2
        }
    };
    msg.extend_from_slice(event);
    (tag, msg)
}

/// Adds an entry's signature to `batch`: `s·G = R + e·P`, `e = H(tag; h, P, R, M)`.
pub(super) fn push_entry(
    batch: &mut BatchVerifier,
    charter_hash: &Hash,
    signer: &Point,
    entry: &EntryIn,
) -> Result<(), String> {
    let signature: Signature = entry.signature.decode().map_err(|e| e.to_string())?;
    let seen = entry.seen.as_ref().map(SeenIn::decode).transpose()?;
    let (tag, msg) = signed_message(entry.n, seen.as_ref(), entry.event.get().as_bytes());
    schnorr::push_signature(batch, tag, charter_hash, signer, &msg, &signature)
        .map_err(|_| "the signer's key may not be the identity".to_string())
}

/// Whether each line carries a valid signature, checked in batches of 128 (one multiscalar
/// multiplication each, in parallel), falling back to one line at a time in a batch that fails,
/// so that a bad line is named. A line that does not parse counts as not valid here;
/// [`ConventionState::apply_verified_line`] then says what is wrong with it.
pub fn verify_signatures(charter_hash: &Hash, lines: &[&[u8]]) -> Vec<bool> {
    use rayon::prelude::*;
    let one = |line: &[u8], batch: &mut BatchVerifier| -> bool {
        let Ok(entry) = serde_json::from_slice::<EntryIn>(line) else { return false };
        let Ok(signer) = point_non_identity("signer", entry.signer) else { return false };
        push_entry(batch, charter_hash, &signer, &entry).is_ok()
    };
    lines
        .par_chunks(128)
        .flat_map_iter(|chunk| {
            let mut batch = BatchVerifier::new(convene_crypto::RistrettoPoint::default());
            let all_parse = chunk.iter().all(|line| one(line, &mut batch));
            if all_parse && batch.verify_vartime() {
                vec![true; chunk.len()]
            } else {
                chunk
                    .iter()
                    .map(|line| {
                        let mut batch = BatchVerifier::new(convene_crypto::RistrettoPoint::default());
                        one(line, &mut batch) && batch.verify_vartime()
                    })
                    .collect()
            }
        })
        .collect()
}

/// `event` with each motion, amendment or vote it names by number renamed by `lookup(kind,
/// number)` (`kind` is `"motion"`, `"amendment"` or `"vote"`), where that gives a name; the one
/// place that knows which fields of which events name objects.
pub fn name_objects(event: Event, lookup: impl Fn(&str, u32) -> Option<Ref>) -> Event {
    let name = |kind: &str, r: Ref| match r {
        Ref::Number(n) => lookup(kind, n).unwrap_or(Ref::Number(n)),
        hash => hash,
    };
    let subject = |s: Subject<Ref>| match s {
        Subject::Motion(m) => Subject::Motion(name("motion", m)),
        Subject::Amendment(a) => Subject::Amendment(name("amendment", a)),
        Subject::Ranked(o) => Subject::Ranked(o.into_iter().map(|m| name("motion", m)).collect()),
    };
    match event {
        Event::Amendment { motion, changes, rationale } => {
            Event::Amendment { motion: name("motion", motion), changes, rationale }
        }
        Event::Translation { motion, lang, version, title, text } => {
            Event::Translation { motion: name("motion", motion), lang, version, title, text }
        }
        Event::OpenVote { subject: s, rule } => Event::OpenVote { subject: subject(s), rule },
        Event::OpenSecretVote { subject: s, rule, referendum, trustees } => {
            Event::OpenSecretVote { subject: subject(s), rule, referendum, trustees }
        }
        Event::Vote { vote, choice, ranking } => Event::Vote { vote: name("vote", vote), choice, ranking },
        Event::WithdrawObjection { vote } => Event::WithdrawObjection { vote: name("vote", vote) },
        Event::CloseVote { vote, result } => Event::CloseVote { vote: name("vote", vote), result },
        Event::CloseSecretVote { vote, tally, result } => {
            Event::CloseSecretVote { vote: name("vote", vote), tally, result }
        }
        other => other,
    }
}

/// Whether `event` names any object by number.
pub fn names_by_number(event: &Event) -> bool {
    let found = std::cell::Cell::new(false);
    name_objects(event.clone(), |_, _| {
        found.set(true);
        None
    });
    found.get()
}

/// Signs `event` as the signer's `n`-th event and returns the log line: a version-1 line when
/// `seen` is `None`, else a version-2 line committing to the log the signer saw.
pub fn sign_entry(
    charter_hash: &Hash,
    secret: &Scalar,
    n: u64,
    seen: Option<&Seen>,
    event: &Event,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let k = zeroize::Zeroizing::new(Scalar::random(rng));
    sign_entry_with_nonce(charter_hash, secret, n, seen, event, &k)
}

/// [`sign_entry`] with the signature's nonce `k` given (which must be fresh, secret and uniformly
/// random; fixed only for the golden vectors).
pub fn sign_entry_with_nonce(
    charter_hash: &Hash,
    secret: &Scalar,
    n: u64,
    seen: Option<&Seen>,
    event: &Event,
    k: &Scalar,
) -> Vec<u8> {
    let public = Point::from(convene_crypto::RistrettoPoint::mul_base(secret));
    let event_bytes = serde_json::to_vec(event).expect("events always serialize");
    let (tag, msg) = signed_message(n, seen, &event_bytes);
    let signature = schnorr::sign_with_nonce(tag, charter_hash, secret, &public, &msg, k);
    let signature = serde_json::to_string(&SignatureJson::from_signature(&signature)).expect("serializes");
    let seen =
        seen.map_or(String::new(), |s| format!("\"seen\":{{\"size\":{},\"root\":\"{}\"}},", s.size, to_hex(&s.root)));
    format!(
        "{{\"n\":{n},{seen}\"signer\":\"{}\",\"event\":{},\"signature\":{signature}}}",
        public.to_hex(),
        String::from_utf8(event_bytes).expect("JSON is UTF-8")
    )
    .into_bytes()
}

/// The hex of a public key for a secret (the delegate tools' key files hold the secret).
pub fn public_hex(secret: &Scalar) -> String {
    to_hex(Point::from(convene_crypto::RistrettoPoint::mul_base(secret)).bytes())
}
