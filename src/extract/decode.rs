//! Bytes to text: the charset from a byte-order mark, then from the page's own declaration
//! (`<meta charset>` or the HTTP-equiv content type), else detected from the bytes
//! (chardetng, the detector Firefox uses). Decoding never fails: undecodable bytes become
//! U+FFFD, and the share of them is returned so that a caller can refuse a page that is mostly
//! noise instead of storing garbage.

use encoding_rs::Encoding;

/// The decoded text, the encoding used, and how many replacement characters decoding produced.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub replacements: usize,
}

pub fn decode(bytes: &[u8], is_html: bool) -> Decoded {
    let declared = if is_html {
        declared_charset(bytes)
    } else {
        None
    };
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => {
            let enc = declared.unwrap_or_else(|| detect(bytes));
            (enc, bytes)
        }
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    let replacements = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replacements,
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// Finds `charset=...` in the first few kilobytes of markup. A declared UTF-16 is ignored, as
/// browsers do: a page that can declare it in ASCII is not UTF-16.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("charset") {
        rest = &rest[i + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
            .unwrap_or(value.len());
        if let Some(enc) = Encoding::for_label(&value.as_bytes()[..end]) {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_then_declaration_then_detection() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Café".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16, false).text, "Café");

        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        let d = decode(latin1, true);
        assert!(d.text.contains("Café"), "{}", d.text);
        assert_eq!(d.replacements, 0);

        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\x93quoted\x94";
        assert!(decode(http_equiv, true)
            .text
            .contains("\u{201C}quoted\u{201D}"));

        assert_eq!(
            decode("plain ünïcode".as_bytes(), false).text,
            "plain ünïcode"
        );
        let guessed = decode(
            b"Die Stra\xdfe ist gro\xdf und sch\xf6n, sagte der B\xfcrgermeister.",
            false,
        );
        assert!(guessed.text.contains("Straße"), "{}", guessed.text);
    }
}
