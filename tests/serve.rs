//! `storyline serve` through the real binary on a free loopback port: writes and their answers,
//! the token, reads in the shapes of the CLI, pages with page content escaped, and an
//! acknowledged write surviving kill -9.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .env_remove("STORYLINE_TOKEN")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// One HTTP/1.1 exchange: the status and the body.
fn http(port: u16, method: &str, path: &str, headers: &[&str], body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw[9..12].parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn json(port: u16, method: &str, path: &str, headers: &[&str], body: &str) -> (u16, Value) {
    let (status, text) = http(port, method, path, headers, body);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, v)
}

const FERRY: &str = "The ferry to Olt Island runs again from Monday, the operator said after the storm had passed over the bay and the harbour wall was checked.";

#[test]
fn posted_articles_join_stories_and_read_back_in_the_cli_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let server = start(&db, &[]);
    let p = server.port;
    // JSON lines, as a feed would send them.
    let feed = std::fs::read_to_string("examples/feed.jsonl").unwrap();
    let (status, r) = json(
        p,
        "POST",
        "/api/articles",
        &["Content-Type: application/x-ndjson"],
        &feed,
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["stored"], feed.lines().count());
    // One object, and an array with bad records among good ones: each answered by position.
    let one = serde_json::json!({"url": "https://olt.test/ferry", "title": "Ferry <b>back</b>", "text": FERRY});
    let (status, r) = json(p, "POST", "/api/articles", &[], &one.to_string());
    assert_eq!(status, 200, "{r}");
    let placed = &r["records"][0];
    assert_eq!(placed["record"], 1);
    let (article, story) = (
        placed["article"].as_str().unwrap().to_string(),
        placed["story"].as_str().unwrap().to_string(),
    );
    let mixed = format!("[{one}, 5, {{\"id\": \"no-text\"}}]");
    let (status, r) = json(p, "POST", "/api/articles", &[], &mixed);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["already_stored"], 1);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(
        errors
            .iter()
            .map(|e| e["record"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![2, 3]
    );
    let (status, r) = json(p, "POST", "/api/articles", &[], "[{\"id\": \"x\"}]");
    assert_eq!(status, 422, "{r}");
    let (status, _) = json(p, "POST", "/api/articles", &[], "\"text\"");
    assert_eq!(status, 400);
    // Search: every word, the last also as a word's start; syntax is never an error.
    let (_, found) = json(p, "GET", "/api/stories?q=ferry%20Olt%20Isl", &[], "");
    let found = found["stories"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], story.as_str());
    for odd in ["%22", "AND%20OR", "*", "NEAR(", "%E2%80%9C"] {
        let (status, r) = json(p, "GET", &format!("/api/stories?q={odd}"), &[], "");
        assert_eq!(status, 200, "{odd}: {r}");
    }
    let (_, none) = json(p, "GET", "/api/stories?q=zebra", &[], "");
    assert!(none["stories"].as_array().unwrap().is_empty());
    let (_, recent) = json(p, "GET", "/api/stories?since=2024-10-01", &[], "");
    assert!(recent["stories"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["last_published"].as_str().unwrap_or("") >= "2024-10-01"));
    let (_, page) = http(p, "GET", "/?q=%3Cscript%3E", &[], "");
    assert!(
        page.contains("value=\"&lt;script&gt;\"") && page.contains("No story matches"),
        "{page}"
    );
    // Reads.
    let (_, list) = json(p, "GET", "/api/stories?limit=2", &[], "");
    assert_eq!(list["stories"].as_array().unwrap().len(), 2);
    let (status, s) = json(p, "GET", &format!("/api/stories/{}", &story[..8]), &[], "");
    assert_eq!(status, 200);
    assert_eq!(s["stories"][0]["id"], story.as_str());
    let (status, a) = json(p, "GET", &format!("/api/articles/{article}"), &[], "");
    assert_eq!(status, 200);
    assert_eq!(a["title"], "Ferry <b>back</b>");
    let (status, _) = json(p, "GET", "/api/articles/ffffffffffff", &[], "");
    assert_eq!(status, 404);
    // Pages: the title escaped, links between stories and articles.
    let (status, page) = http(p, "GET", "/", &[], "");
    assert_eq!(status, 200);
    assert!(
        page.contains("Ferry &lt;b&gt;back&lt;/b&gt;") && !page.contains("<b>back"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/stories/{story}\"")));
    let (_, page) = http(p, "GET", &format!("/stories/{story}"), &[], "");
    assert!(
        page.contains(&format!("href=\"/articles/{article}\"")),
        "{page}"
    );
    let (_, page) = http(p, "GET", &format!("/articles/{article}"), &[], "");
    assert!(page.contains("Olt Island") && page.contains("href=\"/\""));
    let (status, m) = http(p, "GET", "/metrics", &[], "");
    assert_eq!(status, 200);
    let value = |name: &str| -> f64 {
        m.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {m}"))
    };
    assert_eq!(
        value("storyline_articles_stored_total"),
        feed.lines().count() as f64 + 1.0
    );
    assert_eq!(value("storyline_records_refused_total"), 3.0);
    // Five writes, one of them refused before its records were read (not a JSON value).
    assert_eq!(value("storyline_write_requests_total"), 4.0);
    assert_eq!(value("storyline_write_seconds_count"), 4.0);
    assert!(value("storyline_store_stories") >= 1.0);
    let (status, page) = http(p, "GET", "/stories/nope", &[], "");
    assert_eq!(status, 404);
    assert!(page.contains("Not found"));
}

#[test]
fn writes_need_the_token_and_an_open_address_needs_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let server = start(&db, &["--token", "s3cret"]);
    let body = serde_json::json!({"id": "t1", "text": FERRY}).to_string();
    let (status, _) = json(server.port, "POST", "/api/articles", &[], &body);
    assert_eq!(status, 401);
    let (status, _) = json(
        server.port,
        "POST",
        "/api/articles",
        &["Authorization: Bearer wrong"],
        &body,
    );
    assert_eq!(status, 401);
    let (status, _) = json(
        server.port,
        "POST",
        "/api/articles",
        &["Authorization: Bearer s3cret"],
        &body,
    );
    assert_eq!(status, 200);
    let (status, _) = http(server.port, "GET", "/api/stories", &[], "");
    assert_eq!(status, 200, "reads need no token");
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["serve", "--addr", "0.0.0.0:0", "--db"])
        .arg(&db)
        .env_remove("STORYLINE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a token"));
}

#[test]
fn an_acknowledged_article_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut server = start(&db, &[]);
    let body = serde_json::json!({"id": "durable", "text": FERRY}).to_string();
    let (status, r) = json(server.port, "POST", "/api/articles", &[], &body);
    assert_eq!(status, 200, "{r}");
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM articles WHERE origin = 'durable'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}
