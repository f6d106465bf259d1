//! File names from a buyer or a server, made safe to show and to create: no folders, nothing
//! that reorders or hides text, no reserved device names, at most 255 bytes; and the types that
//! run when opened, which a seller must confirm a second time before saving. (A module of its
//! own so the read models can name attachments without depending on downloads.)

use crate::protocol::Attachment;
use crate::text::is_invisible_format;

/// The longest saved or shown file name, in UTF-8 bytes (the limit of ext4, APFS and NTFS's
/// 255 UTF-16 units is never smaller).
pub const MAX_NAME_BYTES: usize = 255;
/// A longer "extension" is part of the name (it is not kept whole when cutting).
const MAX_EXTENSION_CHARS: usize = 16;
/// The name used when nothing usable is left.
pub const FALLBACK_NAME: &str = "attachment";

/// A file name that is safe on every desktop OS: no folders, no control or bidi-override
/// characters (`invoice\u{202E}fdp.exe`), none of `<>:"/\|?*`, no leading or trailing dots
/// and spaces, not a reserved Windows device name, at most [`MAX_NAME_BYTES`] bytes with the
/// extension kept and no character cut.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .map(|c| if "<>:\"/\\|?*".contains(c) { '_' } else { c })
        .collect();
    let mut name = trim_name(&cleaned).to_owned();
    if name.len() > MAX_NAME_BYTES {
        name = match name.rsplit_once('.') {
            Some((stem, ext)) if ext.chars().count() <= MAX_EXTENSION_CHARS && !stem.is_empty() => {
                let stem = cut_to_bytes(stem, MAX_NAME_BYTES - ext.len() - 1);
                format!("{}.{ext}", trim_name(stem))
            }
            _ => trim_name(cut_to_bytes(&name, MAX_NAME_BYTES)).to_owned(),
        };
    }
    if is_reserved_device(&name) {
        name.insert(0, '_');
        if name.len() > MAX_NAME_BYTES {
            name = cut_to_bytes(&name, MAX_NAME_BYTES).to_owned();
        }
    }
    if name.is_empty() {
        FALLBACK_NAME.to_owned()
    } else {
        name
    }
}

fn trim_name(name: &str) -> &str {
    name.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn cut_to_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Windows opens a device, not a file, for these names, with any extension: `CON`, `PRN`,
/// `AUX`, `NUL`, `CONIN$`, `CONOUT$`, `COM0`-`COM9` and `LPT0`-`LPT9` (also with the
/// superscript digits ¹²³, which Windows counts as digits there).
fn is_reserved_device(name: &str) -> bool {
    let device = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_ascii_uppercase();
    if matches!(
        device.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = device.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let digit = chars.next();
    (prefix == "COM" || prefix == "LPT")
        && digit.is_some_and(|d| d.is_ascii_digit() || matches!(d, '¹' | '²' | '³'))
        && chars.next().is_none()
}

/// Types that run code when opened (double-clicked, or opened by an app that runs macros):
/// saving one takes a second confirmation.
const EXECUTABLE_EXTENSIONS: &[&str] = &[
    // Windows programs, scripts, shortcuts and installers.
    "exe",
    "com",
    "scr",
    "pif",
    "bat",
    "cmd",
    "js",
    "jse",
    "vbs",
    "vbe",
    "wsf",
    "wsh",
    "hta",
    "lnk",
    "url",
    "scf",
    "msi",
    "msix",
    "msixbundle",
    "appx",
    "appxbundle",
    "msp",
    "mst",
    "ps1",
    "psm1",
    "psd1",
    "ps1xml",
    "reg",
    "cpl",
    "dll",
    "ocx",
    "sys",
    "drv",
    "inf",
    "chm",
    "hlp",
    "gadget",
    "application",
    "appref-ms",
    "settingcontent-ms",
    "library-ms",
    "xbap",
    // Disk images that open as a folder (their files lose the downloaded-from-internet mark).
    "iso",
    "img",
    "vhd",
    "vhdx",
    // Cross-platform.
    "jar",
    "py",
    "pyw",
    "pl",
    "rb",
    // Linux and macOS.
    "desktop",
    "sh",
    "bash",
    "zsh",
    "csh",
    "ksh",
    "run",
    "bin",
    "appimage",
    "deb",
    "rpm",
    "app",
    "command",
    "tool",
    "pkg",
    "mpkg",
    "workflow",
    "action",
    "scpt",
    // Office documents with macros.
    "docm",
    "dotm",
    "xlsm",
    "xltm",
    "xlam",
    "xlsb",
    "pptm",
    "potm",
    "ppam",
    "ppsm",
    "sldm",
];

/// Whether a file of this name needs a second confirmation before it is saved (by its
/// extension, case-insensitive, after [`safe_file_name`]).
pub fn is_executable(name: &str) -> bool {
    let safe = safe_file_name(name);
    safe.rsplit_once('.').is_some_and(|(_, ext)| {
        EXECUTABLE_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

/// The name an attachment is shown and saved under: its own name, else the last part of its
/// URL (percent-decoded when that gives text), made safe by [`safe_file_name`].
pub fn display_name(attachment: &Attachment) -> String {
    let own = attachment
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    if !own.is_empty() {
        return safe_file_name(own);
    }
    safe_file_name(&url_file_name(&attachment.url))
}

/// The last path segment of `url`, percent-decoded when that gives text ("" for no URL).
pub fn url_file_name(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url.trim()) else {
        return String::new();
    };
    let last = parsed
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default();
    // Escapes that do not decode to text stay as written.
    crate::percent::percent_decode(last).unwrap_or_else(|| last.to_owned())
}
