//! Flat text: the line classifier over any text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline::extract::{self, NoStats};
use storyline::source::{GivenMeta, MediaType, RawPage};

fuzz_target!(|data: &[u8]| {
    let page = RawPage {
        origin: "fuzz.txt".into(),
        media: MediaType::Text,
        bytes: data.to_vec(),
        cut_at: None,
        given: GivenMeta::default(),
        file: None,
    };
    let _ = extract::extract(&page, &NoStats);
});
