//! Names: name-like spans in a text, the roles written beside them, and how the mentions of
//! one story link up.
//!
//! Input: sentences. Output: [`Mention`]s (a capitalised run of words, with the role written
//! before it, "Defense Minister Rustem Umerov", "Ukraine's chief negotiator Rustem Umerov",
//! or after it in apposition, "Rustem Umerov, the defense minister,") and, over a story, the
//! [`People`] index: full names by surname, so that "Umerov said" reads as Rustem Umerov.
//!
//! Spelling and transliteration variants ("Andriy"/"Andrii", "Zelensky"/"Zelenskyy") are
//! recognised by [`same_name`]: names folded to a rough phonetic key (diacritics, y/i/j, doubled
//! letters, "kh"/"h" folded) that are equal or one or two edits apart.

use crate::text::WordSet;
use std::collections::HashMap;

use super::attribution::tokenize;

/// A name as written in a sentence, with its role where one is written beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The name without honorific or role: "Rustem Umerov".
    pub name: String,
    /// The role as written, lower-cased: "defense minister", "former president".
    pub role: Option<String>,
    /// Byte offsets of the name in the sentence.
    pub start: usize,
    pub end: usize,
    /// Written with an honorific (Mr., Ms., Dr.) or a role: surely a person.
    pub person: bool,
}

static HONORIFICS: WordSet =
    WordSet::new(&["mr", "mrs", "ms", "dr", "prof", "sir", "dame", "madam"]);

/// Words that end a role ("minister" in "defense minister").
pub static ROLE_HEADS: WordSet = WordSet::new(&[
    "president",
    "minister",
    "secretary",
    "governor",
    "senator",
    "mayor",
    "chancellor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "commander",
    "director",
    "negotiator",
    "ambassador",
    "judge",
    "justice",
    "officer",
    "sheriff",
    "coach",
    "captain",
    "general",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
    "leader",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rep",
    "representative",
    "sen",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "insp",
    "det",
    "supt",
    "detective",
    "inspector",
    "superintendent",
    "commissioner",
    "prosecutor",
    "attorney",
    "lawyer",
    "councillor",
    "councilman",
    "councilwoman",
    "councilor",
    "premier",
    "dean",
    "professor",
    "founder",
    "head",
    "manager",
    "editor",
    "correspondent",
    "analyst",
    "economist",
    "official",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "deputy",
    "vice-president",
    "speaker",
    "marshal",
    "admiral",
    "colonel",
    "sergeant",
    "lieutenant",
    "major",
    "bishop",
    "archbishop",
    "rabbi",
    "imam",
    "father",
    "reverend",
    "pastor",
    "candidate",
    "nominee",
    "executive",
    "administrator",
    "warden",
    "constable",
    "auditor",
    "treasurer",
    "clerk",
    "principal",
    "investigator",
    "physician",
    "doctor",
    "researcher",
    "scientist",
    "spokesperson",
]);

/// Words that may stand in a role before its head ("former", "acting", "chief").
static ROLE_MODIFIERS: WordSet = WordSet::new(&[
    "former",
    "acting",
    "deputy",
    "vice",
    "interim",
    "chief",
    "senior",
    "top",
    "ex",
    "late",
    "then",
    "current",
    "outgoing",
    "incoming",
    "assistant",
    "associate",
    "lead",
    "executive",
    "general",
    "foreign",
    "defense",
    "defence",
    "interior",
    "finance",
    "health",
    "prime",
    "state",
    "police",
    "fire",
    "county",
    "city",
    "district",
    "regional",
    "national",
    "federal",
    "press",
    "managing",
    "attorney",
    "secretary",
    "presidential",
    "democratic",
    "republican",
]);

/// Modifiers that change what a role says about the person now: "President" and "former
/// President" cannot both be true.
pub static TENSE_MODIFIERS: WordSet =
    WordSet::new(&["former", "ex", "acting", "interim", "late", "then"]);

