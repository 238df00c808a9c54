//! Page chrome: the lines a site prints around every article. Each detector is one named rule
//! with the reason it gives in an article's `removed` list, so a reader can find and change one
//! behaviour in one place.
//!
//! Three kinds of rule:
//! - a [`Kind::Line`] rule drops the matching line only ("Skip to content", "Advertisement",
//!   "Share on Facebook", "© 2024 The Herald");
//! - a [`Kind::EndsArticle`] rule marks where the page around the article resumes for good
//!   (a comment section's prompt, a footer's "About us"): once the article has begun, nothing after
//!   it is article text;
//! - a [`Kind::StartsList`] rule heads a teaser list ("Related Articles", "More from ..."): the
//!   short teaser lines after it go, and the article may resume after the list.

#[cfg(test)]
use regex::Regex;
use regex::RegexSet;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Line,
    EndsArticle,
    StartsList,
}

struct Rule {
    reason: &'static str,
    kind: Kind,
    pattern: &'static str,
}

/// Patterns are matched against the whole trimmed line, case-insensitively. Headings that start
/// lists or end the article must be short (they are anchored), so that a sentence that merely
/// mentions "comments" is never cut. Lines are at most [`MAX_RULE_LINE`] long, so the patterns use
/// `*` rather than bounded repeats: `.{0,200}` compiles to two hundred copies of a UTF-8
/// automaton and made matching the most costly step of extraction.
const RULES: &[Rule] = &[
    Rule {
        reason: "skip link",
        kind: Kind::Line,
        pattern: r"^(skip|jump) to (the )?(main )?(content|navigation|menu|article|search|footer)(?-u:\b).*$",
    },
    Rule {
        reason: "navigation",
        kind: Kind::Line,
        pattern: r"^(menu|main menu|open menu|close menu|close|search|search\.\.\.|home|homepage|sections|navigation|toggle navigation|more|next|previous|prev|back|back to top|top|go to top|scroll to top|log ?in|log ?out|sign ?in|sign ?up|register|my account|account|profile|settings|subscribe|subscribe now|donate|e-?paper|newsletters?|podcasts?|video|videos|photos|live|live tv|watch live|listen|listen live|weather|traffic|search for:?|search query|submit|go|ok|cancel|x|×|☰|≡|⌕|🔍)$",
    },
    Rule {
        reason: "breadcrumb",
        kind: Kind::Line,
        pattern: r"^[^.!?]+(\s(›|»|>|→)\s[^.!?]+){1,6}$",
    },
    Rule {
        reason: "advertisement",
        kind: Kind::Line,
        pattern: r"^(advertisement|advertisements|advertising|sponsored|sponsored content|paid content|promoted|promoted content|ad|ads|story continues below( advertisement)?|article continues below( advertisement)?|continue reading below|scroll to continue( with content)?|content continues below|partner content|remove ads|ad feedback)$",
    },
    Rule {
        reason: "share buttons",
        kind: Kind::Line,
        pattern: r"^(share|share this|share this (article|story|page|post)|share on \w+|share via \w+|share:|shares|tweet|email|e-mail|print|copy link|link copied|copy url|save|save (article|story|for later)|bookmark|gift (this )?article|comment|(facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|email|e-mail|messenger|flipboard|print|copy link|sms)((\s*[|,·•/]\s*|\s+)(facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|email|e-mail|messenger|flipboard|print|copy link|sms))*)$",
    },
    Rule {
        reason: "follow prompt",
        kind: Kind::Line,
        pattern: r"^(follow|like|find) us on(?-u:\b).*$",
    },
    Rule {
        reason: "subscription prompt",
        kind: Kind::Line,
        pattern: r"^(sign up|subscribe|register|get|join)(?-u:\b).*(?-u:\b)(newsletter|newsletters|updates|inbox|alerts|briefing|digest|free|subscription|our mailing list)(?-u:\b).*$",
    },
    Rule {
        reason: "subscription prompt",
        kind: Kind::Line,
        pattern: r"^(already (a|have an?) (subscriber|account).*|not a subscriber.*|you have \d+ (free )?articles? (left|remaining)|this (article|content) is (for|available to) (subscribers|members) only|support (our|independent|local) journalism|become a (member|subscriber|supporter)|unlock (this|unlimited|full).*|to continue reading.*|create (a )?free account.*|log in to (continue|read).*)\W*$",
    },
    // A site speaking to its reader about their account, the paywall or its alerts. Anchored on
    // second-person prompts and on the forms' own words, so that a report that residents "can
    // sign up for alerts" stays.
    Rule {
        reason: "account prompt",
        kind: Kind::Line,
        pattern: r"^(are you sure you want to log ?out.*|.*(?-u:\b)by (logging|signing) in (to|with|using)(?-u:\b).*|.*(?-u:\b)you('ve| have) reached (the|your) (limit|maximum)(?-u:\b).*|.*(?-u:\b)(unlimited|free|full) (digital )?access(?-u:\b).*(?-u:\b)(subscri\w*|log ?in|sign ?in|sign ?up|register|limit)(?-u:\b).*|subscribers?,? (click|log|sign|please|to)(?-u:\b).*|please (log ?in|sign ?in|sign ?up|register|subscribe)(?-u:\b).*|.*(?-u:\b)whenever .{1,80} posts new content(?-u:\b).*|.*(?-u:\b)(remember me|forgot (your )?password|new user\?|e-?mail or username|username or e-?mail)(?-u:\b).*|.*(?-u:\b)sign up now\W*|(e-?mail )?(notifications|alerts) (are|will be) (only )?sent(?-u:\b).*|(close )?get (e-?mail )?(notifications|alerts) (on|about|from)(?-u:\b).*|your (notification|alert|subscription) has been saved\W*|there was a problem saving your (notification|alert|subscription)\W*|(log ?in|sign ?in|sign ?up|register|subscribe)(\s*(or|and|/|\||·)?\s*(log ?in|sign ?in|sign ?up|register|subscribe))+\W*)$",
    },
    Rule {
        reason: "cookie notice",
        kind: Kind::Line,
        pattern: r"^.*(?-u:\b)(we use cookies|this (site|website) uses cookies|accept (all )?cookies|cookie (policy|settings|preferences)|manage (cookie|consent|privacy) (settings|preferences))(?-u:\b).*$",
    },
    Rule {
        reason: "footer",
        kind: Kind::EndsArticle,
        pattern: r"^(about (us|the (site|company|paper|publisher))|contact us|our (company|network|sites|brands|newsletters)|(company|more from|other) sites|connect with us|stay connected|quick links|useful links|site (index|map)|corporate|follow us|get our apps?|download (our|the) app|newsletter sign-?up|sign up for our newsletter)\W*$",
    },
    Rule {
        reason: "legal links",
        kind: Kind::Line,
        pattern: r"^((privacy|cookie) policy|terms (of|and) (use|service|conditions)|terms & conditions|accessibility|sitemap|site map|contact|contact us|about|about us|careers|jobs|advertise( with us)?|corrections|ethics policy|help|faq|rss|rss feeds?)((\s*[|,·•/]\s*|\s{2,})((privacy|cookie) policy|terms (of|and) (use|service|conditions)|terms & conditions|accessibility|sitemap|site map|contact|contact us|about|about us|careers|jobs|advertise( with us)?|corrections|ethics policy|help|faq|rss|do not sell my (personal )?info(rmation)?))*$",
    },
    Rule {
        reason: "copyright",
        kind: Kind::Line,
        pattern: r"^.*(©|\(c\)\s*\d{4}|copyright\s+(©\s*)?\d{4}|all rights reserved).*$",
    },
    Rule {
        reason: "legal notice",
        kind: Kind::Line,
        pattern: r"^(this (material|article|content|story|report) (may|must) not be (published|reproduced|copied|republished|redistributed|broadcast).*|(no part of this|reproduction of this) .*(without (the )?(prior )?(written )?permission).*)$",
    },
    Rule {
        reason: "reading time",
        kind: Kind::Line,
        pattern: r"^(\d+|one|two|three|four|five)[ -]min(ute)?s?( read| to read|\. read)?$",
    },
    Rule {
        reason: "audio player",
        kind: Kind::Line,
        pattern: r"^(listen to (this|the) (article|story)|audio( version)?|play (audio|video)|\d{1,2}:\d{2}( / \d{1,2}:\d{2})?|now playing|font size|text size|a\+? a-|aa)\W*$",
    },
    Rule {
        reason: "image credit",
        kind: Kind::Line,
        pattern: r"^(\(?(photo|photograph|image|picture|pictures|illustration|file photo|video|graphic)s?\s*(:|by|credit|courtesy|/)\s.*|\(?(credit|courtesy)\s*:.*|.*\((getty images|reuters|ap photo|afp|shutterstock|file)[^)]*\))$",
    },
    Rule {
        reason: "tags",
        kind: Kind::Line,
        pattern: r"^(tags?|topics?|filed under|categories|category|keywords|related topics|more on)\s*:.*$",
    },
    Rule {
        reason: "inline teaser",
        kind: Kind::Line,
        pattern: r"^(related|read more|read also|also read|see also|more|watch|recommended|must read|don't miss|related coverage|related story|related article|read next|click here)\s*[:>»|-]\s*.{3,}$",
    },
    Rule {
        reason: "click prompt",
        kind: Kind::Line,
        pattern: r"^(click here|tap here|read (the )?full (story|article)|continue reading|read more|show more|load more|see more|view more|view all|see all|more stories|more news|next article|previous article|next story|previous story)(?-u:\b).*$",
    },
    Rule {
        reason: "contact details",
        kind: Kind::Line,
        pattern: r"^.*(?-u:\b)(tel|telephone|phone|fax|e-?mail|whatsapp)\s*[:.]\s*[+*(]?\d.*$",
    },
    Rule {
        reason: "markup residue",
        kind: Kind::Line,
        pattern: r"^(.*(\w+=[\x22'][^\x22']*[\x22']|</?[a-z]+[ >/]|\[if [a-z]+ ie|\*/|/\*|\{\s*[a-z-]+\s*:|function\s*\(|var \w+ =|\$\(|window\.|document\.).*|[.#][a-z][\w-]*([ .#>][\w-]+)*|(/[\w.-]+){3,}|[\w/-]+\.(tpl|php|js|css|jsp|aspx)(?-u:\b).*)$",
    },
    Rule {
        reason: "timestamp",
        kind: Kind::Line,
        pattern: r"^(updated |posted |published )?(\d+\s*(s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago|yesterday|just now|today)( at \d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?)?(\s+\d+\s+(photos|videos|images))?(\s+\d{1,2}:\d{2})?$",
    },
    Rule {
        reason: "timestamp",
        kind: Kind::Line,
        pattern: r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(,? \d{4})?(\s+\d+\s+(photos|videos|images))?(\s+\d{1,2}:\d{2})?$",
    },
    Rule {
        reason: "votes",
        kind: Kind::Line,
        pattern: r"^(rating|score|votes?|likes?|points?)\s*:?\s*[+-]?\d+\s*(votes?|likes?|points?)?$|^\d+\s+(likes?|votes?|points?|replies|shares)$",
    },
    Rule {
        reason: "url",
        kind: Kind::Line,
        pattern: r"^(https?://|www\.)\S+$",
    },
    Rule {
        reason: "comments",
        kind: Kind::EndsArticle,
        pattern: r"^.+\ssays:$",
    },
    Rule {
        reason: "comments",
        kind: Kind::EndsArticle,
        pattern: r"^[\[(]?\s*(\d+\s+)?(comments?|responses?|replies)\s*(\(\d+\))?\s*[\])]?$|^(top|best|most (liked|recent|popular)|latest|featured|all|newest|oldest) (rated )?comments$|^(read|view|see|show|load) (all|more)( \d+)? comments\W*$|^[\[(]\s*read all comments\s*[\])]$",
    },
    Rule {
        reason: "comments",
        kind: Kind::EndsArticle,
        pattern: r"^(\d+\s+)?(comments?|responses?|replies|reader comments|comment(s)? \(\d+\)|discussion|conversation|join the (conversation|discussion|debate)|leave a (comment|reply|response)|post a comment|add (a|your) comment|write a comment|show comments|view comments|view \d+ comments|load comments|see comments|comments are closed\.?|be the first to comment\.?|have your say\.?|what do you think\??|you must be (logged|signed) in to post a comment\.?|log in to comment\.?|sign in to comment\.?|commenting (has been|is) (disabled|closed)\.?|\d+ (comments?|responses?|replies)|comment policy|community guidelines|join the discussion:?|reply|cancel reply)\W*$",
    },
    Rule {
        reason: "related articles",
        kind: Kind::StartsList,
        pattern: r"^(more( [a-z&']+){1,3}|related roundup:.*|buyer's guide:.*)$",
    },
    Rule {
        reason: "related articles",
        kind: Kind::StartsList,
        pattern: r"^((related|similar|recommended|suggested|popular|trending|latest|more|other|top|featured|recent|previous|next|further)\s+(articles?|stories|posts|news|reads?|content|coverage|reading|links|videos|topics|headlines|from (us|this (site|author|section)|.+))|related|you (may|might) (also )?(like|enjoy|be interested in)|recommended( for you)?|read (more|also|next)|also read|see also|more (from|on|in|about) .+|most (read|popular|viewed|shared|commented|emailed)|trending( now| today)?|editor'?s'? (picks?|choice)|don'?t miss|in (other|case you missed) .*|top stories|what to read next|up next|more headlines|latest|around the web|from (the|our) (web|partners)|sponsored stories|promoted stories|paid content|elsewhere on .+)\W*$",
    },
];

