//! The `copies` stage: groups articles into families of copies, names each family's original,
//! and says how every other member relates to it, with the evidence.
//!
//! Input: articles in arrival order (text and a little metadata). Output: [`Update`]s, each the
//! current family and [`Member`] record of an article; a later update of the same article
//! replaces an earlier one (when a better original arrives, or two families turn out to be
//! one).
//!
//! Copies are found in two steps (see DESIGN.md):
//! 1. Candidates: the sampled skeleton keys of [`doc`] looked up in the [`index`] — sub-linear
//!    per article, and robust to synonym spinning and to copies that keep only part of a text.
//!    Shared keys are counted per family; the index holds originals' keys and the keys each
//!    copy alone brought to its family. Exact copies are found first by the hash of their
//!    normalised text.
//! 2. Verification: in-order sentence alignment ([`align`]) of the article with the best
//!    candidate of each nearby family. Its result decides copy or not, the relation
//!    (`near_duplicate`, `spun`, `rewrite`) and is the evidence.
//!
//! The original ([`original`]) is decided over the whole family each time a member joins:
//! credit lines (a member's own, and other members' credits naming its outlet), then the
//! earliest date, then content (the text the others were cut from) and fluency. The engine
//! holds per article only its keys (eight bytes each, fewer for copies), its metadata and its
//! family; texts come
//! from a [`TextSource`], which may also keep a founder's tokens ([`doc::Doc::form`]) so that
//! verification does not split its text again, and the tokens of recent founders stay in a
//! fixed amount of memory. `analyze` runs one engine over the batch; `ingest` keeps copy keys
//! in the store and replays only the families an arriving article may join.
//!
//! Where each part lives: this file holds the stage's types (relations, members, families) and
//! its batch entry point ([`detect`]); [`engine`] places an arriving article, [`family`]
//! decides originals and relations within a family, [`texts`] keeps the texts compared with,
//! [`doc`] reads a text into tokens and keys, [`index`] finds candidates by key, [`align`]
//! verifies a pair, [`original`] weighs the evidence for an original.

pub mod align;
pub mod doc;
mod engine;
mod family;
pub mod index;
pub mod original;
mod texts;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::text;
use align::{align, Alignment, Kind};
use doc::Doc;
use engine::*;
pub use engine::{Engine, Stats, Update};
use index::KeyIndex;
pub use original::{Fluency, Meta, Provenance};
pub use texts::{FileTexts, MemTexts, TextSource};

/// How a member of a family relates to the family's original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Original,
    Exact,
    NearDuplicate,
    Spun,
    Rewrite,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Original => "original",
            Relation::Exact => "exact",
            Relation::NearDuplicate => "near_duplicate",
            Relation::Spun => "spun",
            Relation::Rewrite => "rewrite",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        [
            Relation::Original,
            Relation::Exact,
            Relation::NearDuplicate,
            Relation::Spun,
            Relation::Rewrite,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One member of a family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub article: String,
    pub relation: Relation,
    pub similarity: f64,
    pub evidence: serde_json::Value,
}

/// A family of copies: one report and its republications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub original: String,
    pub members: Vec<Member>,
}

/// A family's id: derived from the article that founded it, so it is stable across runs.
pub fn family_id(founder_article: &str) -> String {
    text::hex_id(text::hash64(
        format!("family\0{founder_article}").as_bytes(),
    ))
}

/// Keys a candidate must share with a newcomer to be verified: one for a text too short to
/// have more, then more as texts grow (a long text shares two or three keys with many
/// unrelated ones by chance; a copy of it shares a good part of its keys).
pub fn copies_needed(keys: usize) -> u32 {
    match keys {
        0..=3 => 1,
        4..=23 => 2,
        _ => 3,
    }
}

pub fn original_member(article: &str, reason: original::Reason) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Original,
        similarity: 1.0,
        evidence: serde_json::json!({ "reason": reason.as_str() }),
    }
}

pub fn exact_member(article: &str, original: &str) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Exact,
        similarity: 1.0,
        evidence: serde_json::json!({
            "reason": "same main text as the original once normalised",
            "original": original,
            "similarity": 1.0,
            "containment": 1.0,
        }),
    }
}

/// What the original choice reads of an article.
pub fn meta_of(a: &crate::extract::Article) -> Meta {
    Meta {
        id: a.id.clone(),
        published: a.published.clone(),
        outlet: a.outlet.clone(),
        url: a.url.clone(),
        text_hash: a.text_hash(),
    }
}