/// Capitalised words that do not make a name by themselves.
static NOT_NAMES: WordSet = WordSet::new(&[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "if",
    "as",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "our",
    "its",
    "after",
    "before",
    "when",
    "while",
    "for",
    "with",
    "from",
    "by",
    "to",
    "of",
    "so",
    "yet",
    "also",
    "some",
    "many",
    "most",
    "all",
    "no",
    "not",
    "one",
    "two",
    "three",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "meanwhile",
    "however",
    "still",
    "now",
    "then",
    "here",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tomorrow",
    "according",
    "earlier",
    "later",
    "last",
    "next",
    "every",
    "each",
    "both",
    "such",
    "because",
    "although",
    "though",
    "since",
    "until",
    "about",
    "my",
    "me",
    "us",
    "him",
    "them",
    "do",
    "does",
    "did",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "said",
    "says",
    "told",
    "mr",
    "mrs",
    "ms",
    "dr",
]);

static CONNECTORS: WordSet = WordSet::new(&[
    "de", "van", "von", "der", "bin", "al", "da", "di", "la", "le", "del", "dos", "du", "ibn",
]);

fn is_cap(w: &str) -> bool {
    let mut c = w.chars();
    c.next().is_some_and(char::is_uppercase) && w.chars().any(char::is_alphabetic)
}

fn lower(w: &str) -> String {
    w.to_lowercase()
}

/// Name mentions in one sentence.
pub fn mentions(sentence: &str) -> Vec<Mention> {
    Tokens::new(sentence).mentions()
}

/// A sentence's tokens, as written and lower-cased, shared by the rules that read it.
pub struct Tokens<'s> {
    pub sentence: &'s str,
    pub spans: Vec<(usize, usize)>,
    pub raw: Vec<&'s str>,
    pub low: Vec<String>,
}

impl<'s> Tokens<'s> {
    pub fn new(sentence: &'s str) -> Self {
        let spans = tokenize(sentence);
        let raw: Vec<&str> = spans.iter().map(|&(s, e)| &sentence[s..e]).collect();
        let low = raw.iter().map(|w| lower(w)).collect();
        Tokens {
            sentence,
            spans,
            raw,
            low,
        }
    }

    /// Name mentions of the sentence.
    pub fn mentions(&self) -> Vec<Mention> {
        mentions_in(self.sentence, &self.spans, &self.raw, &self.low)
    }
}

fn mentions_in(
    sentence: &str,
    toks: &[(usize, usize)],
    raw: &[&str],
    low: &[String],
) -> Vec<Mention> {
    let mut out = Vec::new();
    // A role as written: the words of a token range, lower-cased, spaced as in the text.
    let role_text = |a: usize, b: usize| join_tokens(sentence, &toks[a..b]).to_lowercase();
    let mut i = 0;
    while i < raw.len() {
        if !is_cap(raw[i]) {
            i += 1;
            continue;
        }
        // A run of capitalised words, initials ("H."), connectors between capitals, and
        // hyphenated parts.
        let start = i;
        let mut j = i;
        while j < raw.len() {
            let w = raw[j];
            if is_cap(w) && !(w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase())) {
                j += 1;
                if j < raw.len() && raw[j] == "." && raw[j - 1].chars().count() == 1 {
                    j += 1; // an initial
                }
            } else if (CONNECTORS.contains(&low[j].as_str())
                && j + 1 < raw.len()
                && is_cap(raw[j + 1])
                && j > start)
                || HONORIFICS.contains(&low[j].as_str())
            {
                j += 1;
            } else {
                break;
            }
        }
        if j == start {
            // An all-capitals word (an acronym or a shouted name) stands alone.
            out.extend(acronym(raw, toks, i));
            i += 1;
            continue;
        }
        let mut a = start;
        let mut person = false;
        let mut role_words: Vec<String> = Vec::new();
        // Leading function words ("The", "In") and honorifics, and leading role words.
        while a < j {
            let l = low[a].as_str();
            if HONORIFICS.contains(&l) {
                person = true;
                a += 1;
                if a < j && raw[a] == "." {
                    a += 1;
                }
            } else if NOT_NAMES.contains(&l) || raw[a] == "." {
                a += 1;
            } else {
                break;
            }
        }
        // Role words at the front of the run: "Defense Minister Rustem Umerov".
        let last_head = (a..j)
            .rev()
            .find(|&k| ROLE_HEADS.contains(&low[k].as_str()));
        if let Some(h) = last_head {
            // "Deputy Transport Minister": role words, and the capitalised words of what
            // the role is of, up to its head.
            let role_like = |k: usize| is_role_word(&low[k]) || (k < h && is_cap(raw[k]));
            if h + 1 < j && h - a < 5 && (a..=h).all(role_like) {
                role_words = vec![role_text(a, h + 1)];
                person = true;
                a = h + 1;
                while a < j && raw[a] == "." {
                    a += 1;
                }
            }
        }
        // Trailing connectors or points are not part of the name.
        let mut b = j;
        while b > a && raw[b - 1] == "." {
            b -= 1;
        }
        // Nor connectors, nor a weekday or month the run ran into ("Cheeks Saturday").
        while b > a
            && (CONNECTORS.contains(&low[b - 1].as_str())
                || (b - 1 > a && NOT_NAMES.contains(&low[b - 1].as_str())))
        {
            b -= 1;
        }
        // A lone capitalised word opening the sentence may be any word ("Talks were held").
        let opens_sentence = (0..a).all(|k| !raw[k].chars().any(char::is_alphanumeric));
        let lone = b - a == 1 && !person;
        if b > a
            && !(b - a == 1 && NOT_NAMES.contains(&low[a].as_str()))
            && !(lone && opens_sentence)
        {
            // Role written before the run in lower case: "chief negotiator Rustem Umerov",
            // "Ukraine's former president Viktor Yushchenko".
            if role_words.is_empty() {
                role_words = role_before(low, raw, start)
                    .map(|k| vec![role_text(k, start)])
                    .unwrap_or_default();
                if !role_words.is_empty() {
                    person = true;
                }
            }
            let mut role = (!role_words.is_empty()).then(|| role_words.join(" "));
            if role.is_none() {
                role = apposition(low, raw, b).map(|(x, y)| role_text(x, y));
                person |= role.is_some();
            }
            let name = join_tokens(sentence, &toks[a..b]);
            if name.chars().any(char::is_alphabetic) {
                out.push(Mention {
                    name,
                    role,
                    start: toks[a].0,
                    end: toks[b - 1].1,
                    person,
                });
            }
        }
        i = j.max(i + 1);
    }
    out
}