/// One set for all rules: a fast yes/no rejects most lines in one pass; only the few lines that
/// match pay for the slower search of which rules matched.
static SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(RULES.iter().map(|r| format!("(?i){}", r.pattern))).expect("chrome rules compile")
});

const MAX_RULE_LINE: usize = 360;

/// The first rule a line matches, if any: its reason and kind.
pub fn classify(line: &str) -> Option<(&'static str, Kind)> {
    let t = line.trim();
    // Every rule is bounded well under this length; prose paragraphs skip the matching.
    if t.is_empty() || t.len() > MAX_RULE_LINE {
        return None;
    }
    if !SET.is_match(t) {
        return None;
    }
    let first = SET.matches(t).iter().next()?;
    let rule = (RULES[first].reason, RULES[first].kind);
    // Prose may quote a tag or a path; residue is mostly markup.
    if rule.0 == "markup residue" && !mostly_markup(t) {
        return None;
    }
    Some(rule)
}

fn mostly_markup(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let marks = line
        .chars()
        .filter(|c| {
            matches!(
                c,
                '<' | '>'
                    | '{'
                    | '}'
                    | '='
                    | '/'
                    | '"'
                    | '_'
                    | '.'
                    | '#'
                    | ';'
                    | '$'
                    | '('
                    | ')'
                    | '['
                    | ']'
            )
        })
        .count();
    words <= 3 || marks * 8 >= line.chars().count()
}

