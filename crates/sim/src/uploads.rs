//! The attachment files the simulator hands out: every attachment URL of a generated message
//! points at the simulator itself (`http://127.0.0.1:PORT/uploads/<uuid>/<name>`), and a GET on
//! it answers with bytes made from the path alone, so a seed replays the same files.
//!
//! Images are real PNGs (decodable, a few hundred pixels wide; their length differs from the
//! advertised size), PDFs are real one-page PDFs padded to the advertised size, anything else is
//! that many deterministic bytes. Unknown paths get a 404 (`upload_routes` serves them).

/// The path prefix of attachment files.
pub const PREFIX: &str = "/uploads/";

/// Files are never made larger than this, whatever size was advertised.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Width and height of the generated images.
const IMAGE_WIDTH: u32 = 240;
const IMAGE_HEIGHT: u32 = 180;

/// What the simulator knows about an attachment it sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// An image (served as a PNG) or another file.
    pub image: bool,
    /// The advertised size in bytes.
    pub size: u64,
    /// The advertised file name.
    pub name: String,
}

/// The body of an upload: its `Content-Type` and bytes. `key` (the path after `/uploads/`)
/// seeds the content, so the same attachment always downloads the same bytes.
pub fn content(key: &str, upload: &Upload) -> (&'static str, Vec<u8>) {
    let seed = fnv1a(key.as_bytes());
    if upload.image {
        return ("image/png", png(IMAGE_WIDTH, IMAGE_HEIGHT, seed));
    }
    let size = upload.size.min(MAX_FILE_BYTES) as usize;
    if upload.name.to_ascii_lowercase().ends_with(".pdf") {
        ("application/pdf", pdf(&upload.name, size, seed))
    } else {
        ("application/octet-stream", noise(size, seed))
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// xorshift64*: cheap deterministic bytes (never seeded with zero).
struct Bytes64(u64);

impl Bytes64 {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Bytes64::new(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(len);
    out
}

// ---------------------------------------------------------------- PNG

/// An RGB PNG of `width` x `height`: diagonal stripes in two colours drawn from `seed` and a
/// disc in the middle. Stored (uncompressed) deflate blocks keep the encoder tiny.
pub fn png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut rng = Bytes64::new(seed);
    let [a, b] = [rng.next(), rng.next()].map(|v| {
        let [r, g, b, ..] = v.to_le_bytes();
        [r, g, b]
    });
    let (cx, cy) = (i64::from(width) / 2, i64::from(height) / 2);
    let radius = i64::from(width.min(height)) / 3;
    let mut raw = Vec::with_capacity((width as usize * 3 + 1) * height as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            let (dx, dy) = (i64::from(x) - cx, i64::from(y) - cy);
            let pixel = if dx * dx + dy * dy < radius * radius {
                [255 - a[0], 255 - a[1], 255 - a[2]]
            } else if ((x + y) / 16) % 2 == 0 {
                a
            } else {
                b
            };
            raw.extend_from_slice(&pixel);
        }
    }
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &header);
    png_chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in bytes {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

// ---------------------------------------------------------------- PDF

/// A one-page PDF showing `title`, padded with comment lines inside its content stream to
/// `target` bytes (when `target` is at least the size of the bare document).
pub fn pdf(title: &str, target: usize, seed: u64) -> Vec<u8> {
    let mut padding = 0usize;
    let mut out = pdf_with_padding(title, padding, seed);
    for _ in 0..8 {
        if out.len() == target {
            break;
        }
        let wanted = (padding + target).checked_sub(out.len());
        match wanted {
            Some(next) if next != padding => padding = next,
            _ => break,
        }
        out = pdf_with_padding(title, padding, seed);
    }
    out
}

fn pdf_with_padding(title: &str, padding: usize, seed: u64) -> Vec<u8> {
    // Only characters that need no escaping inside a PDF string.
    let title: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut stream = format!("BT /F1 24 Tf 72 760 Td ({title}) Tj ET\n").into_bytes();
    let mut rng = Bytes64::new(seed);
    let mut left = padding;
    while left > 0 {
        // `%` starts a comment line; the line is at most 64 bytes with its newline.
        let line = left.min(64);
        stream.push(b'%');
        for _ in 1..line.saturating_sub(1) {
            stream.push(b'a' + (rng.next() % 26) as u8);
        }
        if line > 1 {
            stream.push(b'\n');
        }
        left -= line;
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        String::new(), // the content stream, written below
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        if index == 3 {
            out.extend_from_slice(format!("<< /Length {} >>\nstream\n", stream.len()).as_bytes());
            out.extend_from_slice(&stream);
            out.extend_from_slice(b"\nendstream");
        } else {
            out.extend_from_slice(object.as_bytes());
        }
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(image: bool, size: u64, name: &str) -> Upload {
        Upload {
            image,
            size,
            name: name.into(),
        }
    }

    #[test]
    fn images_are_pngs_and_the_same_key_gives_the_same_bytes() {
        let photo = upload(true, 2_000_000, "photo.png");
        let (kind, bytes) = content("a/photo.png", &photo);
        assert_eq!(kind, "image/png");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(content("a/photo.png", &photo).1, bytes);
        assert_ne!(content("b/photo.png", &photo).1, bytes);
    }

    #[test]
    fn pdfs_have_the_advertised_size_and_a_valid_trailer() {
        for size in [40_000, 40_001, 99_999, 180_000, 220_000] {
            let (kind, bytes) = content("u/invoice.pdf", &upload(false, size, "invoice.pdf"));
            assert_eq!(kind, "application/pdf");
            assert_eq!(bytes.len() as u64, size, "size {size}");
            assert!(bytes.starts_with(b"%PDF-1.4\n"));
            assert!(bytes.ends_with(b"%%EOF\n"));
            // startxref points at the xref table.
            let tail = String::from_utf8_lossy(&bytes[bytes.len() - 40..]).into_owned();
            let at: usize = tail
                .rsplit("startxref\n")
                .next()
                .and_then(|rest| rest.lines().next())
                .and_then(|n| n.parse().ok())
                .expect("startxref");
            assert!(bytes[at..].starts_with(b"xref\n"));
        }
        // Smaller than the bare document: the bare document.
        let (_, tiny) = content("u/x.pdf", &upload(false, 10, "x.pdf"));
        assert!(tiny.ends_with(b"%%EOF\n"));
    }

    #[test]
    fn other_files_are_that_many_bytes() {
        let (kind, bytes) = content("u/m.xlsx", &upload(false, 12_345, "m.xlsx"));
        assert_eq!(kind, "application/octet-stream");
        assert_eq!(bytes.len(), 12_345);
    }

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }
}