fn acronym(raw: &[&str], toks: &[(usize, usize)], i: usize) -> Option<Mention> {
    let w = raw[i];
    let n = w.chars().count();
    ((2..=6).contains(&n) && w.chars().all(|c| c.is_uppercase())).then(|| Mention {
        name: w.to_string(),
        role: None,
        start: toks[i].0,
        end: toks[i].1,
        person: false,
    })
}

fn is_role_word(l: &str) -> bool {
    ROLE_HEADS.contains(&l) || ROLE_MODIFIERS.contains(&l) || l == "-"
}

/// Lower-case role words right before a name ("chief negotiator Rustem Umerov"): the token
/// where the role starts.
fn role_before(low: &[String], raw: &[&str], start: usize) -> Option<usize> {
    let mut k = start;
    let mut head = false;
    while k > 0 && start - k < 5 {
        let l = low[k - 1].as_str();
        if is_role_word(l) && (!is_cap(raw[k - 1]) || ROLE_HEADS.contains(&l)) {
            head |= ROLE_HEADS.contains(&l);
            k -= 1;
        } else {
            break;
        }
    }
    (head && k < start).then_some(k)
}

/// A role in apposition after a name (", the defense minister," / ", a spokesperson for X,"):
/// its token range without the article.
fn apposition(low: &[String], raw: &[&str], end: usize) -> Option<(usize, usize)> {
    if raw.get(end) != Some(&",") {
        return None;
    }
    let mut k = end + 1;
    while k < raw.len() && k - end <= 8 {
        if matches!(raw[k], "," | "." | ";" | ":" | "\u{2014}" | "(" | ")") {
            break;
        }
        k += 1;
    }
    let closed = k < raw.len() && matches!(raw[k], "," | "." | ";" | "\u{2014}");
    let words = &low[end + 1..k];
    let first = words.first()?.as_str();
    let head = words
        .iter()
        .position(|w| ROLE_HEADS.contains(&w.as_str()))?;
    let lead_ok = matches!(first, "the" | "a" | "an") || is_role_word(first) || head == 0;
    if !closed || !lead_ok {
        return None;
    }
    let skip = usize::from(matches!(first, "the" | "a" | "an"));
    Some((end + 1 + skip, k))
}

