//! The JSON API: articles in (one object, an array, or JSON lines, in the input shape of
//! `analyze`), stories and articles out (in the shapes of `show` and `article --format json`).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{read, Failure, Shared};
use crate::source::Source;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/articles", axum::routing::post(post_articles))
        .route("/api/articles/{id}", get(article))
}

async fn healthz(State(app): State<Shared>) -> Result<Json<Value>, Failure> {
    let (articles, families, stories) = read(&app, |s| s.counts()).await?;
    Ok(Json(
        json!({ "status": "ok", "articles": articles, "families": families, "stories": stories }),
    ))
}

/// A page of a list: `limit` rows (at most [`MAX_LIMIT`]) after `offset`.
#[derive(Debug, Deserialize)]
pub(super) struct Paging {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// Words the stories' titles or texts hold.
    pub q: Option<String>,
    /// Stories whose latest article is from this day on (`YYYY-MM-DD`).
    pub since: Option<String>,
}

pub(super) const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

impl Paging {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
    pub fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }
    /// The store's query for this page, `extra` rows more (to tell whether a next page exists).
    pub fn query(&self, extra: usize) -> crate::store::StoryQuery {
        let nonempty = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        crate::store::StoryQuery {
            limit: self.limit() + extra,
            offset: self.offset(),
            q: nonempty(&self.q),
            since: nonempty(&self.since),
        }
    }
}

async fn stories(
    State(app): State<Shared>,
    Query(paging): Query<Paging>,
) -> Result<Json<Value>, Failure> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let query = paging.query(0);
    let rows = read(&app, move |s| s.find_stories(&query)).await?;
    Ok(Json(
        json!({ "stories": rows, "limit": limit, "offset": offset }),
    ))
}

async fn story(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<crate::report::Report>, Failure> {
    Ok(Json(read(&app, move |s| s.story_report(&id)).await?))
}

async fn article(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<crate::report::ArticleView>, Failure> {
    Ok(Json(read(&app, move |s| s.article_view(&id)).await?))
}

/// Stores the records of the body and answers where each went, with a located error for each
/// record that could not be read (the others are stored all the same). 200 when at least one
/// record is stored (or was already), 422 when none is.
async fn post_articles(
    State(app): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), Failure> {
    if let Some(token) = &app.token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.as_str()) {
            return Err(Failure(
                StatusCode::UNAUTHORIZED,
                "writes need `Authorization: Bearer TOKEN` with the server's token".into(),
            ));
        }
    }
    let started = std::time::Instant::now();
    let lines = as_json_lines(&body)?;
    let app2 = app.clone();
    let (summary, placed) = tokio::task::spawn_blocking(move || {
        let mut store = app2.writer.lock().unwrap_or_else(|e| e.into_inner());
        let reader = Box::new(std::io::Cursor::new(lines.bytes));
        let source = Source::from_reader(REQUEST, reader, app2.options.limits);
        let summary = crate::pipeline::ingest_source(&mut store, source, app2.options, &|_| {})?;
        let placed: Vec<_> = lines
            .origins
            .iter()
            .map(|o| store.placed(o))
            .collect::<Result<_, _>>()?;
        Ok::<_, crate::store::StoreError>((summary, placed))
    })
    .await
    .map_err(|e| Failure(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    let errors: Vec<Value> = summary
        .errors
        .iter()
        .map(|e| json!({ "record": e.line, "message": e.message, "origin": e.origin }))
        .collect();
    let records: Vec<Value> = placed
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = p.as_ref()?;
            Some(json!({
                "record": i + 1,
                "article": p.article,
                "family": p.family,
                "relation": p.relation,
                "story": p.story,
            }))
        })
        .collect();
    app.metrics.write(
        summary.articles_added,
        summary.duplicates,
        summary.errors.len(),
        started.elapsed(),
    );
    let status = if records.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "stored": summary.articles_added,
            "already_stored": summary.duplicates,
            "records": records,
            "errors": errors,
        })),
    ))
}

/// The name a request's records go by when they carry neither `url` nor `id`.
const REQUEST: &str = "request.jsonl";

/// A body as JSON lines, with the origin each line's article will have.
struct Lines {
    bytes: Vec<u8>,
    origins: Vec<String>,
}

/// One object or an array of objects becomes one line each; anything else is read as JSON
/// lines already (a line that is not an object gets its located error from the reader).
fn as_json_lines(body: &[u8]) -> Result<Lines, Failure> {
    let records: Vec<Value> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(v @ Value::Object(_)) => vec![v],
        Ok(_) => {
            return Err(Failure(
                StatusCode::BAD_REQUEST,
                "expected a JSON object, an array of objects, or JSON lines".into(),
            ))
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let records: Vec<Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
                .collect();
            return Ok(Lines {
                origins: origins(&records),
                bytes: body.to_vec(),
            });
        }
    };
    let mut bytes = Vec::new();
    for r in &records {
        // Serialising a parsed value cannot fail.
        bytes.extend(serde_json::to_vec(r).unwrap_or_default());
        bytes.push(b'\n');
    }
    Ok(Lines {
        origins: origins(&records),
        bytes,
    })
}

/// The origin the source gives each record, by its line.
fn origins(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| crate::source::json_record_origin(r, REQUEST, i as u64 + 1))
        .collect()
}
