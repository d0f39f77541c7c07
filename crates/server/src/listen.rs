//! Serving connections: the accept loop with its limits (a cap on open connections, a deadline
//! for a request's headers, which also closes idle keep-alive connections), and graceful
//! shutdown (stop accepting, let requests in flight finish, within a grace period).

use crate::AppState;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The limits on connections (`Config::connections`).
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// The most connections open at once; a connection beyond it is closed as soon as it is
    /// accepted, so that the process keeps file descriptors for the ones it serves.
    pub max_connections: usize,
    /// How long a client has to send a request's headers, from its connection or from the end
    /// of its previous answer (so an idle connection is closed after this long).
    pub header_timeout: Duration,
    /// How long requests in flight may take to finish once shutdown begins.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// Serves the application on `listener` until `shutdown` completes; then accepts no new
/// connection, lets every request in flight finish (at most `shutdown_grace`), and returns.
pub async fn serve_until(
    state: Arc<AppState>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut limits = state.config.connections.clone();
    // Keep file descriptors for the database, the log and the answers: a cap at or above the
    // process's limit would let connections exhaust them before the cap refuses any.
    if let Some(open_files) = open_files_limit() {
        let room = open_files.saturating_sub(RESERVED_FILES).max(1) as usize;
        if limits.max_connections > room {
            tracing::warn!(
                asked = limits.max_connections,
                open_files,
                used = room,
                "the process may open only {open_files} files: serving at most {room} connections at once"
            );
            limits.max_connections = room;
        }
    }
    let metrics = state.metrics.clone();
    let router = crate::app(state);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(limits.header_timeout);
    let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: the connections being served go on, and
                    // accepting resumes once some close.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            crate::ops::Metrics::inc(&metrics.connections_refused);
            drop(stream);
            continue;
        };
        let service = router.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let (builder, watcher, deadline) = (builder.clone(), graceful.watcher(), limits.header_timeout);
        let mut stopping = stopping_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            // A connection that sends nothing is closed at the header deadline (the protocol
            // detection below would otherwise wait for its first byte for ever), or at once when
            // the server stops.
            let mut first = [0u8; 1];
            tokio::select! {
                read = tokio::time::timeout(deadline, stream.peek(&mut first)) => {
                    if !matches!(read, Ok(Ok(1..))) {
                        return;
                    }
                }
                _ = stopping.changed() => return,
            }
            let connection =
                builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
            if let Err(e) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
        });
    }
    drop(listener);
    let _ = stopping_tx.send(());
    tracing::info!("shutting down: no new connections; finishing the requests in flight");
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(grace = ?limits.shutdown_grace, "requests still in flight at the end of the grace period");
    }
    Ok(())
}

/// File descriptors kept for everything but connections.
const RESERVED_FILES: u64 = 64;

/// The process's soft limit on open files, from `/proc/self/limits` (Linux); `None` elsewhere or
/// if unlimited.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files").split_whitespace().next()?.parse().ok()
}
