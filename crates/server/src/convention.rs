//! The convention over HTTP (`docs/convention.md`). Every write is a signed event posted to
//! `/api/conventions/{id}/events`: the server checks it with the record crate's state machine —
//! the very code `convene verify` replays — appends it at the exact index it was checked
//! against, signs a checkpoint, and tells every listener by server-sent events. The server holds
//! no delegate's key, so it can refuse an event but never forge one.
//!
//! The `ratify` event hands the constitution to a new referendum (and every adopted milestone to
//! a scheduled regional one); if the server stops between the event and the hand-off, loading
//! the convention again completes it.

use crate::api;
use crate::api::NewElection;
use crate::error::{AppError, AppResult};
use crate::live::{log_secret, new_secrets, LOG_KEY};
use crate::routes::{checkpoints_bytes, create_referendum, log_stream};
use crate::witnessing::Checkpointer;
use crate::{AppState, JsonBody, RawBody};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use convene_crypto::encoding::hex32;
use convene_record::checkpoint::{default_origin, LogSigner};
use convene_record::convention::{
    files, secret_tally, Applied, Charter, ConventionState, Event, EventError, CONFERENCE_VERSION, CONVENTION_VERSION,
    WITNESSED_CONVENTION_VERSION,
};
use convene_record::format::{CheckpointJson, Manifest, ResultsJson};
use convene_record::hand_off::called_referendums;
use convene_record::log::MerkleTree;
use convene_store::Notice;
use convene_store::{NewEntry, Phase, StoreError};
use rand_core::OsRng;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::{broadcast, Mutex};

pub const KIND: &str = "convention";
/// The phase in which a convention takes events, and the one after its hand-off.
const SITTING: &str = "sitting";
const RATIFIED: &str = "ratified";

/// A convention's state in memory: the replayed log and its tree, rebuilt from the store.
pub struct ConventionLive {
    inner: Mutex<(ConventionState, MerkleTree)>,
    /// The charter's log key and (version 3) its witnesses.
    checkpointer: Arc<Checkpointer>,
}

impl ConventionLive {
    /// A checkpoint of `tree`, signed and (version 3) cosigned by the witnesses' quorum.
    async fn checkpoint(&self, tree: &MerkleTree) -> Result<convene_record::format::CheckpointJson, String> {
        let state = crate::witnessing::TreeState { tree: tree.clone(), latest: None };
        self.checkpointer.checkpoint(&Arc::new(Mutex::new(state))).await
    }

