//! The trustee's tool, run on the trustee's own machine. Its secrets live only in its files (the
//! state file after `start`, the key file after `finish`, both readable by the owner only); the
//! server sees the public messages: round 1, the encrypted shares, complaints, partial
//! decryptions. Each step reads what it needs of the ceremony from the server's public view.

use crate::client::{As, Client, HttpError};
use anyhow::{bail, Context, Result};
use convene_crypto::ceremony::{CeremonyParams, Trustee, TrusteeAwaitingOutcome, TrusteeKey, TrusteeSecretState};
use convene_crypto::encoding::{hex32, scalar_from_hex, to_hex};
use convene_crypto::{Point, Scalar};
use convene_record::actors::{
    acknowledgement_message, authenticated_messages, complaints_message, round1_message, shares_message, ActorKey,
    TAG_ACKNOWLEDGEMENT, TAG_COMPLAINTS, TAG_ROUND1, TAG_SHARES,
};
use convene_record::format::*;
use convene_record::writer::manifest_hash;
use convene_server::api;
use rand_core::OsRng;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u32,
    election: String,
    index: u32,
    manifest_hash: String,
    communication_secret: String,
    coefficients: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    version: u32,
    election: String,
    index: u32,
    secret: String,
    public: String,
}

pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        bail!("{} exists; a secret file is never overwritten", path.display());
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

async fn params(client: &Client, id: &str) -> Result<CeremonyParams> {
    Ok(election(client, id).await?.0)
}

/// The election's ceremony parameters and manifest.
async fn election(client: &Client, id: &str) -> Result<(CeremonyParams, Manifest)> {
    let bytes =
        client.get_bytes(&format!("/api/elections/{id}/record/manifest.json")).await.context("no such election")?;
    let manifest = Manifest::parse(&bytes)?;
    let params =
        CeremonyParams { manifest_hash: manifest_hash(&bytes), n: manifest.trustees.n, t: manifest.trustees.t };
    Ok((params, manifest))
}

/// The trustee's identity, checked against the manifest (version 2): it must be the key the
/// manifest names for trustee `index`. `None` for a version-1 election.
fn identity_for<'a>(manifest: &Manifest, index: u32, identity: Option<&'a ActorKey>) -> Result<Option<&'a ActorKey>> {
    if manifest.version < 2 {
        return Ok(None);
    }
    let Some(identity) = identity else {
        bail!("this election (record format 2) names its trustees by key: give this trustee's --identity file");
    };
    if manifest.trustee_key(index).as_ref() != Some(identity.public()) {
        bail!(
            "this identity ({}) is not the key the manifest names for trustee {index}; check --index and --identity",
            identity.public().to_hex()
        );
    }
    Ok(Some(identity))
}

/// Posts a message: signed (version 2), directly; otherwise with the supervisor's token if the
/// client has it, or written beside `state` for the supervisor to upload. Returns where it went.
async fn submit(
    client: &Client,
    id: &str,
    endpoint: &str,
    body: &impl serde::Serialize,
    state: &Path,
    step: &str,
    signed: bool,
) -> Result<String> {
    if signed {
        client.post(&format!("/api/elections/{id}/{endpoint}"), body, As::Anyone).await?;
        return Ok(format!("signed and uploaded to {endpoint}"));
    }
    if client.has_admin() {
        client.post(&format!("/api/elections/{id}/{endpoint}"), body, As::Supervisor).await?;
        return Ok(format!("uploaded to {endpoint}"));
    }
    let out = state.with_extension(format!("{step}.json"));
    std::fs::write(&out, serde_json::to_vec_pretty(body)?)?;
    Ok(format!("written to {} for the supervisor to POST to /api/elections/{id}/{endpoint}", out.display()))
}

/// Step 1: keys and commitments. Saves the secrets to `state`; publishes round 1, signed with
/// the trustee's `identity` in a version-2 election.
pub async fn start(client: &Client, id: &str, index: u32, state: &Path, identity: Option<&ActorKey>) -> Result<String> {
    let (params, manifest) = election(client, id).await?;
    let identity = identity_for(&manifest, index, identity)?;
    let (waiting, round1) = Trustee::start(params, index, &mut OsRng)?;
    let secrets = waiting.secret_state();
    let file = StateFile {
        version: 1,
        election: id.into(),
        index,
        manifest_hash: to_hex(&params.manifest_hash),
        communication_secret: to_hex(secrets.communication_secret.as_bytes()),
        coefficients: secrets.coefficients.iter().map(|c| to_hex(c.as_bytes())).collect(),
    };
    write_secret(state, &Zeroizing::new(serde_json::to_vec_pretty(&file)?))?;
    let mut json = Round1Json::from_round1(&round1);
    if let Some(identity) = identity {
        json.signature = Some(identity.sign(TAG_ROUND1, &params.manifest_hash, &round1_message(&round1), &mut OsRng));
    }
    submit(client, id, "ceremony/round1", &serde_json::to_value(json)?, state, "round1", identity.is_some()).await
}

