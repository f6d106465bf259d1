//! Percent-decoding (`%2F` escapes) for the parts of URLs the app reads: its own links, `mailto:`
//! links and attachment file names. On its own so that none of those depends on another.

/// `%2F`-style escapes; `None` when an escape is malformed or the bytes are not valid UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_malformed_ones_do_not() {
        assert_eq!(percent_decode("conv%2Done"), Some("conv-one".into()));
        assert_eq!(percent_decode("caf%C3%A9"), Some("café".into()));
        assert_eq!(percent_decode("plain"), Some("plain".into()));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