    async fn load(state: &AppState, id: &str) -> AppResult<ConventionLive> {
        let row = state.store.election(id).await?;
        if row.kind != KIND {
            return Err(AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no convention {id:?}")));
        }
        let convention = ConventionState::new(&row.manifest).map_err(AppError::internal)?;
        let charter = &convention.charter();
        let secret = log_secret(state, id).await?;
        let signer = if charter.version >= WITNESSED_CONVENTION_VERSION {
            LogSigner::note(&charter.log_key, &secret)
        } else {
            LogSigner::schnorr(convention.charter_hash(), &secret)
        }
        .map_err(AppError::internal)?;
        let checkpointer = Checkpointer::for_log(
            signer,
            charter.log_verifier(convention.charter_hash()),
            &charter.witnesses,
            state.config.witness_timeout,
            state.metrics.clone(),
        )
        .map_err(AppError::internal)?;
        let live = ConventionLive {
            inner: Mutex::new((convention, MerkleTree::default())),
            checkpointer: Arc::new(checkpointer),
        };
        {
            let mut guard = live.inner.lock().await;
            catch_up(state, id, &mut guard).await?;
            // A stop between an entry's commit and its checkpoint leaves the log's end uncovered:
            // sign that checkpoint now. Then finish any hand-off the stop interrupted.
            let covered = state.store.last_checkpoint(id).await?.map_or(0, |(size, _)| size);
            if covered < guard.1.len() {
                match live.checkpoint(&guard.1).await {
                    Ok(checkpoint) => {
                        let bytes = serde_json::to_vec(&checkpoint).map_err(AppError::internal)?;
                        state.store.put_checkpoint(id, checkpoint.size, &bytes).await?;
                    }
                    // The witnesses are away: the next event's checkpoint covers the log's end.
                    Err(e) => tracing::warn!(convention = %id, error = %e, "the log's end is not checkpointed yet"),
                }
            }
            hand_off(state, &guard.0).await?;
        }
        Ok(live)
    }
}

/// Applies the entries other processes appended since this one last looked.
async fn catch_up(state: &AppState, id: &str, guard: &mut (ConventionState, MerkleTree)) -> AppResult<()> {
    let size = state.store.log_size(id).await?;
    while guard.0.entries() < size {
        let rows = state.store.entries(id, guard.0.entries(), 1000).await?;
        if rows.is_empty() {
            return Err(AppError::internal(format!("the log of {id} has a gap at {}", guard.0.entries())));
        }
        for row in rows {
            let (leaf, _) = guard.0.apply_line(&row.line).map_err(|e| {
                AppError::internal(format!("stored convention entry {} no longer applies: {e}", row.index))
            })?;
            guard.1.push(leaf);
        }
    }
    Ok(())
}

impl AppState {
    pub(crate) async fn convention(&self, id: &str) -> AppResult<Arc<ConventionLive>> {
        self.conventions.get_or_load(id, || ConventionLive::load(self, id)).await
    }
}

type St = State<Arc<AppState>>;

/// Convention `id`'s state, caught up with its log.
pub(crate) async fn state_of(state: &AppState, id: &str) -> AppResult<ConventionState> {
    let live = state.convention(id).await?;
    let mut guard = live.inner.lock().await;
    catch_up(state, id, &mut guard).await?;
    Ok(guard.0.clone())
}

pub(crate) async fn create(
    State(state): St,
    headers: HeaderMap,
    body: JsonBody<api::NewConvention>,
) -> AppResult<(StatusCode, Json<api::ConventionCreated>)> {
    state.require_admin(&headers)?;
    let new = body.value;
    // Witnesses make the newest charter (version 5: an Ed25519 log key, cosigned checkpoints,
    // conferences, dated milestones); a conference is version 5, witnessed or not.
    let version = match (&new.conference, new.witnesses.is_empty()) {
        (None, true) => CONVENTION_VERSION,
        _ => CONFERENCE_VERSION,
    };
    let (log_key, log_secret) = if version >= WITNESSED_CONVENTION_VERSION {
        let (signer, seed) = LogSigner::generate_note(&default_origin(&new.convention_id), &mut OsRng)
            .map_err(|e| AppError::bad_request("bad_charter", e))?;
        (signer.public_key(), seed)
    } else {
        let (secret, _) = new_secrets();
        (convene_crypto::Point::from(convene_crypto::RistrettoPoint::mul_base(&secret)).to_hex(), secret.to_bytes())
    };
    let charter = Charter {
        version,
        convention_id: new.convention_id,
        title: new.title,
        chair: new.chair,
        secretary: new.secretary,
        speaking_seconds: new.speaking_seconds,
        log_key,
        trustees: new.trustees,
        min_region_ballots: new.min_region_ballots.unwrap_or(convene_record::convention::DEFAULT_MIN_REGION_BALLOTS),
        witnesses: new.witnesses,
        witness_quorum: new.witness_quorum,
        conference: new.conference,
    };
    let mut bytes = serde_json::to_vec_pretty(&charter).map_err(AppError::internal)?;
    bytes.push(b'\n');
    Charter::parse(&bytes).map_err(|e| AppError::bad_request("bad_charter", e.to_string()))?;
    let secrets = vec![state.sealed(&charter.convention_id, LOG_KEY, &log_secret)];
    state.store.create_election(&charter.convention_id, KIND, &bytes, SITTING, &secrets).await?;
    tracing::info!(convention = %charter.convention_id, "convention created");
    Ok((
        StatusCode::CREATED,
        Json(api::ConventionCreated { id: charter.convention_id.clone(), phase: SITTING.into(), charter }),
    ))
}

pub(crate) async fn list(State(state): St) -> AppResult<Json<crate::api::ConventionList>> {
    let rows = state.store.elections().await?;
    let conventions = rows
        .iter()
        .filter(|r| r.kind == KIND)
        .map(|r| {
            let title = Charter::parse(&r.manifest).map(|c| c.title).unwrap_or_default();
            crate::api::Listed { id: r.id.clone(), phase: r.phase.clone(), title }
        })
        .collect();
    Ok(Json(crate::api::ConventionList { conventions }))
}

/// The whole state: localities, apportionment, members, agenda, speakers, motions with their
/// amendments and diffs, votes with their live results, the constitution so far.
pub(crate) async fn show(State(state): St, Path(id): Path<String>) -> AppResult<Json<api::ConventionShown>> {
    let live = state.convention(&id).await?;
    let mut guard = live.inner.lock().await;
    catch_up(&state, &id, &mut guard).await?;
    let mut shown = api::ConventionShown::of(&id, &guard.0, latest_checkpoint(&state, &id).await?);
    // An open vote's result so far, counted under its rule now; a secret vote's once its
    // referendum has published its counts (which the chair then closes it with).
    for vote in shown.votes.iter_mut().filter(|v| v.open) {
        if let Some(secret) = vote.secret.as_mut() {
            if let Some(tally) = published_tally(&state, &secret.referendum).await? {
                secret.tally = tally;
            }
        }
        vote.result = guard.0.count(vote).map_err(AppError::internal)?;
    }
    Ok(Json(shown))
}

/// The latest signed checkpoint (`None` before the first event): what a version-2 signer says
/// it saw (`seen`).
async fn latest_checkpoint(state: &AppState, id: &str) -> AppResult<Option<CheckpointJson>> {
    match state.store.last_checkpoint(id).await? {
        Some((_, bytes)) => Ok(Some(serde_json::from_slice(&bytes).map_err(AppError::internal)?)),
        None => Ok(None),
    }
}

/// `GET /api/conventions/:id/checkpoint`: the latest signed checkpoint alone, for a signer's
/// tool that needs nothing else of the state.
pub(crate) async fn checkpoint(State(state): St, Path(id): Path<String>) -> AppResult<Json<Option<CheckpointJson>>> {
    state.convention(&id).await?;
    Ok(Json(latest_checkpoint(&state, &id).await?))
}

/// The charter's version (the version of the record's documents).
async fn adopted_version(state: &AppState, id: &str) -> AppResult<u32> {
    Ok(state.convention(id).await?.inner.lock().await.0.charter().version)
}

/// The answer to an accepted event: what it did, and its signed receipt (an inclusion proof
/// under the checkpoint just after it, `docs/convention.md` §2.1).
#[derive(serde::Serialize)]
pub(crate) struct Accepted {
    #[serde(flatten)]
    applied: Applied,
    receipt: convene_record::writer::Receipt,
}

/// Accepts one signed entry (one line of JSON, exactly as it goes into the log).
pub(crate) async fn post_event(
    State(state): St,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    let live = state.convention(&id).await?;
    let line = trim_line(&body);
    let mut guard = live.inner.lock().await;
    catch_up(&state, &id, &mut guard).await?;
    referendums_door(&state, &guard.0, line).await?;
    // A refused event changes nothing (the state machine checks everything first), so it is
    // applied in place; if the store then fails, the state is rebuilt from the store.
    let (leaf, applied) = guard.0.apply_line(line).map_err(|e| match e {
        EventError::Malformed(m) => AppError::bad_request("bad_event", m),
        EventError::Refused(r) => AppError::refused(&r),
    })?;
    let signer = hex32(&applied.signer).map_err(AppError::internal)?;
    let entry = NewEntry { leaf, credential: signer, line: line.to_vec() };
    if let Err(e) = state.store.append_at(&id, SITTING, applied.index, &entry).await {
        let charter = state.store.election(&id).await?.manifest;
        *guard = (ConventionState::new(&charter).map_err(AppError::internal)?, MerkleTree::default());
        catch_up(&state, &id, &mut guard).await?;
        return Err(match e {
            StoreError::Conflict(m) => {
                AppError::conflict("log_moved", format!("{m}; fetch the state and send the event again"))
            }
            e => e.into(),
        });
    }
    guard.1.push(leaf);
    let checkpoint = covering_checkpoint(&state, &id, &live, &mut guard)
        .await
        .map_err(|why| AppError::not_yet_witnessed(applied.index, Some(&applied.hash), &why))?;
    let receipt = convene_record::writer::Receipt {
        version: convene_record::writer::RECEIPT_VERSION,
        index: applied.index,
        tracking_code: applied.hash.clone(),
        inclusion: guard
            .1
            .inclusion_proof(applied.index, checkpoint.size)
            .ok_or_else(|| AppError::internal("the new entry is in the tree"))?
            .iter()
            .map(|h| convene_crypto::encoding::to_hex(h))
            .collect(),
        checkpoint,
    };
    if guard.0.ratified().is_some() {
        state.store.advance_phase(&id, SITTING, RATIFIED).await?;
    }
    if matches!(applied.kind, "ratify" | "open_secret_vote") {
        hand_off(&state, &guard.0).await?;
    }
    tracing::info!(convention = %id, index = applied.index, kind = applied.kind, "event accepted");
    // To every process's listeners (PostgreSQL's NOTIFY); one too long for a notice is announced
    // empty, and listeners fetch the state. The event is in the log whatever happens here.
    let data = serde_json::to_string(&applied).map_err(AppError::internal)?;
    let data = if data.len() > convene_store::MAX_NOTICE { String::new() } else { data };
    if let Err(e) = state.store.publish(&id, &data).await {
        tracing::warn!(convention = %id, error = %e, "live listeners were not told of the event");
    }
    Ok((StatusCode::CREATED, Json(Accepted { applied, receipt })))
}

/// A stored checkpoint covering the whole log as this process now knows it: signed here (and
/// witnessed), or on a shared PostgreSQL one that another process stored meanwhile. One
/// process signs at a time (`Store::lock_log`), after reading what the others appended.
async fn covering_checkpoint(
    state: &AppState,
    id: &str,
    live: &ConventionLive,
    guard: &mut (ConventionState, MerkleTree),
) -> Result<convene_record::format::CheckpointJson, String> {
    let store = state.store.as_ref();
    let _signer = match store.shared() {
        true => Some(store.lock_log(id).await.map_err(|e| e.to_string())?),
        false => None,
    };
    if store.shared() {
        catch_up(state, id, guard).await.map_err(|e| e.message)?;
        if let Some((size, bytes)) = store.last_checkpoint(id).await.map_err(|e| e.to_string())? {
            if size == guard.1.len() {
                return serde_json::from_slice(&bytes).map_err(|e| e.to_string());
            }
        }
    }
    let checkpoint = live.checkpoint(&guard.1).await?;
    let bytes = serde_json::to_vec(&checkpoint).map_err(|e| e.to_string())?;
    store.put_checkpoint(id, checkpoint.size, &bytes).await.map_err(|e| e.to_string())?;
    Ok(checkpoint)
}

fn trim_line(body: &[u8]) -> &[u8] {
    let end = body.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(end);
    &body[start..end]
}

/// Live updates: one `applied` event per accepted entry (`{index, kind, signer, summary}`),
/// whichever server process accepted it (PostgreSQL's `LISTEN`/`NOTIFY`), after a first `hello`
/// with the log's size. A listener that falls behind, or whose notices may have been lost, gets
/// `resync` (fetch the state again).
pub(crate) async fn stream(State(state): St, Path(id): Path<String>) -> AppResult<impl IntoResponse> {
    let live = state.convention(&id).await?;
    let receiver = state.store.notices();
    let size = {
        let mut guard = live.inner.lock().await;
        catch_up(&state, &id, &mut guard).await?;
        guard.0.entries()
    };
    let hello = futures_util::stream::once(async move {
        Ok::<_, std::convert::Infallible>(SseEvent::default().event("hello").data(json!({"size": size}).to_string()))
    });
    let resync = || SseEvent::default().event("resync").data("{}");
    let updates = futures_util::stream::unfold(receiver, move |mut receiver| {
        let id = id.clone();
        async move {
            loop {
                let event = match receiver.recv().await {
                    Ok(Notice::Message { topic, payload }) if topic == id => match payload.is_empty() {
                        true => resync(),
                        false => SseEvent::default().event("applied").data(payload),
                    },
                    Ok(Notice::Message { .. }) => continue,
                    Ok(Notice::Lost) | Err(broadcast::error::RecvError::Lagged(_)) => resync(),
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                return Some((Ok(event), receiver));
            }
        }
    });
    Ok(Sse::new(futures_util::StreamExt::chain(hello, updates)).keep_alive(KeepAlive::default()))
}

#[derive(Deserialize)]
pub(crate) struct AnalysisQuery {
    /// The revenue to share, in minor units (default one billion).
    revenue: Option<u64>,
}

/// Negotiating with numbers: what every locality would receive under each revenue-sharing
/// motion (scenarios side by side), and the voting power of the regional delegations under a
/// majority of the seats — computed with `convene-core`, the same code as `convene revenue` and
/// `convene power`.
pub(crate) async fn analysis(
    State(state): St,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<AnalysisQuery>,
) -> AppResult<Json<api::Analysis>> {
    let live = state.convention(&id).await?;
    let mut guard = live.inner.lock().await;
    catch_up(&state, &id, &mut guard).await?;
    Ok(Json(guard.0.analysis(query.revenue.unwrap_or(1_000_000_000))))
}

/// The constitution as adopted so far: `constitution.md`, `constitution.html` or
/// `constitution.json` (a conference's communiqué: also as `communique.md` and
/// `communique.html`); and the record's files (`charter.json`, `log.jsonl`, `checkpoints.json`).
pub(crate) async fn record_file(State(state): St, Path((id, file)): Path<(String, String)>) -> AppResult<Response> {
    let live = state.convention(&id).await?;
    // The constitution as of now, built only for the files that show it.
    let adopted = || async {
        let mut guard = live.inner.lock().await;
        catch_up(&state, &id, &mut guard).await?;
        Ok::<_, AppError>(guard.0.constitution_json())
    };
    let typed =
        |content_type: &'static str, body: Vec<u8>| ([(header::CONTENT_TYPE, content_type)], body).into_response();
    Ok(match file.as_str() {
        "constitution.md" | "constitution.html" | "communique.md" | "communique.html" => {
            let constitution = ConventionState::constitution_of(adopted().await?);
            if file.ends_with(".md") {
                typed("text/markdown; charset=utf-8", constitution.to_markdown().into_bytes())
            } else {
                typed("text/html; charset=utf-8", constitution.to_html().into_bytes())
            }
        }
        files::CONSTITUTION => {
            typed("application/json", serde_json::to_vec_pretty(&adopted().await?).map_err(AppError::internal)?)
        }
        files::CHARTER => typed("application/json", state.store.election(&id).await?.manifest),
        files::CHECKPOINTS => {
            typed("application/json", checkpoints_bytes(&state, &id, adopted_version(&state, &id).await?).await?)
        }
        files::LOG => log_stream(&state, &id),
        other => {
            return Err(AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!(
                    "{other:?} is not a convention file; the files are {}, constitution.md, constitution.html \
                     (a conference's communiqué: communique.md, communique.html)",
                    convention_files().join(", ")
                ),
            ))
        }
    })
}

/// The convention record's files, in the order `convene fetch` downloads them.
pub fn convention_files() -> Vec<&'static str> {
    vec![files::CHARTER, files::LOG, files::CHECKPOINTS, files::CONSTITUTION]
}

