//! Who can be a speaker: a person or a body (a ministry, a newspaper, a document), or no one.
//!
//! Input: a speaker as the attribution tagger or the cue finder read it from the text. Output:
//! the speaker without the words around it, or `None` when it names no person or body. The
//! tagger's spans run over their edges ("with spokesman Glen Caplin", "responded campaign
//! chairman John Podesta,", "the Democratic nominee mockingly", "psychologist Vaile Wright, who
//! is a member of ...") and sometimes land on what is not a speaker at all: a demonym
//! ("Ukrainian said"), a place from a nearby clause ("United States" for a president's "he
//! said"), an era ("Biden-era"), a clause ("Witkoff has described recent talks in Miami aimed
//! at"), a day, a lone determiner ("Another"). Reporting no speaker is better than a wrong one.

use crate::text::WordSet;

/// Words a tagger's span may start with that are not part of the speaker.
static LEADING: WordSet = WordSet::new(&[
    "with",
    "by",
    "from",
    "and",
    "but",
    "even",
    "also",
    "responded",
    "replied",
    "added",
    "said",
    "says",
    "told",
    "according",
    "to",
    "as",
    "while",
    "then",
]);

/// Words a tagger's span may end with that are not part of the speaker.
static TRAILING: WordSet = WordSet::new(&[
    "himself",
    "herself",
    "themselves",
    "itself",
    "mockingly",
    "angrily",
    "quietly",
    "flatly",
    "bluntly",
    "sharply",
    "simply",
    "repeatedly",
    "publicly",
    "privately",
    "recently",
    "later",
    "previously",
    "earlier",
    "again",
    "too",
    "then",
    "now",
    "once",
    "tersely",
    "jokingly",
    "said",
    "says",
    "told",
    "wrote",
    "added",
]);

/// Words that make a span a clause, not a name: finite verbs and relative pronouns.
static CLAUSE: WordSet = WordSet::new(&[
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "are",
    "described",
    "forwarded",
    "aimed",
    "spoke",
    "will",
    "would",
    "could",
    "should",
    "did",
    "does",
]);

/// A speaker that is no one on its own.
static NO_ONE: WordSet = WordSet::new(&[
    "another",
    "one",
    "some",
    "many",
    "others",
    "both",
    "all",
    "voice",
    "tone",
    "way",
    "manner",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "i'm",
    "it",
    "that",
    "but",
    "and",
    "this",
    "these",
    "those",
    "which",
    "department",
]);

/// The speaker without the words around it, or `None` when it names no person or body.
pub fn clean(written: &str) -> Option<String> {
    // A relative clause after the name is the name's, not the speaker.
    let mut s = written.trim();
    for cut in [", who ", " who ", ", which ", ", whose "] {
        if let Some(i) = s.find(cut) {
            s = &s[..i];
        }
    }
    let s = s.trim_end_matches([',', ';', ':', ' ', '\u{2014}', '-']);
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.len() > 1 && LEADING.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
    }
    // "Trump, 70": an age after the name.
    if words.len() > 1 && words[words.len() - 1].chars().all(|c| c.is_ascii_digit()) {
        words.pop();
        if let Some(w) = words.last_mut() {
            *w = w.trim_end_matches(',');
        }
    }
    while words.len() > 1 {
        let last = words[words.len() - 1].to_lowercase();
        if TRAILING.contains(&last.as_str()) {
            words.pop();
        } else {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if lower
        .iter()
        .any(|w| w.ends_with("-era") || CLAUSE.contains(&w.as_str()))
    {
        return None;
    }
    let name = words.join(" ");
    if words.len() == 1 && NO_ONE.contains(&lower[0].as_str()) {
        return None;
    }
    // "Ukrainian", "Ukrainians", "African Americans": a people, not a speaker.
    let last = lower[lower.len() - 1].trim_end_matches('s');
    if super::roster::DEMONYMS.contains(&last)
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
    {
        return None;
    }
    // A country or state speaks only through its people: the tagger's "United States" is
    // commonly a nearby clause's, not the speaker of a president's "he said".
    if name.starts_with(char::is_uppercase) && crate::stories::event::is_region(&name) {
        return None;
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_go_and_non_speakers_are_no_one() {
        assert_eq!(
            clean("with spokesman Glen Caplin").as_deref(),
            Some("spokesman Glen Caplin")
        );
        assert_eq!(
            clean("responded campaign chairman John Podesta,").as_deref(),
            Some("campaign chairman John Podesta")
        );
        assert_eq!(
            clean("the Democratic nominee mockingly").as_deref(),
            Some("the Democratic nominee")
        );
        assert_eq!(clean("Pence himself").as_deref(), Some("Pence"));
        assert_eq!(clean("Trump, 70,").as_deref(), Some("Trump"));
        assert_eq!(
            clean("psychologist Vaile Wright, who is a member of the team").as_deref(),
            Some("psychologist Vaile Wright")
        );
        assert_eq!(clean("the ministry").as_deref(), Some("the ministry"));
        assert_eq!(clean("Steve Witkoff").as_deref(), Some("Steve Witkoff"));
        assert_eq!(clean("he").as_deref(), Some("he"));
        assert_eq!(clean("the daily").as_deref(), Some("the daily"));
        assert_eq!(clean("Warren").as_deref(), Some("Warren"));
        for no_one in [
            "Ukrainian",
            "African Americans",
            "South Asia",
            "that",
            "United States",
            "Texas",
            "Biden-era",
            "Witkoff has described recent talks in Miami aimed at",
            "Another",
            "Monday",
            "message Sandler forwarded to Podesta",
            "",
        ] {
            assert_eq!(clean(no_one), None, "{no_one}");
        }
    }
}
