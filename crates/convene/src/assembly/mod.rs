//! The convention's participants over HTTP: each holds their own signing key and signs their own
//! events (`docs/convention.md`), and [`run_story`] plays a whole convention — import,
//! apportionment, credentials, agenda, motions, an amendment, speakers, votes under explicit
//! rules, a ranked vote on the structure of the state, the constitution and the hand-off to the
//! ratification referendum. The demo and the story tests both run it.

use crate::client::{As, Client};
use crate::witnesses::{LocalWitnesses, LOCAL_QUORUM};
use anyhow::{anyhow, bail, Context, Result};
use convene_core::apportion::{self, Method, Problem};
use convene_crypto::Scalar;
use convene_record::convention::*;
use convene_record::format::{CheckpointJson, TrusteeCount};
use convene_record::writer::manifest_hash;
use convene_server::api::{ConventionShown, NewConvention};
use rand_core::CryptoRngCore;
use serde_json::{json, Value};
use std::sync::Arc;

mod conference;
mod secret;
mod story;
mod tools;
pub use conference::*;
pub use secret::*;
pub use story::*;
pub use tools::*;

/// A person who signs convention events: the chair, the secretary or a delegate.
pub struct Participant {
    secret: Scalar,
    pub key: String,
    /// The sequence number of this participant's last event: kept here (and in the journal),
    /// never taken from the server, so that an event the server withholds leaves a gap.
    n: u64,
    /// Where each accepted event is kept with its receipt (`docs/convention.md` §2.1), if anywhere.
    journal: Option<std::path::PathBuf>,
}

/// One line of a participant's journal: an accepted event's exact line and its signed receipt.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Journaled {
    pub convention: String,
    pub n: u64,
    pub line: String,
    pub receipt: convene_record::writer::Receipt,
}

impl Participant {
    pub fn new(rng: &mut impl CryptoRngCore) -> Participant {
        Participant::from_secret(Scalar::random(rng), 0)
    }

    /// A participant whose last event was their `n`-th.
    pub fn from_secret(secret: Scalar, n: u64) -> Participant {
        Participant { key: public_hex(&secret), secret, n, journal: None }
    }

    /// Writes this participant's signing key to `path` as `convene assembly keygen` does (hex,
    /// readable by the owner only), for the assembly page's sign-in or the `assembly` commands.
    pub fn save_key(&self, path: &std::path::Path) -> Result<()> {
        tools::write_key(path, &self.secret)
    }

    /// This participant, keeping each accepted event and its receipt in the journal at `path`.
    pub fn keeping(mut self, path: std::path::PathBuf) -> Participant {
        self.journal = Some(path);
        self
    }

    /// The secret key (the demonstration's chair signs the timeline with it).
    pub fn secret(&self) -> Scalar {
        self.secret
    }

    /// The secret key, in hex, as `keygen` writes it (for handing to the participant's browser).
    pub fn secret_hex(&self) -> String {
        convene_crypto::encoding::to_hex(self.secret.as_bytes())
    }

