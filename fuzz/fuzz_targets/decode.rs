//! Page decoding: any bytes, as HTML (charset from the page) and as text (detected).
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline::extract::decode::decode;

fuzz_target!(|data: &[u8]| {
    for is_html in [true, false] {
        let d = decode(data, is_html);
        assert!(d.replacements <= d.text.chars().count());
    }
});
