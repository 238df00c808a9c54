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
    /// The bytes were not UTF-8 and declared no charset: the encoding is the detector's guess.
    pub guessed: bool,
}

pub fn decode(bytes: &[u8], is_html: bool) -> Decoded {
    let declared = if is_html {
        declared_charset(bytes)
    } else {
        None
    };
    let bom = Encoding::for_bom(bytes);
    let (encoding, body) = match bom {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => {
            let enc = declared.unwrap_or_else(|| detect(bytes));
            (enc, bytes)
        }
    };
    let guessed = declared.is_none() && bom.is_none() && encoding != encoding_rs::UTF_8;
    let (text, _) = encoding.decode_without_bom_handling(body);
    let replacements = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replacements,
        guessed,
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

/// The charset a `<meta>` tag in the first few kilobytes of markup declares (`<meta
/// charset=...>` or the HTTP-equiv content type), as a browser's prescan finds it: a
/// `charset=` on a `<script>` or `<link>` tag, inside a script or style, or in a comment
/// declares nothing about the page (a GB2312 page that loads a UTF-8 script first is still
/// GB2312). A declared UTF-16 is ignored, as browsers do: a page that can declare it in ASCII is
/// not UTF-16.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut pos = 0;
    while let Some(i) = head[pos..].find('<') {
        let at = pos + i;
        let rest = &head[at..];
        // Skip what a browser's prescan skips: comments, and the bodies of scripts and styles.
        let skip_to = |close: &str| {
            rest.find(close)
                .map_or(head.len(), |e| at + e + close.len())
        };
        if rest.starts_with("<!--") {
            pos = skip_to("-->");
            continue;
        }
        if let Some(name) = ["script", "style"]
            .into_iter()
            .find(|n| rest[1..].starts_with(n))
        {
            pos = skip_to(&format!("</{name}"));
            continue;
        }
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let is_meta = rest.starts_with("<meta")
            && rest[5..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/');
        if is_meta {
            if let Some(enc) = charset_in(&rest[..tag_end]) {
                return Some(enc);
            }
        }
        pos = at + tag_end.max(1);
    }
    None
}

/// The encoding named by the first `charset=` in one tag.
fn charset_in(tag: &str) -> Option<&'static Encoding> {
    let mut rest = tag;
    while let Some(i) = rest.find("charset") {
        rest = &rest[i + "charset".len()..];
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start().trim_start_matches(['"', '\'']);
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

    #[test]
    fn only_a_meta_tag_declares_the_charset() {
        // A GB2312 page whose first `charset=` is on a script tag, and one in a script body.
        let (gb, _, _) = encoding_rs::GB18030.encode("北京市政府");
        let mut page = b"<html><head><script charset=\"utf-8\" src=\"/a.js\"></script>\
            <script>var c = 'charset=utf-8';</script><!-- charset=utf-8 -->\
            <meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
            </head><body>"
            .to_vec();
        page.extend_from_slice(&gb);
        let d = decode(&page, true);
        assert!(d.text.contains("北京市政府"), "{}", d.text);
        assert_eq!(d.encoding, "GBK");

        let (pl, _, _) = encoding_rs::ISO_8859_2.encode("Łódź, źródło");
        let mut page =
            b"<link rel=stylesheet charset=utf-8 href=a.css><meta charset=iso-8859-2>".to_vec();
        page.extend_from_slice(&pl);
        assert!(decode(&page, true).text.contains("Łódź, źródło"));

        // No meta tag: the bytes decide.
        let page = b"<script charset=\"windows-1252\"></script><p>plain \xc3\xbc</p>";
        assert!(decode(page, true).text.contains("plain ü"));
        // Hostile heads end the scan without a panic.
        for head in [
            "<",
            "<meta",
            "<!--",
            "<script",
            "<meta charset",
            "<meta charset=",
            "<<<>",
        ] {
            decode(head.as_bytes(), true);
        }
    }
}
