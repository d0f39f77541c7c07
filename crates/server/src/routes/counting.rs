//! Counting: closing, the trustees' decryptions, publishing the results.

use super::*;

pub(crate) async fn close(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<api::Closed>> {
    let election = supervised(&state, &headers, &id, &[Phase::Open, Phase::Closed]).await?;
    if election.phase == Phase::Open {
        state.store.advance_phase(&id, Phase::Open.as_str(), Phase::Closed.as_str()).await?;
    }
    // Every cast that began while voting was open has committed (or been refused) before the count.
    state.store.drain_appends(&id).await?;
    let live = state.live(&id).await?;
    live.set_phase(Phase::Closed);
    // A final checkpoint covering the whole log (there is one already unless the log is empty).
    {
        let mut tree = live.tree.lock().await;
        let size = state.store.log_size(&id).await?;
        tree.catch_up(state.store.as_ref(), &id, size).await?;
        if tree.latest.as_ref().map(|c| c.size) != Some(tree.tree.len()) {
            drop(tree);
            live.checkpoints.checkpoint_now().await?;
        }
    }
    // The tally: every entry again, the last cast ballot per credential counting.
    let mut tally = TallyAccumulator::new(election.manifest.shapes(), &live.electorate);
    let mut from = 0;
    loop {
        let rows = state.store.entries(&id, from, 5000).await?;
        let Some(last) = rows.last() else { break };
        from = last.index + 1;
        for row in rows {
            if let LogEntry::Cast(ballot) = LogEntry::parse(&row.line).map_err(AppError::internal)? {
                let voter = live.electorate.check(&ballot).map_err(AppError::internal)?;
                tally.count(row.index, voter, &ballot);
            }
        }
    }
    let scopes = tally.scopes(election.manifest.min_region_ballots);
    let mut tally_json = TallyJson::from_scopes(election.manifest.version, &scopes);
    if election.manifest.version >= 2 {
        // The tally names the log it counts: the final checkpoint, which covers every entry.
        let tree = live.tree.lock().await;
        let size = tree.tree.len();
        let root = tree.tree.root(size).ok_or_else(|| AppError::internal("the tree has no root"))?;
        tally_json.log = Some(LogHead { size, root }.to_json());
    }
    let doc = serde_json::to_vec_pretty(&tally_json).map_err(AppError::internal)?;
    state.store.commit_step(&id, step(Some((Phase::Closed, Phase::Tallied)), vec![(files::TALLY.into(), doc)])).await?;
    tracing::info!(election = %id, counted = scopes.last().map(|s| s.1.counted), "closed and tallied");
    Ok(Json(api::Closed {
        phase: Phase::Tallied.as_str().into(),
        counted: scopes.last().map(|s| s.1.counted),
        superseded: tally.superseded(),
    }))
}

pub(crate) async fn published_tally(
    state: &AppState,
    id: &str,
) -> AppResult<Vec<(String, convene_record::tally::ScopeSum)>> {
    let tally: TallyJson =
        serde_json::from_slice(&state.store.document(id, files::TALLY).await?).map_err(AppError::internal)?;
    tally.decode_scopes().map_err(|(_, e)| AppError::internal(e))
}

pub(crate) async fn decryption(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<TrusteeDecryptionJson>,
) -> AppResult<(StatusCode, Json<api::DecryptionAccepted>)> {
    let election = election_in(&state, &id, &[Phase::Tallied]).await?;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
    let outcome = outcome_of(&ceremony)?;
    let j = body.value.trustee;
    let key = outcome.verification_key(j).ok_or_else(|| {
        AppError::bad_request("not_qualified", format!("trustee {j} is not a qualified trustee of this election"))
    })?;
    let live = state.live(&id).await?;
    let scopes = published_tally(&state, &id).await?;
    let tally: TallyJson =
        serde_json::from_slice(&state.store.document(&id, files::TALLY).await?).map_err(AppError::internal)?;
    let log = tally.log.as_ref().map(|l| l.decode()).transpose().map_err(AppError::internal)?;
    if election.manifest.version >= 2 {
        let signed = match (election.manifest.trustee_key(j), &log) {
            (Some(k), Some(log)) => {
                decryption_signed(&manifest_hash(&election.manifest_bytes), &k, &live.context.base, log, &body.value)
            }
            _ => false,
        };
        if !signed {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "bad_signature",
                format!(
                    "not trustee {j}'s signature of these partial decryptions of this tally's log (protocol note §9)"
                ),
            ));
        }
    }
    let (_, failures) = check_trustee_decryption(&live.context.base, log.as_ref(), key, &scopes, &body.value);
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().take(5).map(|f| f.to_string()).collect();
        return Err(AppError::bad_request(
            "bad_decryption",
            format!("{} partial decryption(s) do not verify: {}", failures.len(), listed.join("; ")),
        ));
    }
    state.store.put_document(&id, &trustee_name("decryption", j), &body.bytes).await?;
    Ok((StatusCode::CREATED, Json(api::DecryptionAccepted { trustee: j, accepted: true })))
}

pub(crate) async fn publish(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<ResultsJson>> {
    let election = supervised(&state, &headers, &id, &[Phase::Tallied, Phase::Decrypted]).await?;
    let manifest = &election.manifest;
    let scopes = published_tally(&state, &id).await?;
    if election.phase == Phase::Tallied {
        let mut trustees: Vec<TrusteeDecryptionJson> = Vec::new();
        for (_, b) in state.store.documents(&id, "decryption/").await? {
            trustees.push(serde_json::from_slice(&b).map_err(AppError::internal)?);
        }
        if trustees.len() < manifest.trustees.t as usize {
            return Err(AppError::conflict(
                "too_few_decryptions",
                format!("{} trustee(s) have decrypted; {} are needed", trustees.len(), manifest.trustees.t),
            ));
        }
        let doc = DecryptionJson { version: manifest.version, trustees };
        let bytes = serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?;
        state
            .store
            .commit_step(&id, step(Some((Phase::Tallied, Phase::Decrypted)), vec![(files::DECRYPTION.into(), bytes)]))
            .await?;
    }
    let doc: DecryptionJson =
        serde_json::from_slice(&state.store.document(&id, files::DECRYPTION).await?).map_err(AppError::internal)?;
    let shares = shares_of(&doc, &scopes).map_err(AppError::internal)?;
    let registered = state.live(&id).await?.electorate.registered_by_region();
    let results = decrypt_results(manifest, &scopes, &shares, &registered).map_err(AppError::internal)?;
    let bytes = serde_json::to_vec_pretty(&results).map_err(AppError::internal)?;
    state
        .store
        .commit_step(&id, step(Some((Phase::Decrypted, Phase::Published)), vec![(files::RESULTS.into(), bytes)]))
        .await?;
    tracing::info!(election = %id, "results published");
    Ok(Json(results))
}
