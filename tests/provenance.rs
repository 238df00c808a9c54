//! Which copy is the original, on pages of our own shaped like the real ones that reversed it
//! (tests/fixtures/reversal): a wire report republished by a station, with the wire's byline,
//! dateline credit, "The-Kestrel-Wire" line and copyright, and a content farm's spun copy of its
//! first half that kept the byline and the credit but names no outlet of its own.

use assert_cmd::Command;
use serde_json::Value;

fn report(dir: &str) -> Value {
    let out = Command::cargo_bin("storyline")
        .unwrap()
        .env_remove("STORYLINE_DB")
        .args(["analyze", dir, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_station_republication_not_the_spun_copy_is_the_original() {
    let r = report("tests/fixtures/reversal/");
    let origin_of = |id: &Value| {
        r["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| &a["id"] == id)
            .map(|a| {
                a["origin"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .unwrap()
    };
    let families = r["families"].as_array().unwrap();
    assert_eq!(families.len(), 1, "{families:?}");
    let f = &families[0];
    assert_eq!(origin_of(&f["original"]), "channel4-harbourside.html");
    let spun = f["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["relation"] == "spun")
        .expect("the farm's copy is spun");
    assert_eq!(origin_of(&spun["article"]), "newsflash-daily.txt");
    // The swaps read from the original's words to the copy's: "said" became "stated".
    let swaps: Vec<(String, String)> = spun["evidence"]["swapped_words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s[0].as_str().unwrap().to_string(),
                s[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        swaps.contains(&("said".to_string(), "stated".to_string())),
        "{swaps:?}"
    );
    // The copy credits the wire; that does not make the wire its outlet.
    let farm = r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["origin"]
                .as_str()
                .unwrap()
                .ends_with("newsflash-daily.txt")
        })
        .unwrap();
    assert!(farm["outlet"].is_null(), "{}", farm["outlet"]);
    // The story's summary speaks in the original's words.
    let summary = r["stories"][0]["summary"].as_array().unwrap();
    assert!(summary
        .iter()
        .all(|s| !s["sentence"].as_str().unwrap().contains("officers stated")));
    let view: Vec<Value> = f["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            serde_json::json!({
                "article": origin_of(&m["article"]),
                "relation": m["relation"],
                "reason": m["evidence"]["reason"],
                "credit": m["evidence"]["credit"],
            })
        })
        .collect();
    insta::assert_json_snapshot!(view);
}

/// Two local reports written from one template (tests/fixtures/template): the same skeleton,
/// other names, ages, streets, days and hospitals. A spun copy keeps its original's names,
/// numbers, places and dates; a template fills them differently, so these are two families.
#[test]
fn reports_from_one_template_are_not_copies() {
    let r = report("tests/fixtures/template/");
    let families = r["families"].as_array().unwrap();
    assert_eq!(families.len(), 2, "{families:#?}");
}
