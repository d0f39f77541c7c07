//! Public reads and operations: the elections, their records and logs, receipts, consistency proofs, tiles, metrics.

use super::*;

/// The metrics, for a monitoring system that holds the metrics token (or the supervisor's).
pub(crate) async fn metrics(State(state): St, headers: HeaderMap) -> AppResult<impl IntoResponse> {
    let metrics_token = state.config.metrics_token.as_deref().map(str::as_bytes);
    let given = crate::bearer(&headers).map(str::as_bytes);
    if !given.is_some_and(|t| metrics_token.is_some_and(|m| crate::constant_time_eq(t, m))) {
        state.require_admin(&headers)?;
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(state.store.backend())))
}

pub(crate) async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../../../../docs/openapi.json"))
}

pub(crate) async fn list(State(state): St) -> AppResult<Json<api::ElectionList>> {
    let rows = state.store.elections().await?;
    let elections = rows
        .iter()
        .filter(|r| r.kind == "referendum")
        .map(|r| {
            let title = Manifest::parse(&r.manifest).map(|m| m.title).unwrap_or_default();
            api::Listed { id: r.id.clone(), phase: r.phase.clone(), title }
        })
        .collect();
    Ok(Json(api::ElectionList { elections }))
}

pub(crate) async fn show(State(state): St, Path(id): Path<String>) -> AppResult<Json<api::ElectionShown>> {
    let row = referendum_row(&state, &id).await?;
    let (phase, manifest) = (row.phase, Manifest::parse(&row.manifest).map_err(AppError::internal)?);
    let election: Option<ElectionJson> =
        state.store.document(&id, files::ELECTION).await.ok().and_then(|b| serde_json::from_slice(&b).ok());
    let log_size = state.store.log_size(&id).await?;
    let scheduled = state.store.document(&id, api::SCHEDULED).await.ok().and_then(|b| serde_json::from_slice(&b).ok());
    Ok(Json(api::ElectionShown { base_hash: election.map(|e| e.base_hash), id, log_size, manifest, phase, scheduled }))
}

/// The record's documents, by file name, exactly as `convene verify` reads them.
pub(crate) async fn record_file(State(state): St, Path((id, file)): Path<(String, String)>) -> AppResult<Response> {
    let row = state.store.election(&id).await?;
    let bytes = match file.as_str() {
        files::MANIFEST => row.manifest,
        files::CEREMONY
        | files::CREDENTIALS
        | files::ELECTION
        | files::TALLY
        | files::DECRYPTION
        | files::RESULTS
        | files::AUTHORITY
        | files::REGISTRAR
        | files::ACKNOWLEDGEMENTS
        | convene_record::timeline::TIMELINE => state.store.document(&id, &file).await?,
        // A referendum a convention created carries the text it ratifies.
        files::CONSTITUTION_MD => {
            let bytes = state.store.document(&id, &file).await?;
            return Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], bytes).into_response());
        }
        files::CHECKPOINTS => {
            let version = Manifest::parse(&row.manifest).map_err(AppError::internal)?.version;
            checkpoints_bytes(&state, &id, version).await?
        }
        files::LOG => return Ok(log_stream(&state, &id)),
        // Its official translations: only the files its manifest names.
        other
            if files::constitution_files(&Manifest::parse(&row.manifest).map_err(AppError::internal)?)
                .iter()
                .any(|f| f == other) =>
        {
            let bytes = state.store.document(&id, other).await?;
            return Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], bytes).into_response());
        }
        other => {
            return Err(AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{other:?} is not a record file; the files are {}", files::record_files_v1().join(", ")),
            ))
        }
    };
    let content_type = if file.ends_with(".jsonl") { "application/x-ndjson" } else { "application/json" };
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// `checkpoints.json` of a referendum's or a convention's log: the signed checkpoints the log
/// covers, with consistency proofs between them.
pub(crate) async fn checkpoints_bytes(state: &AppState, id: &str, version: u32) -> AppResult<Vec<u8>> {
    let store = state.store.as_ref();
    let mut tree = crate::witnessing::TreeState { tree: MerkleTree::default(), latest: None };
    let size = store.log_size(id).await?;
    tree.catch_up(store, id, size).await?;
    let checkpoints = store
        .checkpoints(id)
        .await?
        .iter()
        .map(|(_, b)| serde_json::from_slice(b))
        .collect::<Result<Vec<CheckpointJson>, _>>()
        .map_err(AppError::internal)?;
    let checkpoints: Vec<CheckpointJson> = checkpoints.into_iter().filter(|c| c.size <= tree.tree.len()).collect();
    serde_json::to_vec_pretty(&checkpoints_document(version, checkpoints, &tree.tree)).map_err(AppError::internal)
}