    /// This participant's next event, signed: the log line (not sent). In a version-2
    /// convention, `checkpoint` (the server's latest) is what the signer saw, and `state` (the
    /// server's, as [`Convention::shown`] gives it) the references of the objects the event names
    /// by number.
    pub fn sign(
        &self,
        convention: &Convention,
        checkpoint: Option<&CheckpointJson>,
        state: Option<&ConventionShown>,
        event: &Event,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Vec<u8>> {
        if convention.version == 1 {
            return Ok(sign_entry(&convention.charter_hash, &self.secret, self.n + 1, None, event, rng));
        }
        let seen = convention.seen(checkpoint)?;
        let event = referenced(event.clone(), state)?;
        Ok(sign_entry(&convention.charter_hash, &self.secret, self.n + 1, Some(&seen), &event, rng))
    }

    /// This participant's next event signed against a state replayed here (tests of the
    /// server's recovery write such lines straight to its store).
    pub fn sign_on(&self, state: &ConventionState, event: &Event, rng: &mut impl CryptoRngCore) -> Vec<u8> {
        let event = state.named(event.clone());
        sign_entry(state.charter_hash(), &self.secret, self.n + 1, state.seen_now().as_ref(), &event, rng)
    }

    /// Signs `event` as this participant's next event and posts it; checks the receipt (version
    /// 2) and keeps it in the journal; returns what the event did.
    pub async fn send(
        &mut self,
        client: &Client,
        convention: &Convention,
        event: Event,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Value> {
        // Version 2: the server's state when the event names objects by number (to name them by
        // reference), else only its latest checkpoint.
        let (checkpoint, state) = match convention.version {
            1 => (None, None),
            _ if names_by_number(&event) => {
                let state = convention.shown(client).await?;
                (state.checkpoint.clone(), Some(state))
            }
            _ => (client.get_as(&format!("/api/conventions/{}/checkpoint", convention.id)).await?, None),
        };
        let line = self.sign(convention, checkpoint.as_ref(), state.as_ref(), &event, rng)?;
        let answer = client
            .post_raw(&format!("/api/conventions/{}/events", convention.id), line.clone(), As::Anyone)
            .await
            .with_context(|| format!("{} event", event.kind()))?;
        self.n += 1;
        if convention.version >= 2 {
            let receipt: convene_record::writer::Receipt = serde_json::from_value(answer["receipt"].clone())
                .context("the server accepted the event but sent no receipt")?;
            convention.check_receipt(&line, &receipt).context("the server's receipt for this event")?;
            if let Some(path) = &self.journal {
                let entry =
                    Journaled { convention: convention.id.clone(), n: self.n, line: String::from_utf8(line)?, receipt };
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                use std::io::Write;
                writeln!(f, "{}", serde_json::to_string(&entry)?)?;
                f.sync_all()?;
            }
        }
        Ok(answer)
    }
}

/// `event` with every motion, amendment and vote it names by number named instead by the
/// reference the server's `state` gives that object (version 2). References pass unchanged; a
/// number the state does not know is an error.
pub fn referenced(event: Event, state: Option<&ConventionShown>) -> Result<Event> {
    let missing = std::cell::RefCell::new(None);
    let look = |kind: &str, n: u32| {
        let hash = state.and_then(|state| match kind {
            "motion" => state.motions.iter().find(|o| o.id == n).map(|o| &o.hash),
            "amendment" => state.amendments.iter().find(|o| o.id == n).map(|o| &o.hash),
            _ => state.votes.iter().find(|o| o.id == n).map(|o| &o.hash),
        });
        let found = hash.map(|h| Ref::Hash(h.clone()));
        if found.is_none() {
            missing.borrow_mut().get_or_insert(format!("there is no {kind} {n}"));
        }
        found
    };
    let named = name_objects(event, look);
    match missing.into_inner() {
        Some(what) => bail!(what),
        None => Ok(named),
    }
}

/// A convention as its participants know it: its id, its charter's hash, version and log key.
#[derive(Clone)]
pub struct Convention {
    pub id: String,
    pub charter_hash: [u8; 32],
    pub version: u32,
    /// The charter's log key (and, in version 3, its witnesses and their quorum).
    log: convene_record::checkpoint::LogVerifier,
    /// Witnesses run by this process that the charter names (the demonstration's observers):
    /// they follow the convention's log and each referendum it calls for.
    pub observers: Option<Arc<LocalWitnesses>>,
}

impl Convention {
    /// Creates a convention (the supervisor's action) with the chair's and secretary's keys.
    pub async fn create(client: &Client, id: &str, title: &str, chair: &str, secretary: &str) -> Result<Convention> {
        Convention::create_with_trustees(client, id, title, chair, secretary, &[], None).await
    }

    /// As [`Convention::create`], the charter naming who may be a trustee of its referendums,
    /// and `observers` (witnesses run by this process) as its witnesses, of whom
    /// [`LOCAL_QUORUM`] must cosign (charter version 4): they follow its log from the start.
    pub async fn create_with_trustees(
        client: &Client,
        id: &str,
        title: &str,
        chair: &str,
        secretary: &str,
        trustees: &[convene_record::actors::Actor],
        observers: Option<Arc<LocalWitnesses>>,
    ) -> Result<Convention> {
        let officers = [chair, secretary];
        Convention::create_charter(client, id, title, officers, trustees, observers, None).await
    }

    /// Creates a conference of `states` (charter version 5), witnessed by `observers` as
    /// [`Convention::create_with_trustees`] is.
    pub async fn create_conference(
        client: &Client,
        id: &str,
        title: &str,
        [chair, secretary]: [&str; 2],
        states: &[String],
        observers: Option<Arc<LocalWitnesses>>,
    ) -> Result<Convention> {
        let conference = Some(convene_record::convention::Conference { states: states.to_vec() });
        Convention::create_charter(client, id, title, [chair, secretary], &[], observers, conference).await
    }

    async fn create_charter(
        client: &Client,
        id: &str,
        title: &str,
        [chair, secretary]: [&str; 2],
        trustees: &[convene_record::actors::Actor],
        observers: Option<Arc<LocalWitnesses>>,
        conference: Option<convene_record::convention::Conference>,
    ) -> Result<Convention> {
        let (witnesses, witness_quorum) = match &observers {
            Some(o) => (o.named(), LOCAL_QUORUM),
            None => (Vec::new(), 0),
        };
        client
            .post(
                "/api/conventions",
                &NewConvention {
                    convention_id: id.into(),
                    title: title.into(),
                    chair: chair.into(),
                    secretary: secretary.into(),
                    speaking_seconds: 300,
                    trustees: trustees.to_vec(),
                    min_region_ballots: None,
                    witnesses,
                    witness_quorum,
                    conference,
                },
                As::Supervisor,
            )
            .await
            .context("creating the convention")?;
        let mut convention = Convention::open(client, id).await?;
        if let Some(o) = &observers {
            let bytes = client.get_bytes(&format!("/api/conventions/{id}/record/charter.json")).await?;
            let charter = Charter::parse(&bytes).map_err(|e| anyhow!("the convention's charter: {e}"))?;
            o.follow(&charter.log_key).await.context("the local witnesses")?;
        }
        convention.observers = observers;
        Ok(convention)
    }

    pub async fn open(client: &Client, id: &str) -> Result<Convention> {
        let bytes = client.get_bytes(&format!("/api/conventions/{id}/record/charter.json")).await?;
        let charter = Charter::parse(&bytes).map_err(|e| anyhow!("the convention's charter: {e}"))?;
        if charter.convention_id != id {
            bail!("the server sent the charter of convention {}, not {id}", charter.convention_id);
        }
        let charter_hash = manifest_hash(&bytes);
        let log = charter.log_verifier(&charter_hash);
        Ok(Convention { id: id.to_string(), charter_hash, version: charter.version, log, observers: None })
    }

    /// What a signer saw: the server's latest checkpoint, once its signature checks with the
    /// charter's log key.
    pub fn seen(&self, checkpoint: Option<&CheckpointJson>) -> Result<Seen> {
        let Some(checkpoint) = checkpoint else {
            return Ok(Seen { size: 0, root: convene_record::log::empty_root() });
        };
        let root = self.log.check(checkpoint).map_err(|(_, why)| anyhow!("the server's latest checkpoint: {why}"))?;
        Ok(Seen { size: checkpoint.size, root })
    }

    /// Checks the receipt of `line`: signed with the log key, its tracking code the line's leaf,
    /// and the inclusion proof placing it in the log at the checkpoint.
    pub fn check_receipt(&self, line: &[u8], receipt: &convene_record::writer::Receipt) -> Result<()> {
        let leaf = convene_crypto::encoding::to_hex(&convene_record::log::leaf_hash(line));
        if receipt.tracking_code != leaf {
            bail!("the receipt is for entry {}, not for the line sent ({leaf})", receipt.tracking_code);
        }
        convene_record::verify::check_receipt_under(&self.log, receipt).map_err(|e| anyhow!(e))
    }

    /// The server's state of the convention, as the JSON it sent (tests read it as the pages do).
    pub async fn state(&self, client: &Client) -> Result<Value> {
        client.get(&format!("/api/conventions/{}", self.id)).await
    }

    /// The server's state of the convention.
    pub async fn shown(&self, client: &Client) -> Result<ConventionShown> {
        client.get_as(&format!("/api/conventions/{}", self.id)).await
    }

    /// The current result of vote `vote`, as the server computes it (the chair closes with it;
    /// the server refuses any other).
    pub async fn result_of(&self, client: &Client, vote: u32) -> Result<VoteResult> {
        let (_, shown) = self.vote(client, vote).await?;
        Ok(shown.result)
    }

    /// The convention's state and, within it, vote `vote` as the server shows it (an open vote
    /// with its result so far).
    pub async fn vote(&self, client: &Client, vote: u32) -> Result<(ConventionShown, VoteState)> {
        let state = self.shown(client).await?;
        let shown =
            state.votes.iter().find(|v| v.id == vote).cloned().ok_or_else(|| anyhow!("there is no vote {vote}"))?;
        Ok((state, shown))
    }
}

/// How later events name what an accepted event created: its number in a version-1
/// convention, the entry's reference in version 2.
pub fn reference(convention: &Convention, applied: &Value) -> Result<Ref> {
    if convention.version == 1 {
        return Ok(Ref::Number(created(applied)?));
    }
    applied["hash"]
        .as_str()
        .map(|h| Ref::Hash(h.to_string()))
        .ok_or_else(|| anyhow!("the server did not give the accepted entry's reference"))
}

/// The number of the motion, amendment or vote an accepted event created.
pub fn created(applied: &Value) -> Result<u32> {
    applied["created"]
        .as_u64()
        .map(|n| n as u32)
        .ok_or_else(|| anyhow!("the server did not say what the event created"))
}
