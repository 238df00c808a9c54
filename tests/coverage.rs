//! Coverage through the real binary on a story of our own (tests/fixtures/coverage: a fictional
//! bridge collapse told by a wire report and its republication, two independent outlets and an
//! AI digest), with one conflict of each kind planted, a spelling variant that must not be one,
//! and a number changed inside the copy family.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn storyline() -> Command {
    let mut c = Command::cargo_bin("storyline").unwrap();
    c.env_remove("STORYLINE_DB");
    c
}

fn bridge_story() -> (Value, Value) {
    let out = storyline()
        .args(["analyze", "tests/fixtures/coverage/", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let story = r["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["articles"].as_array().unwrap().len() == 5)
        .expect("the five bridge articles make one story")
        .clone();
    (r, story)
}

fn conflict<'a>(story: &'a Value, kind: &str, subject: &str, within: bool) -> &'a Value {
    story["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["kind"] == kind
                && c["subject"] == subject
                && c.get("within_family").is_some() == within
        })
        .unwrap_or_else(|| panic!("no {kind} conflict on {subject}: {}", story["conflicts"]))
}

fn values(c: &Value) -> Vec<&str> {
    c["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect()
}

#[test]
fn planted_conflicts_are_found_between_sources_and_inside_a_family() {
    let (_, s) = bridge_story();
    // Four families; the AI digest is listed but counted as no source.
    assert_eq!(s["independent_sources"], 3);
    assert_eq!(s["synthetic_sources"], 1);
    // The majority value comes first.
    assert_eq!(
        values(conflict(&s, "name", "Welk", false)),
        ["Tomasz Welk", "Jakub Welk"]
    );
    assert_eq!(
        values(conflict(&s, "number", "injured", false)),
        ["17", "21"]
    );
    assert_eq!(
        values(conflict(&s, "role", "Edvin Lasko", false)),
        ["president", "former president"]
    );
    // 17 → 71 in the republished copy is the copy's error, not a fifth opinion.
    assert_eq!(
        values(conflict(&s, "number", "injured", true)),
        ["17", "71"]
    );
    // "Varga" and "Vargha" are one governor: a spelling, not a conflict.
    assert!(s["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| !c["subject"].as_str().unwrap().starts_with("Varg")));
    // Both sources that date the collapse say Tuesday: no date conflict.
    assert!(s["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] != "date"));
}

#[test]
fn quotes_summary_sources_and_timeline() {
    let (r, s) = bridge_story();
    let quotes = s["quotes"].as_array().unwrap();
    let welk = quotes
        .iter()
        .find(|q| {
            q["text"]
                .as_str()
                .unwrap()
                .starts_with("We knew the pier was weak")
        })
        .expect("the minister's quote");
    // Split around "Welk said" in one source, around "he said." in the other: one quote.
    assert_eq!(welk["speaker"], "Tomasz Welk");
    assert_eq!(welk["cue"], "said");
    assert_eq!(welk["independent_sources"], 2);
    assert_eq!(welk["variants"].as_array().unwrap().len(), 1);
    let kiss = quotes
        .iter()
        .find(|q| q["text"].as_str().unwrap().contains("whole street shook"))
        .expect("the shop owner's quote");
    assert_eq!(kiss["speaker"], "Marta Kiss");

    let summary = s["summary"].as_array().unwrap();
    assert!((3..=7).contains(&summary.len()), "{summary:?}");
    for x in summary {
        assert!(!x["support"].as_array().unwrap().is_empty());
        // The consensus does not carry a minority's value, nor the wire's dateline.
        let text = x["sentence"].as_str().unwrap();
        assert!(
            !text.contains("Jakub") && !text.starts_with("LORNICA"),
            "{text}"
        );
    }
    assert!(summary[0]["support"].as_array().unwrap().len() >= 3);
    let only: Vec<&str> = s["only_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["sentence"].as_str().unwrap())
        .collect();
    assert!(
        only.iter().any(|o| o.contains("bicycle courier")),
        "{only:?}"
    );

    let digest = s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["outlet"] == "Pulse Digest")
        .unwrap();
    assert!(digest["synthetic"]
        .as_str()
        .unwrap()
        .contains("generated with the help of AI"));
    // The digest corroborates nothing: no summary sentence, quote count or name count rests
    // on it.
    let digest_family = digest["family"].as_str().unwrap();
    for x in summary {
        assert!(
            !x["support"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == digest_family),
            "{x}"
        );
    }
    for q in quotes {
        let fams = q["families"].as_array().unwrap();
        let counted = fams.iter().filter(|f| *f != digest_family).count();
        assert_eq!(q["independent_sources"], counted, "{q}");
    }
    assert!(s["only_in"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["family"] != digest_family));
    let wire = s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["outlet"] == "Kestrel Wire")
        .unwrap();
    assert_eq!(wire["copies"], 1);
    assert_eq!(wire["copy_outlets"][0], "Metro Today");

    // "on Tuesday evening" in articles of Thursday 12 March 2026 is 10 March.
    let timeline = s["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|t| t["date"] == "2026-03-10"));
    let names: Vec<&str> = s["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Tomasz Welk") && names.contains(&"Edvin Lasko"));
    // Every article of the story is in the report.
    assert_eq!(r["articles"].as_array().unwrap().len(), 8);
}

#[test]
fn show_renders_the_story_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = storyline()
        .args(["ingest", "tests/fixtures/coverage/", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, s) = bridge_story();
    let id = s["id"].as_str().unwrap();
    let show = |format: &str| {
        let out = storyline()
            .args(["show", id, "--color", "never", "--format", format, "--db"])
            .arg(Path::new(&db))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = show("text");
    insta::assert_snapshot!("bridge_story_text", text);
    let html = show("html");
    for part in [
        "<h2>Summary</h2>",
        "<h2>Quotes</h2>",
        "<h2>Conflicts</h2>",
        "<h2>Timeline</h2>",
        "synthetic",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    assert!(html.contains("&ldquo;We knew the pier was weak"));
}