/// A row of language names ("English Español Français Deutsch"): a site's language switcher.
pub fn is_language_row(line: &str) -> bool {
    const NAMES: &[&str] = &[
        "english",
        "español",
        "espanol",
        "français",
        "francais",
        "deutsch",
        "italiano",
        "português",
        "portugues",
        "nederlands",
        "русский",
        "українська",
        "polski",
        "türkçe",
        "العربية",
        "عربي",
        "中文",
        "简体中文",
        "繁體中文",
        "日本語",
        "한국어",
        "हिन्दी",
        "فارسی",
        "svenska",
        "dansk",
        "norsk",
        "suomi",
        "ελληνικά",
        "čeština",
        "magyar",
        "română",
        "bahasa",
        "indonesia",
        "tiếng",
        "việt",
        "ไทย",
        "עברית",
        "kiswahili",
        "hausa",
        "afaan",
        "oromoo",
        "አማርኛ",
        "português",
        "brasil",
        "srpski",
        "hrvatski",
        "slovenčina",
        "български",
        "беларуская",
        "қазақша",
        "o'zbek",
        "azərbaycanca",
        "ქართული",
        "հայերեն",
        "اردو",
        "বাংলা",
        "தமிழ்",
        "español",
        "catalá",
        "català",
        "euskara",
        "galego",
        "gaeilge",
        "cymraeg",
        "filipino",
        "af-soomaali",
        "kinyarwanda",
        "pashto",
        "پښتو",
        "dari",
        "ukrainian",
        "russian",
        "french",
        "german",
        "spanish",
        "arabic",
        "chinese",
        "japanese",
        "korean",
        "portuguese",
        "italian",
    ];
    let tokens: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | ',' | '/'))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect();
    if tokens.len() < 3 {
        return false;
    }
    let hits = tokens
        .iter()
        .filter(|t| NAMES.contains(&t.as_str()))
        .count();
    hits >= 3 && hits * 10 >= tokens.len() * 6
}

