//! JSON lines: records of any shape, each read or skipped with a located error; what is read
//! then goes through extraction.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline::extract::{self, NoStats};
use storyline::source::{Limits, Source};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_page_bytes: 1 << 16,
    };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    for item in Source::from_reader("fuzz.jsonl", reader, limits) {
        match item {
            Ok(page) => {
                let _ = extract::extract(&page, &NoStats);
            }
            Err(e) => assert!(e.line.is_some() || e.message.contains("read")),
        }
    }
});
