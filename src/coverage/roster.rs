//! The story's names: one entry per person or body, with its spellings and roles.
//!
//! Input: each family's articles (the original first), their [`Facts`] (name mentions with
//! roles), the story's [`People`] (spellings and short forms folded), which families are
//! synthetic, and the articles' outlets. Output: [`NameEntry`]s, most widely reported first.
//!
//! Names are read from each family's original only (its copies say the same, and a spun copy's
//! artefacts, "Green Port" for "Green Harbour", are no one's name), and not from a synthetic
//! family, which names no one on its own authority. What is not a name of a person
//! or body is left out: an outlet (the site or the wire it credits), a dateline's capitals
//! ("OSLAND (Kestrel Wire) —"), a demonym ("Ukrainian"), a role or common noun that opens a
//! sentence ("Firefighters", "Engineers", "Journal"). A role written into the name at a
//! sentence's start ("Entomologist Priya Castell", "Transport Minister Tomasz Welk") folds into
//! the person's entry as a role.

use std::collections::{HashMap, HashSet};

use super::facts::Facts;
use super::names::{People, ROLE_HEADS};
use super::{NameEntry, Piece};
use crate::text::{squash, WordSet};

/// Nouns that head an organisation's or a thing's name but are no name alone, and plural role
/// words that open sentences.
static NOT_NAMES: WordSet = WordSet::new(&[
    "journal",
    "university",
    "ministry",
    "department",
    "agency",
    "council",
    "court",
    "police",
    "government",
    "army",
    "party",
    "company",
    "committee",
    "office",
    "authority",
    "officials",
    "firefighters",
    "engineers",
    "police",
    "officers",
    "residents",
    "researchers",
    "scientists",
    "doctors",
    "nurses",
    "witnesses",
    "investigators",
    "authorities",
    "protesters",
    "voters",
    "workers",
    "students",
    "teachers",
    "parents",
    "volunteers",
    "organisers",
    "organizers",
    "crews",
    "rescuers",
    "troops",
    "soldiers",
    "lawmakers",
    "critics",
    "analysts",
    "experts",
    "officers",
    "prosecutors",
    "lawyers",
    "judges",
    "senators",
    "ministers",
    "leaders",
    "fans",
    "today",
    "yesterday",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]);

/// Demonyms and adjectives of nations and regions that news capitalises: not names.
pub(super) static DEMONYMS: WordSet = WordSet::new(&[
    "afghan",
    "african",
    "albanian",
    "algerian",
    "american",
    "arab",
    "arabian",
    "argentine",
    "argentinian",
    "armenian",
    "asian",
    "australian",
    "austrian",
    "azerbaijani",
    "belarusian",
    "belgian",
    "bosnian",
    "brazilian",
    "british",
    "bulgarian",
    "canadian",
    "chilean",
    "chinese",
    "colombian",
    "croatian",
    "cuban",
    "czech",
    "danish",
    "dutch",
    "egyptian",
    "emirati",
    "english",
    "estonian",
    "ethiopian",
    "european",
    "filipino",
    "finnish",
    "french",
    "georgian",
    "german",
    "greek",
    "hungarian",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "israeli",
    "italian",
    "japanese",
    "jordanian",
    "kazakh",
    "kenyan",
    "korean",
    "kurdish",
    "latvian",
    "lebanese",
    "libyan",
    "lithuanian",
    "malaysian",
    "mexican",
    "moldovan",
    "mongolian",
    "moroccan",
    "nigerian",
    "norwegian",
    "pakistani",
    "palestinian",
    "persian",
    "peruvian",
    "polish",
    "portuguese",
    "qatari",
    "romanian",
    "russian",
    "saudi",
    "scottish",
    "serbian",
    "slovak",
    "slovenian",
    "somali",
    "soviet",
    "spanish",
    "sudanese",
    "swedish",
    "swiss",
    "syrian",
    "taiwanese",
    "thai",
    "tunisian",
    "turkish",
    "ukrainian",
    "venezuelan",
    "vietnamese",
    "welsh",
    "western",
    "eastern",
    "northern",
    "southern",
    "yemeni",
    "democrat",
    "democrats",
    "republican",
    "republicans",
    "democratic",
]);

/// Words of the datelines the texts open paragraphs with ("ORRIN VALLEY (Kestrel Wire) —",
/// "OSLAND, Norway —"), as written.
fn dateline_words(pieces: &[Piece]) -> HashSet<String> {
    let mut out = HashSet::new();
    for p in pieces {
        for para in p.text.split('\n') {
            let para = para.trim_start();
            let Some(end) = para
                .char_indices()
                .take(60)
                .find(|&(_, c)| matches!(c, '(' | '\u{2014}' | '\u{2013}' | ','))
                .map(|(i, _)| i)
            else {
                continue;
            };
            let head = &para[..end];
            if head.chars().any(char::is_alphabetic) && !head.chars().any(char::is_lowercase) {
                out.extend(head.split_whitespace().map(str::to_string));
            }
        }
    }
    out
}

