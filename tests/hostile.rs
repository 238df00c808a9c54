//! Hostile input, concurrent stores and the first run, through the real binary: pages shaped to
//! cost unbounded time or memory, bytes that would drive a terminal, one page under several
//! spellings of its path, and the messages a new user meets first.

use std::path::Path;

mod common;
use common::{json_of, storyline};
use serde_json::Value;

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

#[test]
fn page_bytes_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let esc = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}1m";
    std::fs::write(
        dir.path().join("a.html"),
        PAGE.replace("Quay report</title>", &format!("Quay {esc}report</title>"))
            .replace("Engineers inspected", &format!("Engineers {esc}inspected")),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r.jsonl"),
        format!(
            "{}\n",
            serde_json::json!({
                "url": format!("https://example.test/{esc}"),
                "title": format!("Ferry {esc}back"),
                "outlet": format!("Olt {esc}Post"),
                "text": format!("The ferry to Olt Island runs again from Monday, the operator {esc} said after the storm had passed.")
            })
        ),
    )
    .unwrap();
    let db = dir.path().join("s.db");
    let clean = |what: &str, out: &std::process::Output| {
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let s = String::from_utf8_lossy(bytes);
            assert!(
                !s.contains(['\u{1b}', '\u{7}', '\u{9b}']),
                "{what} {stream} carries control bytes: {s:?}"
            );
        }
    };
    let out = storyline()
        .current_dir(dir.path())
        .args(["analyze", ".", "--format", "text"])
        .output()
        .unwrap();
    assert!(out.status.success());
    clean("analyze", &out);
    let stored = ingest_in(dir.path(), &db, &["."]);
    assert_eq!(stored["articles_added"], 2);
    let out = storyline()
        .args(["stories", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    clean("stories", &out);
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    let story = listed
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    for args in [
        vec!["show", story, "--color", "never"],
        vec!["show", story, "--color", "always"],
    ] {
        let out = storyline()
            .args(&args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        clean(&args.join(" "), &out);
    }
    let report = json_of(
        &storyline()
            .current_dir(dir.path())
            .args(["analyze", "."])
            .output()
            .unwrap(),
    );
    for a in report["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let out = storyline()
            .args(["article", id, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        clean("article", &out);
        // The data itself has none: they were removed at extraction, with a note.
        for field in ["title", "text", "outlet"] {
            let v = a[field].as_str().unwrap_or("");
            assert!(!v.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{field}: {v:?}");
        }
    }
}

/// The reproducers of the hostile-input issue, each beside a good page. Time is not asserted
/// (machines here are noisy; `bench/hostile.py` measures it), but before the budget each of
/// these took from 15 s to many minutes, so a regression shows as a hang.
#[test]
fn pages_shaped_to_cost_minutes_are_read_within_their_budget_and_their_neighbours_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let para = "<p>".to_string() + &"The mayor said the fair will go ahead. ".repeat(20) + "</p>";
    let attrs: String = (0..60_000).map(|i| format!(" a{i}=\"v\"")).collect();
    std::fs::write(
        d.join("attributes.html"),
        format!("<html><body><div{attrs}>{para}</div></body></html>"),
    )
    .unwrap();
    std::fs::write(
        d.join("slashes.html"),
        format!(
            "<html><body>{para}{}</body></html>",
            "<div/>".repeat(100_000)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("unmatched.html"),
        format!(
            "<html><head><title>Fair goes ahead</title></head><body>{}{para}</body></html>",
            "<div></x>".repeat(20_000)
        ),
    )
    .unwrap();
    let heading = format!(
        "<h1>{}<div class=\"content\">",
        "Quay Street families fled the fire ".repeat(12)
    );
    std::fs::write(d.join("headings.html"), heading.repeat(250)).unwrap();
    std::fs::write(d.join("good.html"), PAGE).unwrap();
    let out = storyline().arg("analyze").arg(d).output().unwrap();
    let r = json_of(&out);
    let article = |name: &str| {
        r["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["origin"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no article from {name}: {}", r["errors"]))
            .clone()
    };
    let notes = |a: &Value| a["notes"].to_string();
    let a = article("attributes.html");
    assert!(a["text"].as_str().unwrap().contains("The mayor said"));
    assert!(notes(&a).contains("attributes dropped"), "{}", notes(&a));
    // The slashes open 100,000 divs: the page is cut past the elements an article page has,
    // after its paragraph.
    let a = article("slashes.html");
    assert!(a["text"].as_str().unwrap().contains("The mayor said"));
    assert!(notes(&a).contains("elements"), "{}", notes(&a));
    // 20,000 divs that end tags do not close: read without markup, and its <title> kept.
    let a = article("unmatched.html");
    assert!(a["text"].as_str().unwrap().contains("The mayor said"));
    assert_eq!(a["title"], "Fair goes ahead");
    assert!(notes(&a).contains("deep"), "{}", notes(&a));
    // Headings in headings: no 100 KB title, no text larger than the page's own words.
    let a = article("headings.html");
    let text = a["text"].as_str().unwrap();
    assert!(text.len() <= 250 * 12 * 36, "{}", text.len());
    assert!(a["title"].as_str().is_none_or(|t| t.chars().count() <= 300));
    assert!(article("good.html")["text"]
        .as_str()
        .unwrap()
        .contains("sea wall"));
}

#[test]
fn a_first_run_meets_clear_words_and_leaves_nothing_behind_when_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("new.db");
    // A folder holding no page: exit 1, a word on what is read, and no store left.
    std::fs::create_dir(d.join("notes")).unwrap();
    std::fs::write(d.join("notes").join("todo.md"), "# things\n").unwrap();
    std::fs::write(d.join("notes").join(".hidden"), "x").unwrap();
    let out = storyline()
        .arg("ingest")
        .arg(d.join("notes"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no page found") && err.contains(".jsonl"),
        "{err}"
    );
    assert!(
        err.contains("1 file passed over") && err.contains("todo.md"),
        "{err}"
    );
    assert!(!err.contains(".hidden"), "{err}");
    assert!(!db.exists(), "a failed first ingest left a store behind");
    // Files that are not pages, named directly, are refused with a reason.
    std::fs::write(
        d.join("feed.xml"),
        "<rss><channel><item><title>Fair</title></item></channel></rss>",
    )
    .unwrap();
    let out = storyline()
        .arg("analyze")
        .arg(d.join("feed.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("feed") && err.contains("not a page"), "{err}");
    // Counts read as English.
    std::fs::write(d.join("one.html"), PAGE).unwrap();
    let out = storyline()
        .arg("ingest")
        .arg(d.join("one.html"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(
        line.starts_with("1 page read, 1 article added")
            && line.contains("0 errors")
            && line.contains("holds 1 article in 1 family and 1 story"),
        "{line}"
    );
    // An unknown article points to where article ids are listed.
    let out = storyline()
        .args(["article", "ffffffffffff", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("storyline show STORY"), "{err}");
}

#[test]
fn gzip_on_standard_input_and_binary_json_lines_are_read_as_what_they_are() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(PAGE.as_bytes()).unwrap();
    let out = storyline()
        .args(["analyze", "-"])
        .write_stdin(gz.finish().unwrap())
        .output()
        .unwrap();
    let r = json_of(&out);
    assert!(r["articles"][0]["text"]
        .as_str()
        .unwrap()
        .contains("sea wall"));
    let dir = tempfile::tempdir().unwrap();
    let mut noise = b"{\"id\": \"ok\", \"text\": \"The ferry to Olt Island runs again from Monday, the operator said after the storm had passed.\"}\n".to_vec();
    for i in 0..500u32 {
        noise.extend(i.to_le_bytes());
        noise.extend([0u8, 1, 2, 3, b'\n', 0x7f, 0]);
    }
    std::fs::write(dir.path().join("noise.jsonl"), noise).unwrap();
    let r = json_of(
        &storyline()
            .arg("analyze")
            .arg(dir.path().join("noise.jsonl"))
            .output()
            .unwrap(),
    );
    assert_eq!(r["articles"].as_array().unwrap().len(), 1);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["message"].as_str().unwrap().contains("binary"));
}

#[test]
fn two_processes_ingesting_into_one_new_store_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    for round in 0..3 {
        let _ = std::fs::remove_file(&db);
        let bin = assert_cmd::cargo::cargo_bin("storyline");
        let spawn = |path: &str| {
            std::process::Command::new(&bin)
                .args(["ingest", path, "--db"])
                .arg(&db)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn("examples/valemont-fire");
        let b = spawn("examples/orrin-dam");
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let expected = std::fs::read_dir("examples/valemont-fire")
            .unwrap()
            .chain(std::fs::read_dir("examples/orrin-dam").unwrap())
            .count() as i64;
        assert_eq!(count(&db, "articles"), expected);
        assert_eq!(
            count(&db, "families WHERE story NOT IN (SELECT id FROM stories)"),
            0
        );
    }
}
