//! `storyline serve`: the store behind HTTP, for a newsroom that feeds articles all day and
//! reads stories in a browser.
//!
//! Input: a store path, an address and an optional bearer token. Output: a JSON API over the
//! store ([`api`]: write articles, read stories and articles) and server-rendered pages
//! ([`pages`]: the story list, a story, an article), on axum and tokio.
//!
//! The store is SQLite in WAL mode: one writer at a time (a mutex around the one writing
//! connection, taken on a blocking thread) and readers that never wait for it (each read opens
//! its own connection). A write is answered only after its transaction committed, so an
//! acknowledged article survives a kill. Writes need the token when one is set, and the server
//! refuses to listen beyond loopback without one.

mod api;
mod metrics;
mod pages;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::store::{Store, StoreError};

/// What `serve` needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Writes need `Authorization: Bearer TOKEN` when set.
    pub token: Option<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    pub options: crate::pipeline::Options,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} without a token: set --token or STORYLINE_TOKEN, or listen on loopback (127.0.0.1)")]
    OpenWithoutToken(SocketAddr),
    #[error("cannot listen on {addr}: {source} (is another server on that port? choose another with --addr)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared by every request.
struct App {
    db: PathBuf,
    token: Option<String>,
    options: crate::pipeline::Options,
    /// The one writing connection: writes queue here, reads do not.
    writer: Mutex<Store>,
    metrics: metrics::Metrics,
}

type Shared = Arc<App>;

/// Runs the server until interrupted (Ctrl-C or SIGTERM). `ready` is called with the address
/// actually bound (port 0 asks for a free one) before the first request is served.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    if config.token.is_none() && !config.addr.ip().is_loopback() {
        return Err(ServeError::OpenWithoutToken(config.addr));
    }
    let store = Store::open(&config.db)?;
    let app = Arc::new(App {
        db: config.db.clone(),
        token: config.token.clone(),
        options: config.options,
        writer: Mutex::new(store),
        metrics: metrics::Metrics::default(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(app, config.max_body_bytes))
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    })
}

fn router(app: Shared, max_body_bytes: usize) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(metrics::routes())
        .layer(axum::extract::DefaultBodyLimit::max(max_body_bytes))
        .with_state(app)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// A failure as an HTTP answer: a status and a JSON body with the message.
#[derive(Debug)]
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.1 });
        (self.0, axum::Json(body)).into_response()
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let status = match e {
            StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
            StoreError::Ambiguous { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure(status, e.to_string())
    }
}

/// Runs store work on a blocking thread with a read connection of its own.
async fn read<T: Send + 'static>(
    app: &Shared,
    work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Failure> {
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || work(&Store::open(&db)?))
        .await
        .map_err(|e| Failure(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(Failure::from)
}
