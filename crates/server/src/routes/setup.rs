//! Setting an election up: creating it, the authority, the trustees' ceremony, the credentials, opening.

use super::*;

pub(crate) async fn create(
    State(state): St,
    headers: HeaderMap,
    body: JsonBody<api::NewElection>,
) -> AppResult<(StatusCode, Json<api::ElectionCreated>)> {
    state.require_admin(&headers)?;
    let manifest = create_referendum(&state, body.value, None, Vec::new()).await?;
    let id = manifest.election_id.clone();
    Ok((StatusCode::CREATED, Json(api::ElectionCreated { id, phase: Phase::Draft.as_str().into(), manifest })))
}

/// Creates a referendum in phase `draft` with its secrets and any first `documents`; the
/// supervisor's endpoint and the convention's hand-off both come here.
pub(crate) async fn create_referendum(
    state: &AppState,
    new: api::NewElection,
    origin: Option<Origin>,
    mut documents: Vec<(String, Vec<u8>)>,
) -> AppResult<Manifest> {
    if !convene_record::convention::valid_id(&new.election_id) {
        return Err(AppError::bad_request("bad_id", "election_id must be 1 to 64 characters of a-z, 0-9 and -"));
    }
    // Named actors make a record of the current version; without them, version 1 (which cannot
    // show who acted, and says so when verified). A hand-off gives the version it derives.
    let named = new.authority.is_some() || new.registrar.is_some() || !new.trustees.members.is_empty();
    let version = new.version.unwrap_or(if named { RECORD_VERSION } else { 1 });
    if version < WITNESSED_VERSION && !new.witnesses.is_empty() {
        return Err(AppError::bad_request(
            "bad_manifest",
            "witnesses need a record of format version 4: name the authority, the registrar and the trustees",
        ));
    }
    let (schnorr_secret, session_key) = new_secrets();
    let (log_key, log_secret) = if version >= WITNESSED_VERSION {
        let (signer, seed) = LogSigner::generate_note(&default_origin(&new.election_id), &mut rand_core::OsRng)
            .map_err(|e| AppError::bad_request("bad_id", e))?;
        (signer.public_key(), seed)
    } else {
        let public = convene_crypto::Point::from(convene_crypto::RistrettoPoint::mul_base(&schnorr_secret));
        (public.to_hex(), schnorr_secret.to_bytes())
    };
    let manifest = Manifest {
        version,
        election_id: new.election_id.clone(),
        title: new.title,
        questions: new.questions,
        regions: new.regions,
        trustees: new.trustees,
        log_key,
        ratification: new.ratification,
        min_region_ballots: new.min_region_ballots,
        origin,
        authority: new.authority,
        registrar: new.registrar,
        code_issuer: new.code_issuer,
        max_weight: new.max_weight,
        max_ballots_per_credential: new.max_ballots_per_credential,
        credential_kdf: new.credential_kdf,
        translations: new.translations,
        witnesses: new.witnesses,
        witness_quorum: new.witness_quorum,
        booth_assets: if version >= WITNESSED_VERSION { crate::pages::asset_hashes() } else { Default::default() },
        booth_origins: new.booth_origins,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    bytes.push(b'\n');
    Manifest::parse(&bytes).map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    CeremonyParams { manifest_hash: [0; 32], n: manifest.trustees.n, t: manifest.trustees.t }
        .check()
        .map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    documents.push(state.sealed(&manifest.election_id, LOG_KEY, &log_secret));
    documents.push(state.sealed(&manifest.election_id, SESSION_KEY, &session_key));
    state.store.create_election(&manifest.election_id, "referendum", &bytes, Phase::Draft.as_str(), &documents).await?;
    tracing::info!(election = %manifest.election_id, "election created");
    Ok(manifest)
}

pub(super) fn trustee_name(kind: &str, trustee: u32) -> String {
    format!("{kind}/{trustee:03}")
}

/// The ceremony's public messages so far, in the shape of `ceremony.json` (outcome pending).
pub(crate) async fn ceremony_messages(State(state): St, Path(id): Path<String>) -> AppResult<Json<CeremonyJson>> {
    state.store.election(&id).await?;
    Ok(Json(gather_ceremony(&state, &id).await?))
}

pub(crate) async fn round1(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Round1Json>,
) -> AppResult<StatusCode> {
    let message = body.value;
    let json = CeremonyJson {
        version: 1,
        round1: vec![message.clone()],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
        signed_shares: vec![],
        signed_complaints: vec![],
    };
    let (decoded, _, _) = json.decode_messages().map_err(|e| AppError::bad_request("bad_round1", e.to_string()))?;
    let election = from_trustee(&state, &headers, &id, &[Phase::Draft, Phase::Ceremony], |e| {
        match (e.manifest.trustee_key(message.trustee), &message.signature) {
            (Some(key), Some(s)) => {
                signed_by(TAG_ROUND1, &manifest_hash(&e.manifest_bytes), &key, &round1_message(&decoded[0]), s)
            }
            _ => false,
        }
    })
    .await?;
    if election.manifest.version >= 2 && election.manifest.origin.is_none() {
        authorized(&state, &id).await?;
    }
    let params = election.ceremony_params();
    if message.trustee == 0 || message.trustee > params.n {
        return Err(AppError::bad_request("bad_trustee", format!("trustee must be between 1 and {}", params.n)));
    }
    check_round1(&params, &decoded[0]).map_err(|why| AppError::bad_request("bad_round1", why))?;
    let doc = (trustee_name("round1", message.trustee), body.bytes.to_vec());
    let moved = (election.phase == Phase::Draft).then_some((Phase::Draft, Phase::Ceremony));
    match state.store.commit_step(&id, step(moved, vec![doc.clone()])).await {
        // Another trustee's first message moved the phase meanwhile (the store says so by the
        // phase it now holds, not in words): store ours alone.
        Err(StoreError::Conflict(m)) if moved.is_some() => {
            if state.store.election(&id).await?.phase == Phase::Draft.as_str() {
                return Err(StoreError::Conflict(m).into());
            }
            state.store.commit_step(&id, step(None, vec![doc])).await?
        }
        other => other?,
    }
    Ok(StatusCode::CREATED)
}

pub(crate) async fn shares(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<api::DealtShares>,
) -> AppResult<StatusCode> {
    let dealt = body.value;
    let decoded: Result<Vec<_>, _> = dealt
        .shares
        .iter()
        .map(|s| -> Result<convene_crypto::ceremony::EncryptedShare, convene_record::format::RecordError> {
            Ok(convene_crypto::ceremony::EncryptedShare {
                dealer: s.dealer,
                recipient: s.recipient,
                R: point("share.R", &s.r)?,
                u: scalar("share.u", &s.u)?,
            })
        })
        .collect();
    let decoded = decoded.map_err(|e| AppError::bad_request("bad_shares", e.to_string()))?;
    from_trustee(&state, &headers, &id, &[Phase::Ceremony], |e| {
        match (e.manifest.trustee_key(dealt.dealer), &dealt.signature) {
            (Some(key), Some(s)) => signed_by(
                TAG_SHARES,
                &manifest_hash(&e.manifest_bytes),
                &key,
                &shares_message(dealt.dealer, &decoded),
                s,
            ),
            _ => false,
        }
    })
    .await?;
    let election = election_in(&state, &id, &[Phase::Ceremony]).await?;
    let n = election.manifest.trustees.n;
    let mut recipients = std::collections::BTreeSet::new();
    for s in &dealt.shares {
        let ok = s.dealer == dealt.dealer
            && s.recipient >= 1
            && s.recipient <= n
            && s.recipient != dealt.dealer
            && recipients.insert(s.recipient);
        if !ok {
            return Err(AppError::bad_request(
                "bad_shares",
                "each share must be from the dealer to a distinct other trustee in 1..=n",
            ));
        }
        let r = point("share.R", &s.r)
            .and_then(|r| scalar("share.u", &s.u).map(|_| r))
            .map_err(|e| AppError::bad_request("bad_shares", e.to_string()))?;
        if r.is_identity() {
            return Err(AppError::bad_request(
                "unopenable_share",
                format!("the share for trustee {} has R = identity: it cannot be opened", s.recipient),
            ));
        }
    }
    state.store.put_document(&id, &trustee_name("shares", dealt.dealer), &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

pub(crate) async fn complaints(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<api::Complaints>,
) -> AppResult<StatusCode> {
    let listed = &body.value;
    let decoded: Result<Vec<_>, _> = listed
        .complaints
        .iter()
        .map(|c| -> Result<convene_crypto::ceremony::Complaint, convene_record::format::RecordError> {
            Ok(convene_crypto::ceremony::Complaint {
                dealer: c.dealer,
                accuser: c.accuser,
                S: point("complaint.S", &c.s)?,
                proof: c.proof.decode()?,
            })
        })
        .collect();
    let decoded = decoded.map_err(|e| AppError::bad_request("bad_complaints", e.to_string()))?;
    from_trustee(&state, &headers, &id, &[Phase::Ceremony], |e| {
        match (e.manifest.trustee_key(listed.accuser), &listed.signature) {
            (Some(key), Some(s)) => signed_by(
                TAG_COMPLAINTS,
                &manifest_hash(&e.manifest_bytes),
                &key,
                &complaints_message(listed.accuser, &decoded),
                s,
            ),
            _ => false,
        }
    })
    .await?;
    if body.value.complaints.iter().any(|c| c.accuser != body.value.accuser) {
        return Err(AppError::bad_request("bad_complaints", "every complaint must be the accuser's own"));
    }
    state.store.put_document(&id, &trustee_name("complaints", body.value.accuser), &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

/// The ceremony's messages as they stand, as a `ceremony.json` without its outcome.
pub(crate) async fn gather_ceremony(state: &AppState, id: &str) -> AppResult<CeremonyJson> {
    let version = Manifest::parse(&referendum_row(state, id).await?.manifest).map_err(AppError::internal)?.version;
    let mut doc = CeremonyJson {
        version,
        round1: vec![],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
        signed_shares: vec![],
        signed_complaints: vec![],
    };
    for (_, b) in state.store.documents(id, "round1/").await? {
        doc.round1.push(serde_json::from_slice(&b).map_err(AppError::internal)?);
    }
    for (_, b) in state.store.documents(id, "shares/").await? {
        let dealt: api::DealtShares = serde_json::from_slice(&b).map_err(AppError::internal)?;
        if let Some(signature) = dealt.signature {
            doc.signed_shares.push(SignedByJson { trustee: dealt.dealer, signature });
        }
        doc.shares.extend(dealt.shares);
    }
    for (_, b) in state.store.documents(id, "complaints/").await? {
        let c: api::Complaints = serde_json::from_slice(&b).map_err(AppError::internal)?;
        if let Some(signature) = c.signature {
            doc.signed_complaints.push(SignedByJson { trustee: c.accuser, signature });
        }
        doc.complaints.extend(c.complaints);
    }
    Ok(doc)
}

pub(crate) async fn finish_ceremony(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<api::CeremonyFinished>> {
    let params = supervised(&state, &headers, &id, &[Phase::Ceremony]).await?.ceremony_params();
    let gathered = gather_ceremony(&state, &id).await?;
    let election = election_in(&state, &id, &[Phase::Ceremony]).await?;
    let ((round1, shares, complaints), _) =
        authenticated_messages(&election.manifest, &params.manifest_hash, &gathered).map_err(AppError::internal)?;
    let (outcome, findings) = verify_ceremony(&params, &round1, &shares, &complaints)
        .map_err(|e| AppError::conflict("ceremony_failed", format!("the ceremony cannot complete: {e}")))?;
    // The gathered messages as uploaded (with their authors' signatures), and the outcome.
    let mut doc = gathered;
    doc.outcome = OutcomeJson::from_outcome(&outcome);
    let bytes = serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?;
    state.store.put_document(&id, files::CEREMONY, &bytes).await?;
    tracing::info!(election = %id, qualified = ?outcome.qualified, "key ceremony complete");
    Ok(Json(api::CeremonyFinished {
        election_key: outcome.key.to_hex(),
        qualified: outcome.qualified,
        findings: findings.iter().map(|f| format!("{f:?}")).collect(),
    }))
}

pub(super) fn outcome_of(doc: &CeremonyJson) -> AppResult<CeremonyOutcome> {
    doc.outcome().map_err(AppError::internal)
}

/// Reads a credential upload, authenticated before a byte of it is read (protocol note §9): by
/// the supervisor's token, or by the registrar's signature of its length and SHA-256 in the
/// headers; with a `Content-Length` within the limit; one of a few uploads read at once.
async fn upload_body(
    state: &AppState,
    headers: &HeaderMap,
    manifest_bytes: &[u8],
    manifest: &Manifest,
    body: Body,
) -> AppResult<JsonBody<api::Credentials>> {
    let length =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok()).ok_or_else(|| {
            AppError::new(
                StatusCode::LENGTH_REQUIRED,
                "length_required",
                "say the upload's length (Content-Length) first",
            )
        })?;
    if length > state.config.max_credentials_bytes as u64 {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the upload is larger than the server's limit of {} bytes (its operator raises it with max_credentials_mib)",
                state.config.max_credentials_bytes
            ),
        ));
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = match (header(UPLOAD_SHA256_HEADER), header(UPLOAD_SIGNATURE_HEADER), &manifest.registrar) {
        (Some(sha256), Some(signature), Some(registrar)) => {
            let key = registrar.public().map_err(AppError::internal)?;
            let checked = check_upload_headers(&manifest_hash(manifest_bytes), &key, length, sha256, signature);
            Some(checked.ok_or_else(|| {
                AppError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the upload's headers are not the registrar's signature of its length and SHA-256 (protocol note §9)",
                )
            })?)
        }
        _ => {
            state.require_admin(headers)?;
            None
        }
    };
    let _permit = state
        .uploads
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::busy("other credential uploads are being read; try again in a few seconds", 5))?;
    let bytes = axum::body::to_bytes(body, length as usize)
        .await
        .map_err(|e| AppError::bad_request("unreadable_body", format!("cannot read the upload: {e}")))?;
    if let Some(sha256) = signed {
        if <[u8; 32]>::from(sha2::Sha256::digest(&bytes)) != sha256 {
            return Err(AppError::bad_request(
                "upload_mismatch",
                "the body is not the one the registrar signed (its SHA-256 differs from the header's)",
            ));
        }
    }
    let value = serde_json::from_slice(&bytes).map_err(crate::invalid_json)?;
    Ok(JsonBody { value, bytes })
}

pub(crate) async fn credentials(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> AppResult<Json<api::CredentialsAccepted>> {
    let row = state.store.election(&id).await?;
    require(&row.phase, &[Phase::Ceremony])?;
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    // Version 2 with a registrar: its signature authenticates the list. Otherwise (version 1,
    // or a secret vote's delegates, checked against the convention) the supervisor uploads it.
    let v2 = manifest.registrar.is_some();
    let body = upload_body(&state, &headers, &row.manifest, &manifest, body).await?;
    let ceremony: CeremonyJson = match state.store.document(&id, files::CEREMONY).await {
        Ok(b) => serde_json::from_slice(&b).map_err(AppError::internal)?,
        Err(StoreError::NotFound(_)) => {
            return Err(AppError::conflict("wrong_phase", "finish the key ceremony before publishing credentials"))
        }
        Err(e) => return Err(e.into()),
    };
    let outcome = outcome_of(&ceremony)?;
    let mut lines = String::new();
    let mut seen = std::collections::HashSet::new();
    for (i, c) in body.value.credentials.iter().enumerate() {
        let line = serde_json::to_vec(c).map_err(AppError::internal)?;
        let listed = parse_credential_line(&line, &manifest)
            .map_err(|e| AppError::bad_request("bad_credentials", format!("credential {i}: {e}")))?;
        if !seen.insert(*listed.credential.bytes()) {
            return Err(AppError::bad_request("bad_credentials", format!("credential {i} is listed twice")));
        }
        lines.push_str(&credential_line(&listed.credential, &manifest.regions[listed.region], listed.weight));
    }
    if seen.is_empty() {
        return Err(AppError::bad_request("bad_credentials", "the credential list is empty"));
    }
    // Every count must be within reach of the discrete-log solver (protocol note §7).
    let total_weight: u64 = lines
        .lines()
        .filter_map(|l| parse_credential_line(l.as_bytes(), &manifest).ok())
        .map(|c| c.weight as u64)
        .sum();
    if let Err(e) = convene_record::results::table_bound(&manifest.shapes(), total_weight) {
        return Err(AppError::bad_request(
            "unreachable_count",
            format!("{e}: the credentials' total weight {total_weight} times the most points per option is more than the results can count; lower the weights or the points per option"),
        ));
    }
    if manifest.code_issuer.is_some() && !body.value.codes.is_empty() {
        return Err(AppError::bad_request(
            "codes_from_issuer",
            "this election's sign-in codes are issued by its code issuer (POST …/codes): the registrar's upload carries none",
        ));
    }
    let mut codes = Vec::with_capacity(body.value.codes.len());
    for (i, c) in body.value.codes.iter().enumerate() {
        let bad = |m: &str| AppError::bad_request("bad_codes", format!("code {i}: {m}"));
        let code_hash = hex32(&c.code_hash).map_err(|e| bad(&e.to_string()))?;
        let credential = hex32(&c.credential).map_err(|e| bad(&e.to_string()))?;
        if !seen.contains(&credential) {
            return Err(bad("its credential is not on the list"));
        }
        codes.push((code_hash, credential));
    }
    let mut hasher = credentials_hasher(lines.len() as u64);
    hasher.update(lines.as_bytes());
    let credentials_hash: [u8; 32] = hasher.finalize().into();
    let manifest_hash = manifest_hash(&row.manifest);
    let mut documents = Vec::new();
    if v2 {
        let statement =
            registrar_statement(&manifest, &lines, &credentials_hash, body.value.registrar_signature.clone())
                .map_err(|e| AppError::bad_request("bad_credentials", e))?;
        let key = manifest
            .registrar
            .as_ref()
            .and_then(|r| r.public().ok())
            .ok_or_else(|| AppError::internal("v2 without registrar"))?;
        let message = statement.message().map_err(AppError::internal)?;
        if !signed_by(TAG_REGISTRAR, &manifest_hash, &key, &message, &statement.signature) {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "bad_signature",
                format!(
                    "the registrar's signature does not sign this list ({} credentials, weight {}, hash {}): the \
                     registrar signs exactly the list it issued (protocol note §9)",
                    statement.credentials, statement.weight, statement.credentials_hash
                ),
            ));
        }
        documents
            .push((files::REGISTRAR.to_string(), serde_json::to_vec_pretty(&statement).map_err(AppError::internal)?));
    }
    let base = base_hash(&manifest_hash, &credentials_hash, &manifest, &outcome);
    let election = ElectionJson {
        version: manifest.version,
        manifest_hash: to_hex(&manifest_hash),
        credentials_hash: to_hex(&credentials_hash),
        base_hash: to_hex(&base),
    };
    let election_bytes = serde_json::to_vec_pretty(&election).map_err(AppError::internal)?;
    let step = Step {
        phase: Some((Phase::Ceremony.to_string(), Phase::Credentials.to_string())),
        documents: [
            vec![(files::CREDENTIALS.into(), lines.into_bytes()), (files::ELECTION.into(), election_bytes)],
            documents,
        ]
        .concat(),
        codes,
    };
    state.store.commit_step(&id, step).await?;
    tracing::info!(election = %id, credentials = seen.len(), "credentials published");
    Ok(Json(api::CredentialsAccepted { credentials: seen.len() as u64, base_hash: election.base_hash }))
}