/// Whether a compiled pattern matches; used by tests to check each rule on its own.
#[cfg(test)]
fn rule_regex(reason: &str) -> Vec<Regex> {
    RULES
        .iter()
        .filter(|r| r.reason == reason)
        .map(|r| Regex::new(&format!("(?i){}", r.pattern)).unwrap())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(line: &str) -> Option<&'static str> {
        classify(line).map(|(r, _)| r)
    }

    #[test]
    fn every_rule_compiles_and_matches_its_own_examples() {
        let cases = [
            ("Skip to main content", "skip link"),
            ("Menu", "navigation"),
            ("Home › World › Europe", "breadcrumb"),
            ("ADVERTISEMENT", "advertisement"),
            ("Story continues below advertisement", "advertisement"),
            ("Facebook Twitter WhatsApp Email", "share buttons"),
            ("Share this article", "share buttons"),
            ("Facebook", "share buttons"),
            ("Follow us on Twitter and Instagram", "follow prompt"),
            (
                "Sign up for our free morning newsletter",
                "subscription prompt",
            ),
            ("Already a subscriber? Log in", "subscription prompt"),
            (
                "We use cookies to improve your experience. Accept all cookies",
                "cookie notice",
            ),
            ("Privacy Policy | Terms of Use | Contact Us", "legal links"),
            (
                "© 2024 The Lisbon Herald. All rights reserved.",
                "copyright",
            ),
            ("4 min read", "reading time"),
            (
                "This material may not be published, broadcast, rewritten or redistributed.",
                "legal notice",
            ),
            ("Listen to this article", "audio player"),
            ("Photo: Ana Ruiz / Herald", "image credit"),
            ("Tags: fire, harbour, Valemont", "tags"),
            (
                "READ MORE: Harbour fire leaves dozens homeless",
                "inline teaser",
            ),
            ("Click here to read the full story", "click prompt"),
            ("https://herald.test/fire", "url"),
            (
                "Telephone: *2421 Extension 4, Fax: 03-5613699",
                "contact details",
            ),
            (".comment-content", "markup residue"),
            (
                "data-module-name=\"article.app/lib/module/prebid\" [if lte IE 9]>",
                "markup residue",
            ),
            (
                "/6943/JPost_2017/Desktop/All_Regular_Ad_Units/Article_970x250_1_Top",
                "markup residue",
            ),
            ("Bob. Just Bob. says:", "comments"),
            ("<div class=\"ad\"></div>", "markup residue"),
            ("[ 167 comments ]", "comments"),
            ("Top Rated Comments", "comments"),
            ("10H ago", "timestamp"),
            ("2 days ago at 07:52 am", "timestamp"),
            ("Nov 18 52 photos", "timestamp"),
            ("Rating: 36 Votes", "votes"),
            ("More World", "related articles"),
            ("23 Comments", "comments"),
            ("Leave a Reply", "comments"),
            ("About Us", "footer"),
            ("Related Articles", "related articles"),
            ("Similar Articles", "related articles"),
            ("More from The Herald", "related articles"),
            ("You may also like", "related articles"),
            ("Log In Sign Up", "account prompt"),
            (
                "Are you sure you want to log out? X Login",
                "account prompt",
            ),
            (
                "By logging in to the Ledger using a third-party service you accept its terms",
                "account prompt",
            ),
            (
                "You have reached the limit for free access to our reporting.",
                "account prompt",
            ),
            (
                "Subscribers, click below to login to continue receiving unlimited access.",
                "account prompt",
            ),
            (
                "Please log in, or sign up for a new account to continue reading.",
                "account prompt",
            ),
            (
                "Whenever Mara Quill posts new content, you'll get an email delivered to your inbox.",
                "account prompt",
            ),
            ("E-mail or Username: Password REMEMBER ME", "account prompt"),
            (
                "Email notifications are only sent once a day, and only if there are new matching items.",
                "account prompt",
            ),
            (
                "Close Get email notifications on Mara Quill daily!",
                "account prompt",
            ),
            ("Your notification has been saved.", "account prompt"),
            (
                "There was a problem saving your notification.",
                "account prompt",
            ),
            ("Help shape the stories of our town. Sign up now!", "account prompt"),
        ];
        for (line, want) in cases {
            assert_eq!(reason(line), Some(want), "{line}");
            assert!(rule_regex(want).iter().any(|r| r.is_match(line)));
        }
    }

    #[test]
    fn article_sentences_are_not_chrome() {
        for line in [
            "The council said comments from residents would be read before the vote.",
            "Related measures were announced by the ministry on Tuesday.",
            "More than 200 people were evacuated from the harbour district.",
            "Home owners near the river were told to leave.",
            "\"Share the roads,\" the mayor said, \"and be patient.\"",
            "About 40 firefighters fought the blaze overnight.",
            "Photographs of the damage spread quickly online, the agency said.",
            "The fire at the <b>old mill</b> was put out after two hours, the brigade said.",
            "Files under /var/log/app were deleted by the attackers, the company said.",
            "Residents can sign up for flood alerts on the council's website, the mayor said.",
            "Free access to the museum ends in May, when a ticket will cost 12 euros.",
            "Voters must register by Friday to take part in the by-election.",
        ] {
            assert_eq!(reason(line), None, "{line}");
        }
    }

    #[test]
    fn language_rows() {
        assert!(is_language_row("English Español Français Deutsch Italiano"));
        assert!(is_language_row("English | العربية | 中文 | Русский"));
        assert!(!is_language_row(
            "She speaks English and Spanish fluently at home."
        ));
    }
}