async fn resume(client: &Client, id: &str, state: &Path) -> Result<(CeremonyParams, u32, TrusteeSecretState)> {
    let text = Zeroizing::new(std::fs::read(state).with_context(|| format!("cannot read {}", state.display()))?);
    let file: StateFile = serde_json::from_slice(&text).context("not a trustee state file")?;
    if file.election != id {
        bail!("{} belongs to election {:?}, not {id:?}", state.display(), file.election);
    }
    let params = params(client, id).await?;
    if hex32(&file.manifest_hash)? != params.manifest_hash {
        bail!("the election's manifest changed since this trustee started");
    }
    let secrets = TrusteeSecretState {
        communication_secret: scalar_from_hex(&file.communication_secret)?,
        coefficients: file.coefficients.iter().map(|c| scalar_from_hex(c)).collect::<Result<_, _>>()?,
    };
    Ok((params, file.index, secrets))
}

/// Stops unless the server holds this trustee's own round-1 message: the communication key and
/// commitments its secrets give. A host that replaced them could otherwise deal in its name.
fn check_own_round1(
    index: u32,
    secrets: &TrusteeSecretState,
    round1: &[convene_crypto::ceremony::Round1],
) -> Result<()> {
    let public = |x: &Scalar| Point::from(convene_crypto::RistrettoPoint::mul_base(x));
    let Some(mine) = round1.iter().find(|m| m.trustee == index) else {
        bail!("the server holds no round-1 message of trustee {index}; publish it with `convene trustee start`");
    };
    let commitments: Vec<Point> = secrets.coefficients.iter().map(public).collect();
    if mine.communication_key != public(&secrets.communication_secret) || mine.commitments != commitments {
        bail!(
            "the server's round-1 message for trustee {index} is not the one this trustee published: stop, and tell \
             the other trustees and the observers (someone is acting in this trustee's name)"
        );
    }
    Ok(())
}

/// The ceremony's messages that count: in version 2, only those their authors signed (the
/// check the server and the verifier make too).
async fn messages(client: &Client, id: &str) -> Result<CeremonyMessages> {
    let doc: CeremonyJson = serde_json::from_value(client.get(&format!("/api/elections/{id}/ceremony")).await?)?;
    let (params, manifest) = election(client, id).await?;
    Ok(authenticated_messages(&manifest, &params.manifest_hash, &doc)?.0)
}

/// Step 2: deals a share to every other trustee whose round 1 is valid. `corrupt` (demos and
/// tests only) makes the share for that recipient wrong, as a cheating dealer would.
pub async fn deal(
    client: &Client,
    id: &str,
    state: &Path,
    corrupt: Option<u32>,
    identity: Option<&ActorKey>,
) -> Result<String> {
    let (params, index, secrets) = resume(client, id, state).await?;
    let (_, manifest) = election(client, id).await?;
    let identity = identity_for(&manifest, index, identity)?;
    let (round1, _, _) = messages(client, id).await?;
    check_own_round1(index, &secrets, &round1)?;
    if round1.len() != params.n as usize {
        bail!("{} of {} trustees have published round 1; wait for the others", round1.len(), params.n);
    }
    let (_, mut shares) = Trustee::resume(params, index, &secrets)?.deal(&round1, &mut OsRng)?;
    for s in shares.iter_mut().filter(|s| Some(s.recipient) == corrupt) {
        s.u += Scalar::ONE;
    }
    let body = api::DealtShares {
        dealer: index,
        shares: shares.iter().map(ShareJson::from_share).collect(),
        signature: identity.map(|identity| {
            identity.sign(TAG_SHARES, &params.manifest_hash, &shares_message(index, &shares), &mut OsRng)
        }),
    };
    submit(client, id, "ceremony/shares", &body, state, "shares", identity.is_some()).await
}

