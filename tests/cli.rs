//! The real binary on the example corpus and on hostile input: commands, formats, exit codes,
//! the store's idempotence and crash safety, and the scorer's agreement with score.py.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

mod common;
use common::{json_of, storyline};
use serde_json::Value;

fn analyze_examples() -> Value {
    json_of(&storyline().args(["analyze", "examples/"]).output().unwrap())
}

#[test]
fn analyze_examples_keeps_the_contract() {
    let r = analyze_examples();
    assert_eq!(r["version"], 1);
    let articles = r["articles"].as_array().unwrap();
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string("examples/labels.json").unwrap()).unwrap();
    assert_eq!(
        articles.len(),
        labels.as_object().unwrap().len(),
        "every example page is read"
    );
    assert!(
        r["errors"].as_array().unwrap().is_empty(),
        "{}",
        r["errors"]
    );
    // Every article is in exactly one family and one story, and those exist.
    let families: Vec<&Value> = r["families"].as_array().unwrap().iter().collect();
    let stories: Vec<&Value> = r["stories"].as_array().unwrap().iter().collect();
    for a in articles {
        for key in [
            "id",
            "origin",
            "title",
            "authors",
            "outlet",
            "published",
            "language",
            "text",
            "family",
            "story",
        ] {
            assert!(a.get(key).is_some(), "article lacks {key}");
        }
        let in_families = families
            .iter()
            .filter(|f| {
                f["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["article"] == a["id"])
            })
            .count();
        assert_eq!(in_families, 1, "{}", a["origin"]);
        let in_stories = stories
            .iter()
            .filter(|s| s["articles"].as_array().unwrap().contains(&a["id"]))
            .count();
        assert_eq!(in_stories, 1, "{}", a["origin"]);
        assert!(
            labels.get(a["origin"].as_str().unwrap()).is_some(),
            "origin {} is as labelled",
            a["origin"]
        );
    }
    for s in stories {
        for key in ["quotes", "conflicts", "summary"] {
            assert!(s[key].is_array());
        }
        // Every family is a source but those that disclose they were generated.
        assert_eq!(
            s["independent_sources"].as_u64().unwrap()
                + s["synthetic_sources"].as_u64().unwrap_or(0),
            s["families"].as_array().unwrap().len() as u64
        );
    }
}