/// A secret vote's counts per region, once its referendum has published them.
async fn published_tally(
    state: &AppState,
    referendum: &str,
) -> AppResult<Option<std::collections::BTreeMap<String, [u64; 3]>>> {
    let row = state.store.election(referendum).await?;
    if row.phase != Phase::Published.as_str() {
        return Ok(None);
    }
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    let results: ResultsJson =
        serde_json::from_slice(&state.store.document(referendum, convene_record::files::RESULTS).await?)
            .map_err(AppError::internal)?;
    Ok(secret_tally(&manifest, &results).ok())
}

/// Refuses an event that would create referendum `id` if that id is taken.
async fn absent(state: &AppState, id: &str) -> AppResult<()> {
    match state.store.election(id).await {
        Err(convene_store::StoreError::NotFound(_)) => Ok(()),
        Ok(_) => {
            Err(AppError::conflict("refused", format!("{id} already exists; choose another id for the referendum")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Closing a secret vote: its referendum must be published, its electorate must be the
/// delegates in office, and the counts must be the ones it published. (The verifier makes the
/// same checks on the referendum's record.)
async fn referendums_door(state: &AppState, convention: &ConventionState, line: &[u8]) -> AppResult<()> {
    let refused = |m: String| AppError::conflict("refused", m);
    let Ok(entry) = serde_json::from_slice::<Value>(line) else { return Ok(()) };
    let (vote, tally) = match serde_json::from_value::<Event>(entry["event"].clone()) {
        Ok(Event::CloseSecretVote { vote, tally, .. }) => (vote, tally),
        Ok(Event::OpenSecretVote { referendum, .. }) => return absent(state, &referendum).await,
        Ok(Event::Ratify { referendum, .. }) => {
            // The ratification referendum and every milestone's must be new: an existing one
            // would be kept as it is, with another question, rule or electorate.
            absent(state, &referendum).await?;
            for milestone in convention.milestones() {
                absent(state, &convene_record::hand_off::milestone_referendum(&referendum, milestone.article)).await?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let Ok(v) = convention.vote_named(&vote) else { return Ok(()) };
    let Some(secret) = &v.secret else { return Ok(()) };
    let row = state.store.election(&secret.referendum).await?;
    if row.phase != Phase::Published.as_str() {
        return Err(refused(format!(
            "referendum {} is in phase {}; close the vote once its results are published",
            secret.referendum, row.phase
        )));
    }
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    let credentials = state.store.document(&secret.referendum, convene_record::files::CREDENTIALS).await?;
    convention.check_secret_electorate(v, &manifest, &credentials).map_err(refused)?;
    let results: ResultsJson =
        serde_json::from_slice(&state.store.document(&secret.referendum, convene_record::files::RESULTS).await?)
            .map_err(AppError::internal)?;
    let published = secret_tally(&manifest, &results).map_err(refused)?;
    if published != tally {
        return Err(refused(format!(
            "the counts are not those referendum {} published: {}",
            secret.referendum,
            serde_json::to_string(&published).unwrap_or_default()
        )));
    }
    Ok(())
}

/// Creates every referendum the log calls for, each only once (one that exists is left as it
/// is), exactly as `convene_record::hand_off` derives them — the derivation the verifier checks
/// every manifest field against.
async fn hand_off(state: &AppState, convention: &ConventionState) -> AppResult<()> {
    for called in called_referendums(convention) {
        let id = called.election_id.clone();
        let mut documents = match called.constitution_md {
            Some(text) => vec![(convene_record::files::CONSTITUTION_MD.to_string(), text.into_bytes())],
            None => Vec::new(),
        };
        // Its official translations, whose hashes the derived manifest carries.
        for (tag, text) in called.constitutions {
            documents.push((convene_record::format::constitution_file(&tag), text.into_bytes()));
        }
        let new = NewElection {
            election_id: called.election_id,
            title: called.title,
            questions: called.questions,
            regions: called.regions,
            trustees: called.trustees,
            ratification: called.ratification,
            min_region_ballots: called.min_region_ballots,
            // The convention's log is the authority; version 2 when its events name trustees.
            authority: None,
            registrar: called.registrar,
            code_issuer: called.code_issuer,
            max_weight: called.max_weight,
            max_ballots_per_credential: called.max_ballots_per_credential,
            credential_kdf: called.credential_kdf,
            translations: called.translations,
            witnesses: called.witnesses,
            witness_quorum: called.witness_quorum,
            booth_origins: Vec::new(),
            version: Some(called.version),
        };
        match create_referendum(state, new, Some(called.origin), documents).await {
            Ok(_) => {
                tracing::info!(convention = %convention.charter().convention_id, referendum = %id, "referendum created")
            }
            Err(e) if e.status == StatusCode::CONFLICT => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `POST /api/elections/{id}/timeline`: the convention chair's signed timeline of a published
/// ratification (docs/timeline.md). Anyone may post it: its signature authenticates it. It is
/// checked as `convene verify` checks it — signature, the convention's milestones, ratified
/// verdict, a date no earlier than the first witness's cosignature of the final log, every
/// milestone's date — and then kept in the record, once.
pub(crate) async fn timeline(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<convene_record::timeline::TimelineJson>,
) -> AppResult<(StatusCode, Json<convene_record::timeline::TimelineJson>)> {
    use convene_record::timeline::{first_cosigned_day, TIMELINE};
    let election = crate::routes::election_in(&state, &id, &[convene_store::Phase::Published]).await?;
    let results: ResultsJson =
        serde_json::from_slice(&state.store.document(&id, convene_record::files::RESULTS).await?)
            .map_err(AppError::internal)?;
    let checkpoints = crate::routes::checkpoints_bytes(&state, &id, election.manifest.version).await?;
    let not_before = first_cosigned_day(&checkpoints, &election.manifest);
    let timeline = body.value;
    let bad = |e: String| AppError::bad_request("bad_timeline", e);
    let origin =
        election.manifest.origin.as_ref().ok_or_else(|| bad(format!("{id} was not handed off by a convention")))?;
    let convention = state_of(&state, &origin.convention).await?;
    let hash = convene_record::writer::manifest_hash(&election.manifest_bytes);
    timeline.check(&election.manifest, &hash, &convention, Some(&results), not_before).map_err(bad)?;
    if state.store.document(&id, TIMELINE).await.is_ok() {
        return Err(AppError::conflict("timeline_exists", format!("{id}'s timeline is already published")));
    }
    let bytes = serde_json::to_vec_pretty(&timeline).map_err(AppError::internal)?;
    state.store.commit_step(&id, crate::routes::step(None, vec![(TIMELINE.into(), bytes)])).await?;
    // Each scheduled referendum (a draft the hand-off created) carries its date from now on.
    for m in &timeline.milestones {
        let scheduled = convene_record::hand_off::milestone_referendum(&id, m.article);
        let doc = serde_json::to_vec(&api::Scheduled { date: m.date.clone(), timeline: id.clone() })
            .map_err(AppError::internal)?;
        let step = crate::routes::step(None, vec![(api::SCHEDULED.into(), doc)]);
        if let Err(e) = state.store.commit_step(&scheduled, step).await {
            tracing::warn!(election = %scheduled, error = %e, "the scheduled referendum could not take its date");
        }
    }
    tracing::info!(election = %id, ratified_on = %timeline.ratified_on, "timeline published");
    Ok((StatusCode::CREATED, Json(timeline)))
}