/// The order in which a batch's articles are given to the engine: as a stream would have
/// delivered them, dated articles by publication time, then undated ones, each in input order.
/// A copy then usually finds its original's family already there, instead of founding a
/// family of its own (or joining a related report's) that the original must sort out later.
pub fn arrival_order<'a>(published: impl Iterator<Item = Option<&'a str>>) -> Vec<usize> {
    let keys: Vec<Option<&str>> = published.collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| (keys[i].is_none(), keys[i]));
    order
}

/// Runs copy detection over a batch in memory: each article's family id, and the families
/// (in order of their first member; the original first, then members in arrival order).
pub fn detect(items: &[(Meta, String)]) -> (Vec<String>, Vec<Family>) {
    let mut engine = Engine::new(MemTexts::default());
    for (_, t) in items {
        engine.observe(t);
    }
    let order = arrival_order(items.iter().map(|(m, _)| m.published.as_deref()));
    for &i in &order {
        let (m, t) = &items[i];
        engine.add(m.clone(), t);
    }
    engine.settle();
    let mut last: Vec<Option<(String, Member)>> = vec![None; items.len()];
    for u in engine.take_updates() {
        last[order[u.slot as usize]] = Some((u.family, u.member));
    }
    let mut order: Vec<String> = Vec::new();
    let mut fams: HashMap<String, Family> = HashMap::new();
    let mut family_of = Vec::with_capacity(items.len());
    for (slot, entry) in last.into_iter().enumerate() {
        let (fid, member) = entry.unwrap_or_else(|| {
            let id = items[slot].0.id.clone();
            (
                family_id(&id),
                original_member(&id, original::Reason::FirstSeen),
            )
        });
        family_of.push(fid.clone());
        let fam = fams.entry(fid.clone()).or_insert_with(|| {
            order.push(fid.clone());
            Family {
                id: fid.clone(),
                original: String::new(),
                members: Vec::new(),
            }
        });
        if member.relation == Relation::Original {
            fam.original = member.article.clone();
            fam.members.insert(0, member);
        } else {
            fam.members.push(member);
        }
    }
    let families = order
        .into_iter()
        .filter_map(|id| fams.remove(&id))
        .collect();
    (family_of, families)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Crews reopened the Harwick tunnel on Monday after three weeks of repairs \
        to its ventilation shafts. The county engineer, Mara Voss, said the work came in under its \
        budget of six million dollars. Drivers had used a detour through the hill villages since \
        the start of the month. \"We are proud of the crews who worked through the night,\" Voss \
        said. A second phase of work on the lighting is planned for the spring.";
    /// An independent report of the same event: its own sentences, one shared quote.
    const OTHER: &str = "The Harwick tunnel is open again, to the relief of commuters who spent \
        most of the month on narrow village roads. \"We are proud of the crews who worked through \
        the night,\" Voss said. Local shop owners on the detour said trade had doubled and would \
        now fall back. The tunnel carries about forty thousand vehicles on a working day.";
    const QUOTE: &str = "\"We are proud of the crews who worked through the night,\" county \
        engineer Mara Voss said on Monday as the tunnel reopened to traffic.";

    fn meta(id: &str, published: Option<&str>, text: &str) -> Meta {
        Meta {
            id: id.into(),
            published: published.map(String::from),
            outlet: None,
            url: None,
            text_hash: text::hash64(text.as_bytes()),
        }
    }

    fn run(items: &[(&str, Option<&str>, &str)]) -> HashMap<String, String> {
        let items: Vec<(Meta, String)> = items
            .iter()
            .map(|(id, p, t)| (meta(id, *p, t), t.to_string()))
            .collect();
        let (family_of, _) = detect(&items);
        items
            .iter()
            .zip(family_of)
            .map(|((m, _), f)| (m.id.clone(), f))
            .collect()
    }

    #[test]
    fn a_trimmed_copy_joins_even_when_it_arrives_first() {
        let trimmed: String = WIRE.split(". ").take(3).collect::<Vec<_>>().join(". ") + ".";
        let f = run(&[("copy", None, &trimmed), ("wire", None, WIRE)]);
        assert_eq!(f["copy"], f["wire"]);
    }

    #[test]
    fn a_shared_quote_does_not_chain_independent_reports() {
        // The quote-only text is contained in both reports; it may join either, but the
        // independent report must not follow it into the wire's family.
        let f = run(&[
            ("wire", None, WIRE),
            ("quote", None, QUOTE),
            ("other", None, OTHER),
        ]);
        assert_ne!(f["wire"], f["other"]);
        let f = run(&[
            ("quote", None, QUOTE),
            ("wire", None, WIRE),
            ("other", None, OTHER),
        ]);
        assert_ne!(f["wire"], f["other"]);
    }

    #[test]
    fn copies_add_to_the_index_only_the_keys_their_family_lacks() {
        let local = "The county council will vote on the lighting budget at its meeting on \
            Thursday evening in the old library. Residents may speak for three minutes each at \
            the start of that meeting, the clerk said.";
        // Trimmed, with a local paragraph: neither text holds the other, and the wire stays
        // the original.
        let trimmed = WIRE.split(". ").take(4).collect::<Vec<_>>().join(". ") + ".";
        let with_local = format!("{trimmed}\n{local}");
        let mut engine = Engine::new(MemTexts::default());
        let add = |engine: &mut Engine<MemTexts>, id: &str, text: &str, at: &str| {
            engine.add(meta(id, Some(at), text), text);
        };
        add(&mut engine, "wire", WIRE, "2024-03-01T08:00:00Z");
        let wire_keys = Doc::new(WIRE).keys().len();
        assert_eq!(engine.index.postings_held(), wire_keys);
        // Exact copies bring nothing; a copy with a local paragraph brings the keys of the
        // text around the shared part, not the shared part's again.
        add(&mut engine, "again", WIRE, "2024-03-01T09:00:00Z");
        add(&mut engine, "local", &with_local, "2024-03-01T10:00:00Z");
        let held = engine.index.postings_held();
        assert!(held > wire_keys, "{held}");
        assert!(
            held < wire_keys + Doc::new(&with_local).keys().len(),
            "{held}"
        );
        assert_eq!(engine.fams.len(), 1);
        assert_eq!(engine.fams[0].members.len(), 3);
        assert_eq!(engine.fams[0].original, 0);
    }

    #[test]
    fn an_original_that_arrived_as_a_copy_is_found_by_its_own_keys() {
        // The wire arrives after a trimmed copy and takes its family over as its original
        // (the text the other is cut from);
        // a later copy of the part the trimmed one lacks must still find the family.
        let wire = format!(
            "{WIRE} The tunnel was first opened in 1962 and was last closed for a month in \
             1998, when its drainage was rebuilt. Engineers expect the new fans to last for \
             thirty years with one overhaul in the middle. The county will publish a report \
             on the cost of the closure to local businesses before the summer. Bus routes that \
             were moved to the detour return to their usual stops on Wednesday morning."
        );
        let sentences: Vec<&str> = wire.split(". ").collect();
        let head = sentences[..3].join(". ") + ".";
        let tail = sentences[4..].join(". ");
        let f = run(&[
            ("head", None, &head),
            ("wire", None, &wire),
            ("tail", None, &tail),
        ]);
        assert_eq!(f["head"], f["wire"]);
        assert_eq!(f["tail"], f["wire"]);
    }

    #[test]
    fn batches_are_given_to_the_engine_in_publication_order() {
        let order = arrival_order(
            [Some("2024-03-02"), None, Some("2024-03-01T10:00:00Z"), None].into_iter(),
        );
        assert_eq!(order, [2, 0, 1, 3]);
    }

    #[test]
    fn file_texts_keep_texts_and_forms_and_the_engine_reads_them() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut texts = FileTexts::create(&dir.path().join("texts")).expect("a texts file");
        let a = texts.push("First text.");
        texts.keep_bytes(a, b"form of a");
        let b = texts.push("Second text, no form.");
        // A form is kept only right after its own text.
        texts.keep_bytes(a, b"late");
        assert_eq!(texts.get(a), "First text.");
        assert_eq!(texts.form(a).as_deref(), Some(&b"form of a"[..]));
        assert_eq!(
            (texts.get(b).as_ref(), texts.form(b)),
            ("Second text, no form.", None)
        );
        assert_eq!(texts.get(99), "");
        assert!(texts.error().is_none());

        // The engine on a file finds the same families as in memory.
        let original = "Officials in the eastern province said on Tuesday that the bridge would \
            reopen next week after repairs. The work cost 4 million dollars, according to Mayor \
            Ana Ruiz, who spoke to reporters at the site. Traffic had been diverted through two \
            villages for most of the summer.";
        let spun = original
            .replace("said", "stated")
            .replace("eastern", "japanese")
            .replace("repairs", "fixes");
        let mut engine = Engine::new(FileTexts::create(&dir.path().join("e")).expect("a file"));
        engine.add(meta("a", None, original), original);
        engine.add(meta("b", None, &spun), &spun);
        let updates = engine.take_updates();
        let last = updates.last().expect("an update");
        assert_eq!(last.family, updates[0].family, "{updates:?}");
        assert!(engine.texts().error().is_none());
    }

    #[test]
    fn degenerate_corpora_give_sensible_families() {
        let huge = WIRE.repeat(400);
        let mostly_one_line = format!(
            "{}\n{WIRE}",
            "Subscribe to our newsletter today.\n".repeat(90)
        );
        let f = run(&[
            ("empty", None, ""),
            ("word", None, "tunnel"),
            ("huge", None, &huge),
            ("lines", None, &mostly_one_line),
            ("wire", None, WIRE),
        ]);
        assert_ne!(f["empty"], f["wire"]);
        assert_ne!(f["word"], f["wire"]);
        assert_eq!(f["lines"], f["wire"]);
        // Every article identical: one family, whatever the count.
        let same: Vec<(String, Option<&str>, &str)> =
            (0..300).map(|i| (format!("a{i}"), None, WIRE)).collect();
        let same: Vec<(&str, Option<&str>, &str)> =
            same.iter().map(|(i, p, t)| (i.as_str(), *p, *t)).collect();
        let f = run(&same);
        assert!(f.values().all(|x| *x == f["a0"]));
    }

    /// Sentences of random structure (seeded): texts whose skeletons share nothing by design.
    fn random_text(seed: u64, sentences: usize) -> String {
        const WORDS: &[&str] = &[
            "the", "of", "a", "to", "in", "was", "that", "by", "with", "from", "river", "Oslen",
            "council", "17", "harbour", "quietly", "signed", "market", "Brenna", "winter",
            "lanterns", "voted", "2031", "ferry", "copper", "noted",
        ];
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..sentences)
            .map(|_| {
                let n = 12 + next() % 8;
                let words: Vec<&str> = (0..n)
                    .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                    .collect();
                let mut s = words.join(" ");
                s[..1].make_ascii_uppercase();
                s + "."
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn keys_held_by_many_articles_do_not_make_a_candidate() {
        // A boilerplate paragraph ten unrelated articles carry: sharing it singles out none of
        // them, and no family is verified for it; a copy of one of them still is.
        let boiler = "This report was prepared with material from the regional press office, \
            which is not responsible for its content. Readers who wish to correct an error may \
            write to the desk at any time of the day, and every letter is answered within a \
            week of its arrival by one of the editors on duty.";
        let mut engine = Engine::new(MemTexts::default());
        let texts: Vec<String> = (0..10)
            .map(|i| format!("{}\n{boiler}", random_text(i, 5)))
            .collect();
        for (i, t) in texts.iter().enumerate() {
            engine.add(meta(&format!("a{i}"), None, t), t);
        }
        assert_eq!(engine.fams.len(), 10);
        let before = engine.stats.families_verified;
        let newcomer = format!("{}\n{boiler}", random_text(99, 5));
        engine.add(meta("new", None, &newcomer), &newcomer);
        assert_eq!(engine.stats.families_verified, before);
        assert_eq!(engine.fams.len(), 11);
        // A copy of a3 with its last sentence dropped: a3's own keys single it out.
        let copy = texts[3].replacen(". ", ".\n", 1);
        let copy = copy
            .rsplit_once(". Readers")
            .map_or(copy.clone(), |(a, _)| a.to_string());
        engine.add(meta("copy", None, &copy), &copy);
        assert_eq!(engine.fam_of[11], engine.fam_of[3]);
    }

    #[test]
    fn a_family_replayed_with_many_members_stays_findable() {
        // A store replays up to 24 members of a family, each with all its keys: a key they
        // share is held by one family, however many of its members hold it.
        let mut engine = Engine::new(MemTexts::default());
        for i in 0..12 {
            let text = WIRE.replace("three weeks", &format!("{} weeks", i + 3));
            engine.restore(
                meta(&format!("m{i}"), None, &text),
                &text,
                "wire-family",
                i == 0,
            );
        }
        let text = WIRE.replace("three weeks", "40 weeks");
        let slot = engine.add(meta("new", None, &text), &text);
        assert_eq!(
            engine.fams[engine.fam_of[slot as usize] as usize].id,
            "wire-family"
        );
    }
}