#[test]
fn republications_in_other_chrome_are_exact_copies_of_the_wire() {
    let r = analyze_examples();
    let family_of = |origin: &str| -> String {
        r["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["origin"] == origin)
            .unwrap()["family"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for story in [
        "valemont-fire",
        "orrin-dam",
        "port-selby-election",
        "solvik-breach",
    ] {
        let wire = family_of(&format!("examples/{story}/kestrel-wire.html"));
        assert_eq!(
            family_of(&format!("examples/{story}/northcoast9.html")),
            wire,
            "{story}: TV station's HTML"
        );
        assert_eq!(
            family_of(&format!("examples/{story}/riverside-radio.txt")),
            wire,
            "{story}: radio's flat text"
        );
        let family = r["families"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == wire.as_str())
            .unwrap();
        let original = r["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == family["original"])
            .unwrap();
        assert_eq!(
            original["origin"],
            format!("examples/{story}/kestrel-wire.html")
        );
    }
    // Exact-copy families are pure: no pair of articles from different gold families shares one.
    let scores = json_of(
        &storyline()
            .args(["eval", "--task", "copies", "--gold", "examples/labels.json"])
            .arg(write_temp(&r))
            .output()
            .unwrap(),
    );
    assert_eq!(scores["pair_P"], 1.0, "{scores}");
}

fn write_temp(v: &Value) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let p = dir.join("report.json");
    std::fs::write(&p, serde_json::to_string(v).unwrap()).unwrap();
    p
}

#[test]
fn text_report_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    storyline()
        .args(["analyze", "examples/", "--format", "text", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out).unwrap();
    assert!(text.starts_with("47 articles,"), "{text}");
    assert!(text.contains("Warehouse fire burns for nine hours in Valemont harbour"));
}

#[test]
fn stdin_and_jsonl_inputs() {
    let page = "The river at Dunmore rose by two metres overnight and the old stone bridge was closed to all traffic, officials said on Sunday.\nPolice asked drivers to use the ring road until engineers had inspected the arches.\n";
    let out = storyline()
        .args(["analyze", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    let r = json_of(&out);
    assert_eq!(r["articles"][0]["origin"], "-");
    assert_eq!(
        r["articles"][0]["text"]
            .as_str()
            .unwrap()
            .split("\n\n")
            .count(),
        2
    );
}

#[test]
fn help_has_examples_and_bad_usage_exits_2() {
    for cmd in ["analyze", "ingest", "stories", "show", "article", "eval"] {
        let out = storyline().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Example"), "{cmd} --help has no example");
    }
    storyline().args(["analyze"]).assert().code(2);
    storyline().args(["frobnicate"]).assert().code(2);
    storyline()
        .args(["analyze", "examples/", "--format", "yaml"])
        .assert()
        .code(2);
    storyline()
        .args([
            "eval",
            "--gold",
            "examples/labels.json",
            "x.json",
            "--task",
            "nope",
        ])
        .assert()
        .code(2);
}

/// The report's article whose origin ends with `suffix`.
fn article_ending<'a>(r: &'a Value, suffix: &str) -> &'a Value {
    r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["origin"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no article from {suffix}"))
}

/// Writes a folder of hostile input beside one good page.
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = "<html><head><title>Dam report</title></head><body><article><h1>Dam report</h1><p>Engineers inspected the Lake Orrin dam on Thursday and found no new cracks in the concrete wall, the water authority said.</p><p>The lake will stay at its lowered level until repairs are planned next spring, officials added.</p></article></body></html>";
    std::fs::write(d.join("good.html"), good).unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(
        d.join("binary.html"),
        [0x7fu8, b'E', b'L', b'F', 0, 0, 0, 1, 2, 3, 0, 0],
    )
    .unwrap();
    std::fs::write(d.join("latin1.txt"), b"Caf\xe9 owners in Valemont said on Monday that the harbour fire had kept customers away for a week, and asked the council for help with rent.\n").unwrap();
    std::fs::write(
        d.join("no-article.html"),
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(good.repeat(50).as_bytes()).unwrap();
    let mut gz = gz.finish().unwrap();
    gz.truncate(gz.len() / 2);
    std::fs::write(d.join("truncated.html.gz"), gz).unwrap();
    std::fs::write(
        d.join("records.jsonl"),
        "{\"id\": \"r1\", \"text\": \"Tram drivers in Brantholm will strike on Friday after talks with the city broke down, their union said.\"}\n{broken json\n\n{\"id\": \"r3\"}\n",
    )
    .unwrap();
    let huge = format!(
        "<html><body><article><p>{}</p></article></body></html>",
        "The council met again on Tuesday to discuss the budget for the new harbour wall. "
            .repeat(700_000)
    );
    std::fs::write(d.join("huge.html"), huge).unwrap();
    // Nesting that makes HTML parsers quadratic: must be read in linear time.
    let deep = format!(
        "<html><body>{}<p>The deep page still carries one real paragraph about the harbour wall and its repairs this spring.</p>{}</body></html>",
        "<div>".repeat(150_000),
        "</div>".repeat(150_000)
    );
    std::fs::write(d.join("deep.html"), deep).unwrap();
    dir
}

#[test]
fn bad_input_is_skipped_with_located_errors() {
    let dir = hostile_folder();
    let out = storyline().arg("analyze").arg(dir.path()).output().unwrap();
    let r = json_of(&out);
    let origins: Vec<String> = r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["origin"].as_str().unwrap().to_string())
        .collect();
    let errors = r["errors"].as_array().unwrap();
    let err_for = |name: &str| {
        errors
            .iter()
            .find(|e| e["origin"].as_str().unwrap().ends_with(name))
            .cloned()
    };
    for bad in [
        "empty.txt",
        "binary.html",
        "no-article.html",
        "truncated.html.gz",
    ] {
        assert!(err_for(bad).is_some(), "no error for {bad}: {errors:?}");
        assert!(!origins.iter().any(|o| o.ends_with(bad)));
    }
    let broken = err_for("records.jsonl").expect("error for the broken JSON line");
    assert_eq!(broken["line"], 2);
    assert!(broken["offset"].as_u64().unwrap() > 0);
    assert!(origins.iter().any(|o| o.ends_with("good.html")));
    assert!(origins.contains(&"r1".to_string()));
    let latin = article_ending(&r, "latin1.txt");
    assert!(latin["text"].as_str().unwrap().starts_with("Café owners"));
    let huge = article_ending(&r, "huge.html");
    assert!(
        huge["notes"][0]
            .as_str()
            .unwrap()
            .contains("only its first"),
        "{}",
        huge["notes"]
    );
    let deep = article_ending(&r, "deep.html");
    assert!(deep["text"].as_str().unwrap().contains("harbour wall"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("records.jsonl:2"), "{stderr}");
}

#[test]
fn nothing_readable_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    storyline().arg("analyze").arg(dir.path()).assert().code(1);
    storyline()
        .args(["analyze", "/definitely/not/here"])
        .assert()
        .code(1);
}

fn ingest(db: &Path, paths: &[&str]) -> Value {
    let out = storyline()
        .arg("ingest")
        .args(paths)
        .arg("--db")
        .arg(db)
        .args(["--format", "json"])
        .output()
        .unwrap();
    json_of(&out)
}

#[test]
fn a_store_from_before_the_key_change_gets_its_copy_keys_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ingest(&db, &["examples/"]);
    let keys_of = |conn: &rusqlite::Connection| -> Vec<(i64, i64)> {
        let mut stmt = conn
            .prepare("SELECT seq, key FROM copy_keys ORDER BY seq, key")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let made = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let made = keys_of(&conn);
        assert!(made.len() > 47, "{}", made.len());
        // As a store of schema 3 held them: other values, under the old key function.
        conn.execute_batch(
            "UPDATE copy_keys SET key = key + 1; ALTER TABLE articles DROP COLUMN synthetic;
             DROP INDEX input_errors_once; DROP TABLE articles_fts;
             DROP TRIGGER articles_fts_insert; DROP TRIGGER articles_fts_delete;
             DROP TRIGGER articles_fts_update; PRAGMA user_version = 3;",
        )
        .unwrap();
        made
    };
    storyline()
        .args(["stories", "--db"])
        .arg(&db)
        .assert()
        .success();
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(keys_of(&conn), made);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7);
    // The next step marked the stored articles that disclose they were generated.
    let synthetic: i64 = conn
        .query_row("SELECT COUNT(*) FROM articles WHERE synthetic", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(synthetic > 0);
}

#[test]
fn ingest_is_idempotent_and_the_store_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let first = ingest(&db, &["examples/"]);
    assert_eq!(first["articles_added"], 47);
    assert_eq!(first["errors"].as_array().unwrap().len(), 0);
    let again = ingest(&db, &["examples/"]);
    assert_eq!(again["articles_added"], 0);
    assert_eq!(again["duplicates"], 47);

    let text = storyline()
        .args(["ingest", "examples/valemont-fire"])
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&text.stdout);
    assert!(
        line.contains("pages read")
            && line.contains("0 articles added")
            && line.contains("duplicates"),
        "{line}"
    );

    let stories = stories_json(&db);
    let rows = stories.as_array().unwrap();
    assert!(!rows.is_empty());
    // Every added article founded a family, joined one as a copy, or became the original of
    // copies stored before it.
    let families: u64 = rows
        .iter()
        .map(|r| {
            r["independent_sources"].as_u64().unwrap()
                + r["synthetic_sources"].as_u64().unwrap_or(0)
        })
        .sum();
    let joined = first["copies"].as_u64().unwrap() + first["originals_of_copies"].as_u64().unwrap();
    assert_eq!(joined, 47 - families);
    let dates: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["last_published"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b[..10].cmp(&a[..10]));
    assert_eq!(dates, sorted, "newest first");

    let wire = rows
        .iter()
        .find(|r| r["title"] == "Warehouse fire burns for nine hours in Valemont harbour")
        .unwrap();
    let id = wire["id"].as_str().unwrap();
    let shown = json_of(
        &storyline()
            .args(["show", &id[..6], "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(shown["version"], 1);
    assert_eq!(shown["stories"][0]["id"], id);
    // The wire, its two exact copies, a near-duplicate and a spun copy: ingest places them
    // in one family as analyze does, and the family in the story of the fire.
    let arts = shown["articles"].as_array().unwrap();
    let wire_family = arts
        .iter()
        .find(|a| a["title"] == "Warehouse fire burns for nine hours in Valemont harbour")
        .map(|a| a["family"].clone())
        .unwrap();
    assert_eq!(
        arts.iter().filter(|a| a["family"] == wire_family).count(),
        5
    );
    let html = show_html(id, &db);
    assert!(html.starts_with("<!doctype html>") && html.contains("Warehouse fire burns"));
    let text = storyline()
        .args(["show", id, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("independent sources"));

    let article_id = shown["articles"][0]["id"].as_str().unwrap();
    let a = json_of(
        &storyline()
            .args(["article", article_id, "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(a["id"], article_id);
    storyline()
        .args(["article", "ffffffffffffffff", "--db"])
        .arg(&db)
        .assert()
        .code(1);
    storyline()
        .args(["stories", "--db"])
        .arg(dir.path().join("missing.db"))
        .assert()
        .code(1);
}

/// `stories --format json` from a store.
fn stories_json(db: &Path) -> Value {
    json_of(
        &storyline()
            .args(["stories", "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap(),
    )
}

/// `show ID --format html` from a store, as text.
fn show_html(id: &str, db: &Path) -> String {
    let out = storyline()
        .args(["show", id, "--format", "html", "--db"])
        .arg(db)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn html_output_escapes_page_content() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("x.html");
    std::fs::write(&page, "<html><head><title>x</title><meta property=\"og:title\" content=\"&lt;script&gt;alert(1)&lt;/script&gt; fire\"></head><body><article><p>The fire at the &lt;b&gt;old mill&lt;/b&gt; was put out after two hours, the brigade said on Monday evening in a statement.</p></article></body></html>").unwrap();
    let db = dir.path().join("s.db");
    ingest(&db, &[page.to_str().unwrap()]);
    let stories = stories_json(&db);
    let id = stories[0]["id"].as_str().unwrap();
    let html = show_html(id, &db);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
}

/// A store's state in a comparable form: articles with their family and story, read back
/// through the binary.
fn dump(db: &Path) -> Vec<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["stories", "--format", "json", "--limit", "100000", "--db"])
        .arg(db)
        .output()
        .unwrap();
    let stories: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows = Vec::new();
    for s in stories.as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let shown = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
            .args(["show", id, "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap();
        let r: Value = serde_json::from_slice(&shown.stdout).unwrap();
        for a in r["articles"].as_array().unwrap() {
            rows.push(format!(
                "{} {} {} {}",
                a["id"], a["origin"], a["family"], a["story"]
            ));
        }
    }
    rows.sort();
    rows
}

#[test]
fn killed_ingest_leaves_a_consistent_store_and_a_rerun_completes_it() {
    // A corpus large enough that ingest is still running when it is killed.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for i in 0..3000 {
        let text = format!(
            "Report {i} from the harbour desk\nThe harbour office in Valemont logged vessel number {i} arriving on Tuesday with a cargo of timber and salt, officials said.\nThe harbour master said the quay would stay open through the night while crews unloaded vessel {i}.\n"
        );
        std::fs::write(corpus.join(format!("{i:05}.txt")), if i % 7 == 0 { "The same wire text, republished by many stations word for word, about the regional budget vote on Monday.\n".to_string() } else { text }).unwrap();
    }
    let corpus = corpus.to_str().unwrap().to_string();
    let killed = dir.path().join("killed.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["ingest", &corpus, "--db"])
        .arg(&killed)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until at least one batch is committed, then kill -9.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let wal = killed.with_extension("db-wal");
        if wal.exists()
            && std::fs::metadata(&wal)
                .map(|m| m.len() > 0)
                .unwrap_or(false)
        {
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(60)
            || child.try_wait().unwrap().is_some()
        {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    // Whatever was committed is readable now.
    let partial = dump(&killed);
    assert!(partial.len() <= 3000);
    // The rerun ends where an uninterrupted run ends.
    ingest(&killed, &[&corpus]);
    let clean = dir.path().join("clean.db");
    ingest(&clean, &[&corpus]);
    assert_eq!(dump(&killed), dump(&clean));
}

/// Every number score.py prints, ours prints too, equal to 3 decimals.
fn assert_same_numbers(path: &str, theirs: &Value, ours: &Value) {
    match theirs {
        Value::Number(n) => {
            let (a, b) = (n.as_f64().unwrap(), ours.as_f64().unwrap_or(f64::NAN));
            assert!((a - b).abs() < 0.0005, "{path}: score.py {a}, ours {b}");
        }
        Value::Object(o) => {
            for (k, v) in o {
                assert_same_numbers(&format!("{path}.{k}"), v, &ours[k]);
            }
        }
        other => assert_eq!(ours, other, "{path}"),
    }
}

#[test]
fn eval_agrees_with_score_py() {
    let scorer = Path::new("../shared/eval/score.py");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if !scorer.exists() || python.is_err() {
        eprintln!("skipped: ../shared/eval/score.py or python3 not available");
        return;
    }
    let r = analyze_examples();
    let report = write_temp(&r);
    // Stories gold as JSON lines, built from the labels.
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string("examples/labels.json").unwrap()).unwrap();
    let gold_lines: String = labels
        .as_object()
        .unwrap()
        .iter()
        .map(|(o, l)| serde_json::json!({"url": o, "story": l["story"]}).to_string() + "\n")
        .collect();
    let gold_stories = report.with_file_name("stories.jsonl");
    std::fs::write(&gold_stories, gold_lines).unwrap();
    for (task, gold) in [
        ("stories", gold_stories.clone()),
        ("copies", PathBuf::from("examples/labels.json")),
    ] {
        let ours = json_of(
            &storyline()
                .args(["eval", "--task", task, "--gold"])
                .arg(&gold)
                .arg(&report)
                .output()
                .unwrap(),
        );
        let theirs = std::process::Command::new("python3")
            .arg(scorer)
            .arg(task)
            .arg(&report)
            .arg(&gold)
            .output()
            .unwrap();
        assert!(
            theirs.status.success(),
            "{}",
            String::from_utf8_lossy(&theirs.stderr)
        );
        let theirs: Value = serde_json::from_slice(&theirs.stdout).unwrap();
        assert_same_numbers(task, &theirs, &ours);
    }
}

/// Degenerate corpora for copy detection: every article identical, one line repeated through a
/// whole article, one-word articles. No panic, every article reported, sensible families.
#[test]
fn degenerate_corpora_give_sensible_families() {
    let body = "The council voted on Monday to close the old harbour bridge for repairs, the mayor said after the meeting.\nEngineers will inspect the arches over the winter and report in the spring, according to the council.";
    let mut lines = String::new();
    for i in 0..300 {
        lines += &serde_json::json!({"id": format!("same-{i}"), "text": body}).to_string();
        lines.push('\n');
    }
    let repeated = "Click here to read the latest news from our newsroom today.\n".repeat(2000);
    for i in 0..5 {
        lines +=
            &serde_json::json!({"id": format!("rep-{i}"), "text": format!("{body}\n{repeated}")})
                .to_string();
        lines.push('\n');
    }
    lines += &serde_json::json!({"id": "one-word", "text": "Hello"}).to_string();
    lines.push('\n');
    let out = storyline()
        .args(["analyze", "-"])
        .write_stdin(lines)
        .output()
        .unwrap();
    let r = json_of(&out);
    let same: Vec<&Value> = r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            let o = a["origin"].as_str().unwrap();
            o.starts_with("same-") || o.starts_with("rep-")
        })
        .collect();
    // The repeated line is chrome, so those articles come out as the same text too.
    assert_eq!(same.len(), 305);
    let family = &same[0]["family"];
    assert!(same.iter().all(|a| &a["family"] == family));
    let fam = r["families"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| &f["id"] == family)
        .unwrap();
    let relations: Vec<&str> = fam["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["relation"].as_str().unwrap())
        .collect();
    assert_eq!(relations.iter().filter(|r| **r == "original").count(), 1);
    assert_eq!(relations.len(), 305);
    assert!(relations
        .iter()
        .all(|r| ["original", "exact", "near_duplicate"].contains(r)));
    assert!(r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r["errors"].as_array().unwrap())
        .any(|a| a["origin"] == "one-word"));
}

#[test]
fn a_copy_is_shown_against_its_original_with_its_swaps_marked() {
    let dir = tempfile::tempdir().unwrap();
    let original = "Officials in the eastern district said on Tuesday that the old ferry pier \
        would close for repairs next month. The harbour master, Ilse Brandt, said the work \
        would take about six weeks and cost the town nearly two million dollars. Ferries will \
        dock at the fishing quay while the pier is closed, she said. Residents have asked for \
        the repairs since a storm damaged the pier's timber supports last winter.";
    let spun = "Officers in the japanese district stated on Tuesday that the old ferry pier \
        would close for fixes next month. The harbour master, Ilse Brandt, stated the work \
        would take about six weeks and cost the town nearly two million <img src=x onerror=alert(1)>. \
        Ferries will dock at the fishing quay while the pier is closed, she stated. Residents \
        have asked for the repairs since a storm damaged the pier's timber supports last winter.";
    std::fs::write(dir.path().join("a-original.txt"), original).unwrap();
    std::fs::write(dir.path().join("b-spun.txt"), spun).unwrap();
    let db = dir.path().join("s.db");
    ingest(&db, &[dir.path().to_str().unwrap()]);
    let stories = stories_json(&db);
    assert_eq!(
        stories.as_array().unwrap().len(),
        1,
        "one family, one story"
    );
    let id = stories[0]["id"].as_str().unwrap();
    let shown = json_of(
        &storyline()
            .args(["show", id, "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let members = shown["families"][0]["members"].as_array().unwrap();
    assert_eq!(members[0]["relation"], "original");
    let copy = members
        .iter()
        .find(|m| m["relation"] == "spun")
        .expect("the spun copy is a member");
    let copy_id = copy["article"].as_str().unwrap();

    let run = |args: &[&str]| {
        let out = storyline()
            .args(["article", copy_id, "--db"])
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // Piped, so no colours: git's word-diff marks.
    let text = run(&[]);
    assert!(text.contains("[-Officials-]{+Officers+}"), "{text}");
    assert!(text.contains("[-said-]{+stated+}"), "{text}");
    assert!(!text.contains('\x1b'));
    let section = &text[text
        .find("spun of")
        .expect("the comparison follows the text")..];
    // The header names the original's temporary path; the comparison below it is stable.
    let body = section.split_once('\n').unwrap().1;
    insta::assert_snapshot!("spun_copy_against_its_original", body);
    let coloured = run(&["--color", "always"]);
    assert!(coloured.contains("\x1b[31;9mOfficials\x1b[0m\x1b[32mOfficers\x1b[0m"));

    let html = run(&["--format", "html"]);
    assert!(
        html.contains("<del>eastern</del> <ins>japanese</ins>"),
        "{html}"
    );
    assert!(!html.contains("<img"), "page text must be escaped: {html}");
    let story_html = show_html(id, &db);
    assert!(story_html.contains("<details>") && story_html.contains("<ins>stated</ins>"));
    assert!(!story_html.contains("<img"));
}

#[test]
fn a_later_ingest_joins_the_stories_an_earlier_one_stored() {
    // The clusterer's state is read back from the store: an independent report ingested on its
    // own, in a second run, joins the story of its event instead of opening one.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut first: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("greyhaven-measles"))
        .map(|p| p.display().to_string())
        .collect();
    first.sort();
    for f in [
        "kestrel-wire.html",
        "metro-today.html",
        "northcoast9.html",
        "riverside-radio.txt",
    ] {
        first.push(format!("examples/greyhaven-measles/{f}"));
    }
    first.push("examples/feed.jsonl".into());
    let refs: Vec<&str> = first.iter().map(String::as_str).collect();
    assert_eq!(ingest(&db, &refs)["articles_added"], 46);
    let before = stories_json(&db);
    let measles = |rows: &Value| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["title"].as_str().unwrap_or("").contains("Greyhaven"))
            .map(|r| r["articles"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(measles(&before), vec![4]);
    let second = ingest(&db, &["examples/greyhaven-measles/greyhaven-herald.html"]);
    assert_eq!(second["articles_added"], 1);
    let after = stories_json(&db);
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len()
    );
    assert_eq!(measles(&after), vec![5]);
}

#[test]
fn broken_dates_missing_titles_and_bare_titles_still_make_sensible_stories() {
    // Two events, each told by independent reports written apart, some with a zero timestamp
    // (1970-01-01), a date years ahead, no date, no title, or a title and almost no text.
    let ferry = [
        ("f1", Some("Fire breaks out on Corvane ferry"), Some("2024-06-03T08:00:00Z"),
         "A fire broke out in the engine room of the Corvane ferry Saltmarsh Queen on Monday morning as she crossed to Tarrow Island. Captain Edda Rusk ordered the 212 passengers to the muster stations while the crew fought the flames. Nobody was hurt, the Corvane Ferry Company said."),
        ("f2", Some("Saltmarsh Queen passengers brought ashore after engine fire"), Some("1970-01-01T00:00:00Z"),
         "Passengers of the Saltmarsh Queen were brought back to Corvane harbour by lifeboat after an engine room fire halted the ferry halfway to Tarrow Island. Edda Rusk, the ferry's captain, praised her crew. The Corvane Ferry Company has cancelled crossings for the week."),
        ("f3", None, Some("2035-01-01"),
         "Investigators from the maritime safety board boarded the Saltmarsh Queen in Corvane harbour to find the cause of the engine room fire. The Corvane Ferry Company said crossings to Tarrow Island would resume once the ferry was cleared. Captain Edda Rusk was not available for comment."),
        ("f4", Some("Corvane ferry fire: Tarrow Island crossings cancelled"), None,
         "Crossings between Corvane and Tarrow Island are cancelled after the engine room fire on the Saltmarsh Queen, the Corvane Ferry Company said. Islanders said the ferry is their only link to the mainland."),
    ];
    let bridge = [
        ("b1", Some("Halvik council votes to rebuild the Old Mill bridge"), Some("2024-06-04T10:00:00Z"),
         "Halvik town council voted seven to two on Tuesday to rebuild the Old Mill bridge over the river Senn, closed since floods cracked its piers in March. Mayor Oskar Lind said work would start in September and cost 4.2 million crowns."),
        ("b2", Some("Old Mill bridge to be rebuilt, Halvik decides"), Some("1970-01-01"),
         "The Old Mill bridge in Halvik will be rebuilt after the council backed the plan on Tuesday. Mayor Oskar Lind said the 4.2 million crown project would reopen the crossing over the Senn by next summer. Two councillors voted against, calling the cost too high."),
        ("b3", None, Some("2024-06-05"),
         "Traders on the Halvik side of the river Senn welcomed the council's vote to rebuild the Old Mill bridge, saying business had fallen by a third since the floods closed it. Mayor Oskar Lind promised a temporary footbridge during the works."),
    ];
    let mut lines = String::new();
    for (id, title, published, text) in ferry.iter().chain(&bridge) {
        lines +=
            &serde_json::json!({"id": id, "title": title, "published": published, "text": text})
                .to_string();
        lines.push('\n');
    }
    lines += &serde_json::json!({"id": "t1", "title": "Corvane ferry Saltmarsh Queen fire: Edda Rusk praises crew", "text": "Developing story."}).to_string();
    lines.push('\n');
    let out = storyline()
        .args(["analyze", "-", "--format", "json"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json_of(&out);
    let story_of = |origin: &str| -> String {
        let a = r["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["origin"] == origin)
            .unwrap_or_else(|| panic!("{origin} is an article"));
        r["stories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["articles"].as_array().unwrap().contains(&a["id"]))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let fire = story_of("f1");
    let mill = story_of("b1");
    assert_ne!(fire, mill);
    for o in ["f2", "f3", "f4", "t1"] {
        assert_eq!(story_of(o), fire, "{o} belongs with the ferry fire");
    }
    for o in ["b2", "b3"] {
        assert_eq!(story_of(o), mill, "{o} belongs with the bridge vote");
    }
    // A zero timestamp does not date a story from 1970.
    for s in r["stories"].as_array().unwrap() {
        let first = s["first_published"].as_str().unwrap_or("");
        assert!(!first.starts_with("1970"), "{s}");
    }
}

/// Each article's story, by origin, as `analyze` reports them.
fn stories_by_origin(report: &Value) -> std::collections::BTreeMap<String, String> {
    report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_string();
            (s("origin"), s("story"))
        })
        .collect()
}

/// Whether two partitions of the same keys put every pair of keys together alike.
fn same_partition(
    a: &std::collections::BTreeMap<String, String>,
    b: &std::collections::BTreeMap<String, String>,
) -> bool {
    let mut pairs: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut back: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    a.len() == b.len()
        && a.iter().all(|(k, x)| {
            let Some(y) = b.get(k) else { return false };
            *pairs.entry(x).or_insert(y) == y.as_str() && *back.entry(y).or_insert(x) == x.as_str()
        })
}

#[test]
fn ingest_reaches_the_stories_analyze_does_on_the_same_stream() {
    // Headlines of eight invented events, each three of its own six words among three words
    // every event uses, more than one ingest batch of them: such short texts are gathered by
    // the refinement once a stream closes, which `ingest` does as `analyze` does (without it,
    // the two disagreed on this stream).
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ru", "te", "zo", "vi", "nu"];
    const COMMON: [&str; 10] = [
        "city",
        "officials",
        "plan",
        "report",
        "residents",
        "police",
        "council",
        "week",
        "mayor",
        "board",
    ];
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("headlines.jsonl");
    let mut lines = String::new();
    let mut seed = 11u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for i in 0..600 {
        let event = i % 8;
        let mut words: Vec<String> = (0..3)
            .map(|_| {
                let j = next(6);
                format!(
                    "{}{}{}",
                    SYLLABLES[event],
                    SYLLABLES[j],
                    SYLLABLES[(event + j) % 8]
                )
            })
            .collect();
        words.extend((0..3).map(|_| COMMON[next(COMMON.len())].to_string()));
        let text = words.join(" ");
        lines.push_str(&serde_json::json!({"url": format!("h{i}"), "text": text}).to_string());
        lines.push('\n');
    }
    std::fs::write(&corpus, lines).unwrap();
    let corpus = corpus.to_str().unwrap();
    let analyzed = stories_by_origin(&json_of(
        &storyline()
            .args(["analyze", corpus, "--format", "json"])
            .output()
            .unwrap(),
    ));
    let db = dir.path().join("s.db");
    ingest(&db, &[corpus]);
    let ingested: std::collections::BTreeMap<String, String> = dump(&db)
        .iter()
        .map(|row| {
            let f: Vec<&str> = row.split(' ').collect();
            (
                f[1].trim_matches('"').to_string(),
                f[3].trim_matches('"').to_string(),
            )
        })
        .collect();
    assert_eq!(analyzed.len(), 600);
    assert!(same_partition(&analyzed, &ingested));
}