async fn received(
    client: &Client,
    id: &str,
    state: &Path,
) -> Result<(TrusteeAwaitingOutcome, Vec<convene_crypto::ceremony::Complaint>, u32)> {
    let (params, index, secrets) = resume(client, id, state).await?;
    let (round1, shares, _) = messages(client, id).await?;
    check_own_round1(index, &secrets, &round1)?;
    // Dealing again rebuilds this trustee's view of round 1; those shares are not sent.
    let (waiting, _) = Trustee::resume(params, index, &secrets)?.deal(&round1, &mut OsRng)?;
    let (outcome, complaints) = waiting.receive(&shares, &mut OsRng);
    Ok((outcome, complaints, index))
}

/// Step 3: checks the shares dealt to this trustee; publishes a complaint for each bad one.
pub async fn check(client: &Client, id: &str, state: &Path, identity: Option<&ActorKey>) -> Result<String> {
    let (_, complaints, index) = received(client, id, state).await?;
    let (params, manifest) = election(client, id).await?;
    let identity = identity_for(&manifest, index, identity)?;
    let body = api::Complaints {
        accuser: index,
        complaints: complaints.iter().map(ComplaintJson::from_complaint).collect(),
        signature: identity.map(|identity| {
            identity.sign(TAG_COMPLAINTS, &params.manifest_hash, &complaints_message(index, &complaints), &mut OsRng)
        }),
    };
    let count = complaints.len();
    let sent = submit(client, id, "ceremony/complaints", &body, state, "complaints", identity.is_some()).await?;
    Ok(format!("{count} complaint(s); {sent}"))
}

/// Step 4: after the ceremony is finished, derives this trustee's key share into `key`.
pub async fn finish(client: &Client, id: &str, state: &Path, key: &Path) -> Result<TrusteeKey> {
    let (outcome_state, _, _) = received(client, id, state).await?;
    let ceremony: CeremonyJson = serde_json::from_slice(
        &client
            .get_bytes(&format!("/api/elections/{id}/record/ceremony.json"))
            .await
            .context("the ceremony has not been finished")?,
    )?;
    let trustee_key = outcome_state.finish(&ceremony.outcome()?)?;
    save_key(id, &trustee_key, key)?;
    Ok(trustee_key)
}

/// Writes a trustee's key share for election `id` to `path` (readable by the owner only), as
/// [`load_key`] reads it.
pub fn save_key(id: &str, trustee_key: &TrusteeKey, path: &Path) -> Result<()> {
    let file = KeyFile {
        version: 1,
        election: id.into(),
        index: trustee_key.index,
        secret: to_hex(&trustee_key.secret_bytes()),
        public: trustee_key.public.to_hex(),
    };
    write_secret(path, &Zeroizing::new(serde_json::to_vec_pretty(&file)?))
}

/// Reads a key file written by [`finish`].
pub fn load_key(id: &str, key: &Path) -> Result<TrusteeKey> {
    let text = Zeroizing::new(std::fs::read(key).with_context(|| format!("cannot read {}", key.display()))?);
    let file: KeyFile = serde_json::from_slice(&text).context("not a trustee key file")?;
    if file.election != id {
        bail!("{} belongs to election {:?}, not {id:?}", key.display(), file.election);
    }
    let public = Point::from_hex(&file.public)?;
    Ok(TrusteeKey::from_secret(file.index, scalar_from_hex(&file.secret)?, public)?)
}

/// Acknowledges, with the trustee's identity, the election key, its own verification key and
/// the base hash (version 2: voting opens only when every qualified trustee has). It checks
/// first that its key share matches the verification key the ceremony published.
pub async fn acknowledge(client: &Client, id: &str, key: &TrusteeKey, identity: &ActorKey) -> Result<()> {
    let (params, manifest) = election(client, id).await?;
    let identity = identity_for(&manifest, key.index, Some(identity))?
        .context("this election is version 1: nothing to acknowledge")?;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&client.get_bytes(&format!("/api/elections/{id}/record/ceremony.json")).await?)?;
    let outcome = ceremony.outcome()?;
    if outcome.verification_key(key.index) != Some(&key.public) {
        bail!("the ceremony's verification key for trustee {} is not this trustee's key share", key.index);
    }
    let election_json: ElectionJson = serde_json::from_slice(
        &client
            .get_bytes(&format!("/api/elections/{id}/record/election.json"))
            .await
            .context("the credential list is not published yet")?,
    )?;
    let base = hex32(&election_json.base_hash)?;
    let message = acknowledgement_message(key.index, &base, &outcome.key, &key.public);
    let signature = identity.sign(TAG_ACKNOWLEDGEMENT, &params.manifest_hash, &message, &mut OsRng);
    let acknowledgement = api::Acknowledgement { trustee: key.index, signature };
    let _: api::Acknowledged =
        client.post_as(&format!("/api/elections/{id}/acknowledgements"), &acknowledgement, As::Anyone).await?;
    Ok(())
}