fn join_tokens(s: &str, toks: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut last_end = None;
    for &(a, b) in toks {
        if let Some(e) = last_end {
            if a > e {
                out.push(' ');
            }
        }
        out.push_str(&s[a..b]);
        last_end = Some(b);
    }
    out
}

/// A name folded for comparison of spellings: lower case, no diacritics, and the letters that
/// transliterations swap made one.
pub fn fold_name(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ů' => 'u',
            'ý' | 'ÿ' | 'y' | 'j' => 'i',
            'ç' | 'ć' | 'č' => 'c',
            'ñ' | 'ń' => 'n',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ř' => 'r',
            c => c,
        };
        for l in c.to_lowercase() {
            if l.is_alphabetic() {
                s.push(l);
            }
        }
    }
    let s = s.replace("kh", "h").replace("ck", "k").replace("ph", "f");
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        // Doubled letters count once; an "h" not before a vowel, or after a consonant, is
        // silent ("John"/"Jon", "Thomas"/"Tomas").
        let before_vowel = chars.get(i + 1).is_some_and(|n| "aeiou".contains(*n));
        let after_consonant = i > 0 && !"aeiou".contains(chars[i - 1]);
        if out.ends_with(c) || (c == 'h' && i > 0 && (!before_vowel || after_consonant)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Common English short forms of given names.
const NICKNAMES: &[&[&str]] = &[
    &["william", "bill", "billy", "will", "willie"],
    &["robert", "bob", "bobby", "rob", "robbie"],
    &["richard", "rick", "dick", "rich", "ricky"],
    &["james", "jim", "jimmy", "jamie"],
    &["michael", "mike", "mick", "mickey"],
    &["edward", "ed", "ted", "eddie", "ned"],
    &["charles", "chuck", "charlie"],
    &["elizabeth", "liz", "beth", "betty", "lizzie"],
    &["margaret", "maggie", "peggy", "meg"],
    &["katherine", "catherine", "kate", "katie", "cathy", "kathy"],
    &["anthony", "tony"],
    &["lawrence", "larry"],
    &["gerald", "jerry"],
    &["henry", "hank", "harry"],
    &["john", "jack", "johnny"],
    &["joseph", "joe", "joey"],
    &["thomas", "tom", "tommy"],
    &["andrew", "andy", "drew"],
    &["patricia", "pat", "trish", "patty"],
    &["susan", "sue", "suzy"],
    &["deborah", "debbie", "deb"],
    &["rebecca", "becky"],
    &["alexander", "sasha", "alex"],
    &["ioannis", "giannis", "yiannis", "john"],
    &["elias", "ilias"],
    &["stephen", "steven", "steve"],
];

fn nicknames(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    NICKNAMES
        .iter()
        .any(|set| set.contains(&a.as_str()) && set.contains(&b.as_str()))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether two written names are spellings of one name: equal after folding, or close for
/// their length (one edit in five letters, two in ten).
pub fn same_name(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold_name(a), fold_name(b));
    if fa == fb {
        return true;
    }
    if nicknames(a, b) {
        return true;
    }
    let len = fa.chars().count().min(fb.chars().count());
    if len < 4 {
        return false;
    }
    // A shared start matters: "Andrii"/"Andriy" yes, "Oleksandr"/"Olena" no; but a long name
    // may differ in its first letter alone ("Giannis"/"Yiannis", "Elias"/"Ilias").
    if fa.chars().next() != fb.chars().next() {
        return len >= 5 && fa.chars().skip(1).eq(fb.chars().skip(1));
    }
    edit_distance(&fa, &fb) <= (len / 5).clamp(1, 2)
}

/// Surname of a full name: its last word.
pub fn surname(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// Names of a story by surname: the full names written for each, so that a bare surname or a
/// pronoun's antecedent reads as the person.
#[derive(Debug, Default)]
pub struct People {
    /// Folded surname → (full name as first written, mentions).
    full: HashMap<String, Vec<(String, usize)>>,
}

impl People {
    pub fn add(&mut self, m: &Mention) {
        let words = m.name.split(' ').count();
        if words < 2 || !m.name.chars().next().is_some_and(char::is_uppercase) {
            return;
        }
        let entry = self.full.entry(fold_name(surname(&m.name))).or_default();
        // The same spelling again is the common case; comparing spellings folds both.
        let at = entry
            .iter()
            .position(|(n, _)| *n == m.name)
            .or_else(|| entry.iter().position(|(n, _)| same_name(n, &m.name)));
        match at.map(|i| &mut entry[i]) {
            Some((_, c)) => *c += 1,
            None => entry.push((m.name.clone(), 1)),
        }
    }

    /// The full name a written name stands for: itself when it is full already, the one full
    /// name written with this surname, or `None` when there are several or none.
    pub fn resolve(&self, name: &str) -> Option<String> {
        let key = fold_name(surname(name));
        let list = self.full.get(&key)?;
        if name.contains(' ') {
            return list
                .iter()
                .find(|(n, _)| n == name)
                .or_else(|| {
                    list.iter()
                        .find(|(n, _)| same_name(n, name) || n.ends_with(name))
                })
                .map(|(n, _)| n.clone())
                .or_else(|| Some(name.to_string()));
        }
        match list.as_slice() {
            [(n, _)] => Some(n.clone()),
            many => {
                // Several people share the surname: the most mentioned, if it dominates.
                let mut v: Vec<&(String, usize)> = many.iter().collect();
                v.sort_by_key(|x| std::cmp::Reverse(x.1));
                (v[0].1 >= 3 * v[1].1).then(|| v[0].0.clone())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<(String, Option<String>)> {
        mentions(s).into_iter().map(|m| (m.name, m.role)).collect()
    }

    #[test]
    fn names_with_roles_before_and_after() {
        assert_eq!(
            names("Defense Minister Rustem Umerov arrived in Miami."),
            [
                ("Rustem Umerov".into(), Some("defense minister".into())),
                ("Miami".into(), None)
            ]
        );
        assert_eq!(
            names("Talks were led by Ukraine's chief negotiator Rustem Umerov on Friday."),
            [
                ("Ukraine".into(), None),
                ("Rustem Umerov".into(), Some("chief negotiator".into()))
            ]
        );
        assert_eq!(
            names("Mara Voss, the harbour pilot, said the gates held."),
            [("Mara Voss".into(), None)]
        );
        assert_eq!(
            names("Olga Stefanishyna, the deputy prime minister, said so."),
            [(
                "Olga Stefanishyna".into(),
                Some("deputy prime minister".into())
            )]
        );
        assert_eq!(
            names("Former President Ilse Varga spoke."),
            [("Ilse Varga".into(), Some("former president".into()))]
        );
        assert_eq!(
            names("Deputy Transport Minister Tomasz Welk said so."),
            [(
                "Tomasz Welk".into(),
                Some("deputy transport minister".into())
            )]
        );
        assert_eq!(
            names("The ceremony ended."),
            Vec::<(String, Option<String>)>::new()
        );
        assert_eq!(names("Mr. Hnatov said it."), [("Hnatov".into(), None)]);
    }

    #[test]
    fn spellings_are_variants_and_other_names_are_not() {
        assert!(same_name("Andriy", "Andrii"));
        assert!(same_name("Zelensky", "Zelenskyy"));
        assert!(same_name("Mykhailo", "Mikhailo"));
        assert!(same_name("Jon", "John"));
        assert!(same_name("Bill", "William"));
        assert!(same_name("Giannis", "Yiannis"));
        assert!(!same_name("Andriy", "Oleksandr"));
        assert!(!same_name("Olena", "Oleksandr"));
        assert!(!same_name("Ivan", "Ihor"));
    }

    #[test]
    fn surnames_resolve_to_the_full_name() {
        let mut p = People::default();
        for m in mentions("Chief negotiator Rustem Umerov met Olga Stefanishyna.") {
            p.add(&m);
        }
        assert_eq!(p.resolve("Umerov").as_deref(), Some("Rustem Umerov"));
        assert_eq!(
            p.resolve("Stefanishyna").as_deref(),
            Some("Olga Stefanishyna")
        );
        assert_eq!(p.resolve("Nobody"), None);
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for s in [
            "",
            ".",
            "Mr.",
            "A. B. C. D.",
            "DE VAN",
            "Ñandú Ålborg-Øre",
            "al",
        ] {
            let _ = mentions(s);
        }
    }
}
