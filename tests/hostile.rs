//! Hostile input, concurrent stores and the first run, through the real binary: pages shaped to
//! cost unbounded time or memory, bytes that would drive a terminal, one page under several
//! spellings of its path, and the messages a new user meets first.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn storyline() -> Command {
    let mut c = Command::cargo_bin("storyline").unwrap();
    c.env_remove("STORYLINE_DB");
    c
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn ingest_in(cwd: &Path, db: &Path, paths: &[&str]) -> Value {
    json_of(
        &storyline()
            .current_dir(cwd)
            .arg("ingest")
            .args(paths)
            .arg("--db")
            .arg(db)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    )
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

const PAGE: &str = "<html><head><title>Quay report</title></head><body><article><h1>Quay report</h1><p>Engineers inspected the Quay Street sea wall on Thursday and found two new cracks in the old stone, the harbour board said.</p><p>The wall will be closed to walkers until repairs begin next month, officials added.</p></article></body></html>";

#[test]
fn a_page_is_stored_once_however_its_path_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(pages.join("sub")).unwrap();
    std::fs::write(pages.join("a.html"), PAGE).unwrap();
    std::fs::write(
        pages.join("sub").join("b.txt"),
        "Tram drivers in Brantholm will strike on Friday after talks with the city broke down, their union said on Monday evening.\n",
    )
    .unwrap();
    let db = dir.path().join("s.db");
    let first = ingest_in(dir.path(), &db, &["pages"]);
    assert_eq!(first["articles_added"], 2);
    let absolute = pages.display().to_string();
    for spelling in [
        "./pages",
        "pages/",
        "pages/../pages",
        absolute.as_str(),
        "pages/a.html",
        "./pages/sub/b.txt",
    ] {
        let again = ingest_in(dir.path(), &db, &[spelling]);
        assert_eq!(again["articles_added"], 0, "{spelling}: {again}");
    }
    // From another working folder too.
    let again = ingest_in(&pages.join("sub"), &db, &["../a.html", "b.txt"]);
    assert_eq!(again["articles_added"], 0, "{again}");
    assert_eq!(count(&db, "articles"), 2);
}

#[test]
fn an_input_error_is_stored_once_however_often_its_page_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("good.html"), PAGE).unwrap();
    std::fs::write(
        dir.path().join("records.jsonl"),
        "{broken json\n{\"id\": \"r1\", \"text\": \"The ferry to Olt Island runs again from Monday, the operator said after the storm.\"}\n",
    )
    .unwrap();
    let db = dir.path().join("s.db");
    for _ in 0..3 {
        ingest_in(dir.path(), &db, &["."]);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, Option<i64>)> = conn
        .prepare("SELECT origin, line FROM input_errors ORDER BY origin")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
}