/// The outlets of a story's articles and those their credit lines name, squashed.
fn outlets(pieces: &[Piece]) -> HashSet<String> {
    let mut out: HashSet<String> = pieces.iter().filter_map(|p| p.outlet).map(squash).collect();
    for p in pieces {
        for re in crate::text::CREDIT.iter() {
            for c in re.captures_iter(p.text).take(3) {
                if let Some(m) = c.get(1) {
                    out.insert(squash(m.as_str()));
                }
            }
        }
    }
    out.retain(|o| o.len() >= 2);
    out
}

/// Names in the story, one entry per person or body.
pub fn entries(
    members: &[Vec<usize>],
    facts: &[Facts],
    people: &People,
    pieces: &[Piece],
    synthetic: &[bool],
) -> Vec<NameEntry> {
    struct Acc {
        variants: Vec<String>,
        roles: Vec<String>,
        mentions: usize,
        families: HashSet<usize>,
        first: usize,
    }
    let mut by_name: HashMap<String, Acc> = HashMap::new();
    let mut resolved: HashMap<&str, String> = HashMap::new();
    let mut seq = 0;
    for (f, m) in members.iter().enumerate() {
        // A synthesis names no one on its own authority.
        let Some(&i) = m.first().filter(|_| !synthetic[f]) else {
            continue;
        };
        for (_, mention) in &facts[i].names {
            let full = resolved
                .entry(mention.name.as_str())
                .or_insert_with(|| {
                    people
                        .resolve(&mention.name)
                        .unwrap_or_else(|| mention.name.clone())
                })
                .clone();
            seq += 1;
            let acc = by_name.entry(full.clone()).or_insert_with(|| Acc {
                variants: Vec::new(),
                roles: Vec::new(),
                mentions: 0,
                families: HashSet::new(),
                first: seq,
            });
            acc.mentions += 1;
            acc.families.insert(f);
            if mention.name != full
                && mention.name.contains(' ')
                && !acc.variants.contains(&mention.name)
                && acc.variants.len() < 6
            {
                acc.variants.push(mention.name.clone());
            }
            if let Some(r) = &mention.role {
                if !acc.roles.contains(r) && acc.roles.len() < 6 {
                    acc.roles.push(r.clone());
                }
            }
        }
    }
    // Words the story writes in lower case: a capitalised one of them opens a sentence
    // ("Firefighters battled", "Entomologist Priya Castell said") and is a word, not a name.
    let lower_words: HashSet<&str> = pieces
        .iter()
        .flat_map(|p| crate::text::words(p.text))
        .filter(|w| w.starts_with(char::is_lowercase))
        .collect();
    let is_word = |w: &str| {
        let l = w.to_lowercase();
        lower_words.contains(l.as_str()) || ROLE_HEADS.contains(&l.as_str())
    };
    // "Entomologist Priya Castell" and "Transport Minister Tomasz Welk" are Priya Castell and
    // Tomasz Welk with a role: fold a name into the longest entry its tail is, when the words
    // cut off are words of the story.
    let names: Vec<String> = by_name.keys().cloned().collect();
    for name in names {
        let words: Vec<&str> = name.split(' ').collect();
        let Some(cut) = (1..words.len().saturating_sub(1)).find(|&k| {
            words[..k].iter().all(|w| is_word(w)) && by_name.contains_key(&words[k..].join(" "))
        }) else {
            continue;
        };
        let into = words[cut..].join(" ");
        let role = words[..cut].join(" ").to_lowercase();
        let Some(acc) = by_name.remove(&name) else {
            continue;
        };
        let Some(t) = by_name.get_mut(&into) else {
            continue;
        };
        t.mentions += acc.mentions;
        t.families.extend(acc.families);
        t.first = t.first.min(acc.first);
        for r in std::iter::once(role).chain(acc.roles) {
            if !t.roles.contains(&r) && t.roles.len() < 6 {
                t.roles.push(r);
            }
        }
    }
    let outlets = outlets(pieces);
    let datelines = dateline_words(pieces);
    let mut v: Vec<(String, Acc)> = by_name
        .into_iter()
        .filter(|(n, a)| {
            let words: Vec<&str> = n.split(' ').collect();
            let lone = words.len() == 1;
            let lower = n.to_lowercase();
            // A lone capitalised word met once is as likely a word as a name, and one the
            // story also writes in lower case ("Firefighters" opening a sentence) is a word.
            let kept = !lone
                || !a.roles.is_empty()
                || (a.mentions >= 2 && !lower_words.contains(lower.as_str()));
            let capitals = !n.chars().any(char::is_lowercase);
            kept && !outlets.contains(&squash(n))
                && !(capitals && words.iter().all(|w| datelines.contains(*w)))
                && !(lone
                    && (NOT_NAMES.contains(&lower.as_str()) || DEMONYMS.contains(&lower.as_str())))
        })
        .collect();
    v.sort_by(|a, b| {
        b.1.families
            .len()
            .cmp(&a.1.families.len())
            .then(b.1.mentions.cmp(&a.1.mentions))
            .then(a.1.first.cmp(&b.1.first))
    });
    v.truncate(40);
    v.into_iter()
        .map(|(name, a)| NameEntry {
            name,
            variants: a.variants,
            roles: a.roles,
            mentions: a.mentions,
            independent_sources: a.families.len(),
        })
        .collect()
}
