//! Voting: sign-in with a code, casting (checked as the verifier checks it), the receipt under a witnessed checkpoint.

use super::*;

pub(crate) async fn signin(
    State(state): St,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<api::SignIn>,
) -> AppResult<Json<api::Session>> {
    let limited = |message: String, seconds: u32| {
        Metrics::inc(&state.metrics.signins_rate_limited);
        AppError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message).retry_after(seconds)
    };
    let address = crate::limits::client_address(peer.ip(), &headers, &state.config.trusted_proxies);
    if !state.limiter.allow_address(state.store.as_ref(), address).await? {
        return Err(limited("too many sign-in attempts from this address; wait a minute".into(), 60));
    }
    if !state.limiter.allow_election(&id) {
        return Err(limited(
            "the server is taking as many sign-ins for this election as it can; try again in a moment".into(),
            1,
        ));
    }
    let live = open_live(&state, &id).await?;
    let code_hash = voter_code_hash(&id, &body.value.code);
    if let Some(seconds) = state.limiter.code_waits(state.store.as_ref(), &code_hash).await? {
        return Err(limited(
            format!("this code was tried without success several times; wait {seconds} s and check it on your sheet"),
            seconds.min(u32::MAX as u64) as u32,
        ));
    }
    let failed = || state.limiter.code_failed(state.store.as_ref(), &code_hash);
    if let Some(claimed) = &body.value.credential {
        let claimed =
            hex32(claimed).map_err(|e| AppError::bad_request("bad_credential", format!("credential: {e}")))?;
        if state.store.code_credential(&id, &code_hash).await?.is_some_and(|c| c != claimed) {
            Metrics::inc(&state.metrics.signins_rejected);
            failed().await?;
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "wrong_key",
                "this code is not for the credential key given; check the key on your sheet (the code is not spent)",
            ));
        }
    }
    let credential = match state.store.spend_code(&id, &code_hash).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => {
            Metrics::inc(&state.metrics.signins_rejected);
            failed().await?;
            return Err(AppError::new(
                StatusCode::UNAUTHORIZED,
                "unknown_code",
                "this voter code is not known; check it on your sheet",
            ));
        }
        Err(StoreError::Conflict(_)) => {
            Metrics::inc(&state.metrics.signins_rejected);
            failed().await?;
            return Err(AppError::conflict(
                "spent_code",
                "this voter code has already been used; use another code from your sheet",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let expires = now() + state.config.session_seconds;
    Metrics::inc(&state.metrics.signins);
    // The voter's region, so that the booth need not download the whole credential list.
    let region = live.electorate.voter(&credential).map(|v| live.electorate.regions()[v.region as usize].clone());
    Ok(Json(api::Session {
        credential: to_hex(&credential),
        expires,
        region,
        session: live.session_token(&id, &credential, expires),
    }))
}

/// The election's live state, if it is taking ballots. The phase is the one read at most
/// `Config::phase_fresh` ago, not read (and the manifest parsed) for every sign-in and ballot,
/// which cost a third of the server's time (BENCHMARKS.md, 2026-12-03). The append checks it
/// again under the log's write lock, so a ballot never lands outside voting.
async fn open_live(state: &AppState, id: &str) -> AppResult<std::sync::Arc<crate::live::Live>> {
    let live = match state.live(id).await {
        Ok(live) => live,
        // Not a referendum, or not yet open: the phase check says which.
        Err(e) => {
            election_in(state, id, &[Phase::Open]).await?;
            return Err(e);
        }
    };
    let phase = live.phase(state.store.as_ref(), state.config.phase_fresh).await?;
    if phase != Phase::Open {
        return Err(wrong_phase(phase.as_str(), Phase::Open.as_str()));
    }
    Ok(live)
}

/// The door's answer to a ballot that fails the record's checks: the first refusal decides the
/// status and code, and the message lists them all.
use crate::error::{refusal_code, refusal_status};

pub(super) fn refused(state: &AppState, refusals: &[Refusal]) -> AppError {
    let code = refusals.first().map_or("bad_ballot", refusal_code);
    let all: Vec<String> = refusals.iter().map(|r| r.to_string()).collect();
    let message = match all.as_slice() {
        [one] => one.clone(),
        _ => format!("{} (all failures: {})", all[0], all.join("; ")),
    };
    reject(state, refusal_status(code), code, message)
}

pub(super) fn reject(state: &AppState, status: StatusCode, code: &'static str, message: String) -> AppError {
    Metrics::inc(&state.metrics.ballots_rejected);
    AppError::new(status, code, message)
}

pub(crate) async fn cast(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Box<RawValue>>,
) -> AppResult<Json<convene_record::writer::Receipt>> {
    let started = Instant::now();
    let live = open_live(&state, &id).await?;
    let token = crate::bearer(&headers).ok_or_else(|| {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "bad_session",
            "casting needs the session from sign-in: Authorization: Bearer SESSION",
        )
    })?;
    let credential = live.check_session(&id, token, now())?;
    if !live.spend_session(token, state.config.max_ballots_per_session) {
        return Err(reject(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "session_cap",
            format!(
                "this sign-in has sent {} ballots (accepted or not), the most one sign-in may; sign in again with another code",
                state.config.max_ballots_per_session
            ),
        ));
    }
    let entry = LogEntry::parse(body.bytes.as_ref())
        .map_err(|e| reject(&state, StatusCode::BAD_REQUEST, "bad_ballot", e.to_string()))?;
    let ballot = entry.ballot();
    // A version-3 challenged ballot is signed by its one-time key, and names no credential: any
    // signed-in voter may post one (within the session's cap), and the store keeps that key, not
    // the session's credential, beside it.
    let anonymous = admission::one_time_keys(live.version) && matches!(entry, LogEntry::Spoiled(..));
    if !anonymous && *ballot.credential.bytes() != credential {
        return Err(reject(
            &state,
            StatusCode::FORBIDDEN,
            "not_your_credential",
            "the ballot is signed with another voter's credential".into(),
        ));
    }
    let credential = *ballot.credential.bytes();
    // The verifier's own list of checks (`convene_record::admission`), in the same order.
    let voter = admission::check_entry(&live.context, &live.electorate, live.version, &entry)
        .map_err(|refusals| refused(&state, &refusals))?;
    let leaf = leaf_hash(&entry.entry_bytes(&live.context.base));
    let line = entry.to_json_line().into_bytes();
    let spoiled = matches!(entry, LogEntry::Spoiled(..));
    let index = match live.append(voter, entry, NewEntry { leaf, credential, line }).await {
        Ok(index) => index,
        Err(StoreError::Uncovered { index, why }) => {
            // In the log all the same, never withdrawn; its receipt comes later.
            return Err(AppError::not_yet_witnessed(index, Some(&to_hex(&leaf)), &why));
        }
        // The order-dependent checks, against every entry before it in the log.
        Err(StoreError::Refused { code, message }) => return Err(reject(&state, refusal_status(code), code, message)),
        // Voting closed on another process since this one last read the phase.
        Err(e @ StoreError::Conflict(_)) => {
            election_in(&state, &id, &[Phase::Open]).await?;
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    if let Err(StoreError::Uncovered { index, why }) =
        live.checkpoints.covering(index, state.config.witness_timeout).await
    {
        return Err(AppError::not_yet_witnessed(index, Some(&to_hex(&leaf)), &why));
    }
    let receipt = live
        .tree
        .lock()
        .await
        .receipt(index)
        .ok_or_else(|| AppError::internal("no checkpoint covers a committed ballot"))?;
    match spoiled {
        false => Metrics::inc(&state.metrics.ballots_accepted),
        true => Metrics::inc(&state.metrics.spoiled_accepted),
    }
    state.metrics.cast_seconds.record(started.elapsed().as_secs_f64());
    Ok(Json(receipt))
}