/// What a trustee's tool remembers of the one decryption it made for an election, beside its
/// key: the tally it decrypted and what it uploaded (to upload again after a network failure).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecryptedFile {
    version: u32,
    election: String,
    tally_sha256: String,
    partial: TrusteeDecryptionJson,
}

/// Step 5: decrypts the tally partially, with proofs, and uploads it (the proofs authenticate
/// it: no token is needed).
///
/// The trustee's tool is a verifier first. It downloads the record up to the tally — manifest,
/// ceremony, credentials, election hashes, the whole log and its checkpoints — verifies every
/// ballot and checkpoint, recomputes the tally itself and refuses unless the server's tally is
/// exactly that one; it decrypts its own recomputation. A host that swaps a region's tally for
/// one voter's ballot learns nothing. With `once` (a file beside the key), it decrypts one tally
/// per election, ever: asked again about another tally, it refuses.
pub async fn decrypt(
    client: &Client,
    id: &str,
    key: &TrusteeKey,
    identity: Option<&ActorKey>,
    once: Option<&Path>,
    progress: &dyn convene_record::verify::Progress,
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    client.fetch_until_tally(id, dir.path()).await.context("the election has not been tallied")?;
    let (report, tallied) = convene_record::verify::verify_until_tally(dir.path(), progress);
    if !report.ok() {
        let first: Vec<String> = report.failures.iter().take(5).map(|f| f.to_string()).collect();
        bail!(
            "refusing to decrypt: the record up to the tally does not verify ({} failure(s)): {}",
            report.failures.len(),
            first.join("; ")
        );
    }
    let tallied = tallied.context("refusing to decrypt: the record up to the tally could not be checked")?;
    if tallied.published.as_ref() != Some(&tallied.computed) {
        bail!("refusing to decrypt: the server's tally is not the one this tool recomputed from the log");
    }
    if tallied.outcome.verification_key(key.index) != Some(&key.public) {
        bail!("this key is not trustee {}'s key in this election's ceremony", key.index);
    }
    let identity = identity_for(&tallied.manifest, key.index, identity)?;
    let manifest_hash = manifest_hash(&std::fs::read(dir.path().join(convene_record::files::MANIFEST))?);
    let tally = std::fs::read(dir.path().join(convene_record::files::TALLY))?;
    let tally_sha256 = to_hex(&convene_crypto::encoding::hash256("convene/trustee-decrypted v1", &[&tally]));
    let partial = match once {
        Some(marker) if marker.exists() => {
            let file: DecryptedFile = serde_json::from_slice(&std::fs::read(marker)?)
                .with_context(|| format!("{} is not this tool's record of a decryption", marker.display()))?;
            if file.election != id || file.tally_sha256 != tally_sha256 {
                bail!(
                    "refusing to decrypt: this trustee already decrypted a tally of election {:?} ({}), and a \
                     trustee decrypts one tally per election; the server now serves another",
                    file.election,
                    marker.display()
                );
            }
            file.partial
        }
        _ => {
            let partial = convene_record::results::decrypt_as_trustee(
                key,
                &tallied.context.base,
                tallied.log.as_ref(),
                identity.map(|i| (i, &manifest_hash)),
                &tallied.computed,
                &mut OsRng,
            );
            if let Some(marker) = once {
                let file = DecryptedFile { version: 1, election: id.into(), tally_sha256, partial: partial.clone() };
                write_secret(marker, &serde_json::to_vec_pretty(&file)?)?;
            }
            partial
        }
    };
    match client.post(&format!("/api/elections/{id}/decryptions"), &partial, As::Anyone).await {
        Ok(_) => Ok(()),
        // Uploaded before (the same proofs, from `once`): nothing more to do.
        Err(e) if once.is_some() && e.downcast_ref::<HttpError>().is_some_and(|h| h.status == 409) => Ok(()),
        Err(e) => Err(e),
    }
}
