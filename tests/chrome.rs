//! Flat-text pages with each kind of page chrome (tests/fixtures/chrome/), run through the real
//! binary: the article's paragraphs must be exactly the story's, with every chrome line cut, and
//! the extracted article is kept as a reviewed snapshot.

use assert_cmd::Command;
use serde_json::Value;

const FERRY: &[&str] = &[
    "The ferry between Carrow harbour and the island of Inishmor will start running again on Monday after six weeks in dry dock, the operator said on Friday.",
    "The vessel, the Grey Heron, was taken out of service in early May when a crew member noticed a crack in one of its propeller shafts.",
    "Islanders have relied on a smaller boat that carries only twelve passengers and no cars, and shop owners said deliveries had been slow.",
    "\"We have missed two lambing sales because we could not get the trailers across,\" farmer Eoin Tully said.",
    "The operator said the full summer timetable would apply from the first day, with four crossings a day.",
];

const MUSEUM: &[&str] = &[
    "The Holloway Glassworks Museum has been named museum of the year by the National Heritage Council, beating forty other entries from across the country.",
    "Judges praised the museum's live furnace demonstrations, which let visitors watch glassblowers shape vases and bowls from molten glass.",
    "The museum opened in 2016 in a former bottle factory and now welcomes around 90,000 visitors a year.",
    "Director Ines Varga said the prize money of 50,000 would pay for a new education room for school groups.",
];

const LANES: &[&str] = &[
    "Councillors in Brennock voted on Tuesday to build protected cycle lanes along the length of Mill Road, ending a two-year argument over the busy street.",
    "The plan passed by nine votes to four after a debate that lasted almost three hours.",
    "Shop owners had warned that removing forty parking spaces would hurt trade, but the council agreed to add a loading bay outside the market.",
    "Work is due to start in September and should take about five months.",
];

fn article(fixture: &str) -> Value {
    let path = format!("tests/fixtures/chrome/{fixture}.txt");
    let out = Command::cargo_bin("storyline")
        .unwrap()
        .args(["analyze", &path])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["articles"].as_array().unwrap().len(), 1);
    report["articles"][0].clone()
}

fn paragraphs(a: &Value) -> Vec<String> {
    a["text"]
        .as_str()
        .unwrap()
        .split("\n\n")
        .map(str::to_string)
        .collect()
}

fn reasons(a: &Value) -> Vec<String> {
    a["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect()
}

/// The parts of an article a reviewer checks, in a stable order.
fn view(a: &Value) -> Value {
    serde_json::json!({
        "title": a["title"], "authors": a["authors"], "outlet": a["outlet"], "published": a["published"],
        "language": a["language"], "paragraphs": paragraphs(a), "removed": a["removed"],
    })
}

#[test]
fn menus_and_skip_link() {
    let a = article("menus-and-skip-link");
    assert_eq!(paragraphs(&a), FERRY);
    assert_eq!(
        a["title"],
        "Ferry service to Inishmor resumes after six-week repair"
    );
    assert!(reasons(&a).contains(&"skip link".to_string()));
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn byline_with_several_people_and_an_outlet() {
    let a = article("byline-with-outlet");
    let want: Vec<&str> = FERRY
        .iter()
        .copied()
        .filter(|p| !p.contains("lambing"))
        .collect();
    assert_eq!(paragraphs(&a), want);
    assert_eq!(
        a["authors"],
        serde_json::json!(["Siobhan Kerr", "Declan Moy", "Aoife Brandt"])
    );
    assert_eq!(a["outlet"], "Carrow Island Times");
    assert_eq!(a["published"], "2024-06-14");
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn copyright_footer() {
    let a = article("copyright-footer");
    assert_eq!(paragraphs(&a), MUSEUM);
    assert_eq!(a["outlet"], "Holloway Evening News");
    assert!(reasons(&a).contains(&"copyright".to_string()));
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn comment_section() {
    let a = article("comment-prompts");
    assert_eq!(paragraphs(&a), MUSEUM);
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn related_and_similar_articles() {
    let a = article("related-articles");
    assert_eq!(paragraphs(&a), LANES);
    assert_eq!(a["title"], "Council approves new cycle lanes on Mill Road");
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn row_of_language_names() {
    let a = article("language-row");
    assert_eq!(paragraphs(&a), LANES);
    assert!(reasons(&a).contains(&"language switcher".to_string()));
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn masthead_and_dateline() {
    let a = article("masthead");
    assert_eq!(paragraphs(&a), LANES);
    assert_eq!(a["title"], "Council approves new cycle lanes on Mill Road");
    assert_eq!(a["published"], "2024-03-06");
    insta::assert_json_snapshot!(view(&a));
}

#[test]
fn headline_printed_twice_and_subheadings_kept() {
    let a = article("headline-twice-and-subheadings");
    let mut want: Vec<&str> = FERRY.to_vec();
    want.insert(2, "What islanders faced");
    want.insert(5, "What happens next");
    assert_eq!(paragraphs(&a), want);
    assert_eq!(
        a["title"],
        "Ferry service to Inishmor resumes after six-week repair"
    );
    assert_eq!(a["outlet"], "Carrow Island Times");
    insta::assert_json_snapshot!(view(&a));
}