pub(crate) async fn open(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<api::Opened>> {
    state.require_admin(&headers)?;
    let election = election_in(&state, &id, &[Phase::Credentials]).await?;
    if election.manifest.code_issuer.is_some() {
        match state.store.document(&id, CODES_ISSUED).await {
            Ok(_) => {}
            Err(StoreError::NotFound(_)) => {
                return Err(AppError::conflict(
                    "no_codes",
                    "the code issuer has not uploaded the sign-in codes yet: convene codes (POST …/codes)",
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut documents = Vec::new();
    if election.manifest.version >= 2 {
        // Every qualified trustee has acknowledged the key, its own share's key and the base hash.
        let ceremony: CeremonyJson =
            serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
        let mut acknowledgements = Vec::new();
        let mut missing = Vec::new();
        for j in &ceremony.outcome.qualified {
            match state.store.document(&id, &trustee_name("acknowledgement", *j)).await {
                Ok(b) => acknowledgements
                    .push(serde_json::from_slice::<AcknowledgementJson>(&b).map_err(AppError::internal)?),
                Err(StoreError::NotFound(_)) => missing.push(*j),
                Err(e) => return Err(e.into()),
            }
        }
        if !missing.is_empty() {
            return Err(AppError::conflict(
                "unacknowledged",
                format!("trustee(s) {missing:?} have not acknowledged the election key: convene trustee acknowledge"),
            ));
        }
        let doc = AcknowledgementsJson { version: election.manifest.version, acknowledgements };
        documents
            .push((files::ACKNOWLEDGEMENTS.to_string(), serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?));
    }
    state.store.commit_step(&id, step(Some((Phase::Credentials, Phase::Open)), documents)).await.map_err(
        |e| match e {
            StoreError::Conflict(m) => AppError::conflict("wrong_phase", m),
            e => e.into(),
        },
    )?;
    // This process takes sign-ins at once; the others within `Config::phase_fresh`.
    state.live(&id).await?.set_phase(Phase::Open);
    tracing::info!(election = %id, "voting open");
    Ok(Json(api::Opened { phase: Phase::Open.as_str().into() }))
}
