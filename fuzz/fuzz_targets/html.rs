//! HTML pages: the per-page budget, the parser, the extraction crate and the metadata scans.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline::extract::{self, NoStats};
use storyline::source::{GivenMeta, MediaType, RawPage};

fuzz_target!(|data: &[u8]| {
    let page = RawPage {
        origin: "fuzz.html".into(),
        media: MediaType::Html,
        bytes: data.to_vec(),
        cut_at: None,
        given: GivenMeta::default(),
        file: None,
    };
    if let Ok(a) = extract::extract(&page, &NoStats) {
        // What a page yields is bounded by the page: no text out of nothing.
        assert!(a.title.as_deref().is_none_or(|t| t.chars().count() <= 300));
        assert!(!a.text().contains('\u{1b}'));
    }
});