/// `log.jsonl`, streamed page by page: memory stays flat however long the log.
pub(crate) fn log_stream(state: &AppState, id: &str) -> Response {
    let store = state.store.clone();
    let id = id.to_string();
    let stream = futures_util::stream::unfold(Some(0u64), move |from| {
        let store = store.clone();
        let id = id.clone();
        async move {
            let from = from?;
            match store.entries(&id, from, 2000).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = rows.last().map(|r| r.index + 1);
                    let mut chunk = Vec::new();
                    for row in rows {
                        chunk.extend_from_slice(&row.line);
                        chunk.push(b'\n');
                    }
                    Some((Ok::<_, std::io::Error>(chunk), next))
                }
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    ([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(stream)).into_response()
}

/// A demonstration referendum's public voter sheets (code and credential key): anyone may vote
/// in it at once from the booth. Only `convene serve --demo` sets them; a real election has none.
pub(super) const DEMO: &str = "demo.json";

pub(crate) async fn set_demo_voters(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Vec<api::DemoVoter>>,
) -> AppResult<StatusCode> {
    supervised(&state, &headers, &id, &[Phase::Open]).await?;
    state.store.put_document(&id, DEMO, &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

pub(crate) async fn demo_voters(State(state): St, Path(id): Path<String>) -> AppResult<Response> {
    referendum_row(&state, &id).await?;
    let bytes = state.store.document(&id, DEMO).await.map_err(|_| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", format!("{id} is not a demonstration referendum"))
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

#[derive(Deserialize)]
pub(crate) struct Page {
    from: Option<u64>,
    limit: Option<u64>,
}

pub(crate) async fn log_page(
    State(state): St,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    state.store.election(&id).await?;
    let from = page.from.unwrap_or(0);
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    let rows = state.store.entries(&id, from, limit).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let text = std::str::from_utf8(&row.line).map_err(AppError::internal)?;
        let entry: &RawValue = serde_json::from_str(text).map_err(AppError::internal)?;
        entries.push(api::LogItem { entry, index: row.index, tracking_code: to_hex(&row.leaf) });
    }
    let next = rows.last().map(|r| r.index + 1);
    let size = state.store.log_size(&id).await?;
    Ok(Json(api::LogPage { entries, next, size }).into_response())
}

pub(crate) async fn receipt(
    State(state): St,
    Path((id, index)): Path<(String, u64)>,
) -> AppResult<Json<convene_record::writer::Receipt>> {
    let live = state.live_current(&id).await?;
    let tree = live.tree.lock().await;
    let receipt = tree.receipt(index).ok_or_else(|| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no log entry {index} under a checkpoint yet"))
    })?;
    Ok(Json(receipt))
}

/// The latest witnessed checkpoint, as a signed note (record format 4).
pub(crate) async fn tiles_checkpoint(State(state): St, Path(id): Path<String>) -> AppResult<Response> {
    let live = state.live_current(&id).await?;
    let note = live.tree.lock().await.latest.as_ref().and_then(|c| c.note.clone()).ok_or_else(|| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", "no signed-note checkpoint yet (record format 4 has them)")
    })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], note)
        .into_response())
}

/// A tile of the log's tree, or an entry bundle (each entry's exact bytes), within the latest
/// checkpoint.
pub(crate) async fn tile(State(state): St, Path((id, path)): Path<(String, String)>) -> AppResult<Response> {
    use convene_record::tiles::{bundle, parse_tile_path, tile_bytes, TILE_WIDTH};
    let not_found = || AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no tile {path}"));
    let (level, n, width) = parse_tile_path(&path).ok_or_else(not_found)?;
    let live = state.live_current(&id).await?;
    let bytes = match level {
        Some(level) => {
            let tree = live.tree.lock().await;
            let size = tree.latest.as_ref().map_or(0, |c| c.size);
            let span = TILE_WIDTH.checked_pow(level as u32 + 1).ok_or_else(not_found)?;
            // Within the latest checkpoint: full tiles below it, the partial one at it.
            let fits = (n + 1) * span <= size
                || (width < TILE_WIDTH && n == size / span && (size % span) / (span / TILE_WIDTH) == width);
            fits.then(|| tile_bytes(&tree.tree, level, n, width)).flatten().ok_or_else(not_found)?
        }
        None => {
            let size = live.tree.lock().await.latest.as_ref().map_or(0, |c| c.size);
            let start = n * TILE_WIDTH;
            if start + width > size || (width < TILE_WIDTH && start + width != size) {
                return Err(not_found());
            }
            let rows = state.store.entries(&id, start, width).await?;
            let entries = rows
                .iter()
                .map(|row| LogEntry::parse(&row.line).map(|e| e.entry_bytes(&live.context.base)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(AppError::internal)?;
            bundle(&entries).map_err(AppError::internal)?
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

#[derive(Deserialize)]
pub(crate) struct Sizes {
    from: u64,
    to: u64,
}

/// A consistency proof between two sizes of the log (RFC 9162 §2.1.4), for a voter's tool that
/// compares a kept receipt's checkpoint with a later one (protocol note §13.4).
pub(crate) async fn consistency(
    State(state): St,
    Path(id): Path<String>,
    Query(sizes): Query<Sizes>,
) -> AppResult<Json<api::Consistency>> {
    let live = state.live_current(&id).await?;
    let tree = live.tree.lock().await;
    let proof = (sizes.from <= sizes.to)
        .then(|| tree.tree.consistency_proof(sizes.from, sizes.to))
        .flatten()
        .ok_or_else(|| {
            AppError::bad_request(
                "bad_sizes",
                format!("give 0 ≤ from ≤ to ≤ {} (the log's size here)", tree.tree.len()),
            )
        })?;
    Ok(Json(api::Consistency { from: sizes.from, proof: proof.iter().map(|h| to_hex(h)).collect(), to: sizes.to }))
}
