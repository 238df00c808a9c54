//! Compressed pages: any bytes as a `.html.gz` file and as standard input (sniffed), within
//! the read cap however far they inflate.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline::source::{Limits, Source};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_page_bytes: 1 << 16,
    };
    for origin in ["fuzz.html.gz", "-"] {
        let reader = Box::new(std::io::Cursor::new(data.to_vec()));
        for page in Source::from_reader(origin, reader, limits).flatten() {
            assert!(page.bytes.len() <= limits.max_page_bytes);
        }
    }
});
