//! The participants' own commands: key files, journals of the events they signed, and checking
//! a journal against a published record.

use super::*;

/// Writes a new signing key to `path` (never overwriting; 0600) and returns its public key.
pub fn keygen(path: &std::path::Path, rng: &mut impl CryptoRngCore) -> Result<String> {
    let secret = Scalar::random(rng);
    write_key(path, &secret)?;
    Ok(public_hex(&secret))
}

/// Writes the signing key `secret` to `path` as [`load_key`] reads it (hex; never overwriting;
/// 0600).
pub(super) fn write_key(path: &std::path::Path, secret: &Scalar) -> Result<()> {
    crate::trustee::write_secret(path, format!("{}\n", convene_crypto::encoding::to_hex(secret.as_bytes())).as_bytes())
}

/// Reads a signing key written by [`keygen`].
pub fn load_key(path: &std::path::Path) -> Result<Scalar> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
    convene_crypto::encoding::scalar_from_hex(text.trim())
        .map_err(|e| anyhow!("{} is not a signing key made by `convene assembly keygen`: {e}", path.display()))
}

/// The journal kept beside a key file: `KEY.journal`.
pub fn journal_path(key: &std::path::Path) -> std::path::PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".journal");
    name.into()
}

/// The events of convention `convention` in the journal at `path` (none if it does not exist).
pub fn read_journal(path: &std::path::Path, convention: &str) -> Result<Vec<Journaled>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read the journal {}", path.display())),
    };
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let entry: Journaled = serde_json::from_str(line)
            .with_context(|| format!("{} line {} is not a journal entry", path.display(), k + 1))?;
        if entry.convention == convention {
            out.push(entry);
        }
    }
    Ok(out)
}

impl Participant {
    /// The holder of `secret`, continuing from their last event in the convention's log as
    /// their journal at `journal` records it (version 2). The server's count of their events
    /// must be the journal's: fewer means the server withheld one, and the journal's receipt
    /// proves it held it; more means someone else signs with this key. Without a journal yet
    /// (the first event, or a version-1 convention), the server's count is taken.
    pub async fn resume(
        client: &Client,
        convention: &Convention,
        secret: Scalar,
        journal: Option<std::path::PathBuf>,
    ) -> Result<Participant> {
        let key = public_hex(&secret);
        let state = convention.shown(client).await?;
        let shown = state.sequence.get(&key).copied().unwrap_or(0);
        let mut participant = Participant::from_secret(secret, shown);
        let Some(path) = journal.filter(|_| convention.version >= 2) else { return Ok(participant) };
        let kept = read_journal(&path, &convention.id)?;
        if let Some(last) = kept.last() {
            if shown < last.n {
                let withheld = kept.iter().find(|e| e.n == shown + 1).unwrap_or(last);
                bail!(
                    "the server shows {shown} of your events, but it accepted {}: your event n = {} (log entry {}, \
under its checkpoint of size {}) is missing. The server withheld or dropped it; keep {} — its signed receipt \
proves the log held it (check a published record with `convene assembly check`)",
                    last.n,
                    withheld.n,
                    withheld.receipt.index,
                    withheld.receipt.checkpoint.size,
                    path.display()
                );
            }
            if shown > last.n {
                bail!(
                    "the server shows {shown} events signed with your key, but your journal {} holds {}: \
someone else signs with this key, or this is not its journal",
                    path.display(),
                    last.n
                );
            }
        }
        participant.journal = Some(path);
        Ok(participant)
    }
}

/// Compares a participant's journal with a published convention record in `record`: each
/// journaled line must be in the log at its index, and each receipt's root must be the root of
/// the record's log at its size. Returns what does not match (empty: the record holds all).
pub fn check_journal(journal: &[Journaled], record: &std::path::Path) -> Result<Vec<String>> {
    let log = std::fs::read(record.join(files::LOG)).with_context(|| format!("cannot read {}", record.display()))?;
    let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let leaves: Vec<[u8; 32]> = lines.iter().map(|l| convene_record::log::leaf_hash(l)).collect();
    let mut problems = Vec::new();
    for entry in journal {
        let at = entry.receipt.index as usize;
        if lines.get(at) != Some(&entry.line.as_bytes()) {
            problems.push(format!(
                "your event n = {} is not log entry {at} of the published record, where the server's receipt put it",
                entry.n
            ));
        }
        let size = entry.receipt.checkpoint.size as usize;
        let root = (size <= leaves.len()).then(|| convene_record::log::root_of(&leaves[..size]));
        if root.map(|r| convene_crypto::encoding::to_hex(&r)) != Some(entry.receipt.checkpoint.root.clone()) {
            problems.push(format!(
                "the log key signed a log of {size} entries with root {} (the receipt of your event n = {}), \
but the published log's first {size} entries are another: the server showed two logs",
                entry.receipt.checkpoint.root, entry.n
            ));
        }
    }
    Ok(problems)
}

/// The secretary's apportionment of the latest localities, computed here (the server recomputes
/// it and refuses any other).
pub async fn apportionment_event(
    client: &Client,
    convention: &Convention,
    method: &str,
    seats: u64,
    min_seats: u64,
    max_seats: Option<u64>,
) -> Result<(Event, String)> {
    let state = convention.shown(client).await?;
    let latest = state.localities.last().context("import the localities first")?;
    let localities = &latest.localities;
    let version = latest.version;
    let problem = Problem {
        names: localities.iter().map(|l| l.name.clone()).collect(),
        populations: localities.iter().map(|l| l.population).collect(),
        seats,
        min_seats,
        max_seats,
        threshold: None,
    };
    let parsed = Method::parse(method).map_err(|e| anyhow!(e))?;
    let result = apportion::apportion(parsed, &problem).map_err(|e| anyhow!(e))?;
    let table = apportion::to_csv(&problem, &result);
    let event = Event::Apportionment {
        localities_version: version,
        method: method.to_string(),
        seats,
        min_seats,
        max_seats,
        result: result.seats,
    };
    Ok((event, table))
}
