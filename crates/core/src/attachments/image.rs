//! Image previews made here, never in the webview: a raster image recognized by its first
//! bytes, decoded within limits, and re-encoded as a small thumbnail (PNG when it has
//! transparency, JPEG otherwise). The webview only ever shows that thumbnail, so a crafted or
//! huge buyer image meets our decoder with its limits, not the webview's.

use ::image::{DynamicImage, ImageFormat};
use std::io::Cursor;

/// Images with more pixels are not previewed (a small file can decode to gigabytes).
pub const MAX_PREVIEW_PIXELS: u64 = 50_000_000;
/// Neither side of a decoded image may be longer.
pub const MAX_DECODE_SIDE: u32 = 16_384;
/// The most memory one decode may allocate (a 50-megapixel RGBA image takes 200 MB).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// The long side of a thumbnail, at most.
pub const MAX_THUMBNAIL_SIDE: u32 = 1024;
/// JPEG quality of thumbnails.
const JPEG_QUALITY: u8 = 85;

/// A raster image recognized by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub mime: &'static str,
    /// Width and height when the header says (always for a well-formed file).
    pub size: Option<(u32, u32)>,
}

impl ImageInfo {
    pub fn pixels(&self) -> Option<u64> {
        self.size.map(|(w, h)| u64::from(w) * u64::from(h))
    }

    fn format(&self) -> ImageFormat {
        match self.mime {
            "image/png" => ImageFormat::Png,
            "image/gif" => ImageFormat::Gif,
            "image/webp" => ImageFormat::WebP,
            _ => ImageFormat::Jpeg,
        }
    }
}

/// Why an image gets no preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("not a PNG, JPEG, GIF or WebP image")]
    NotAnImage,
    #[error("the image is too large")]
    TooLarge,
    #[error("the image is damaged")]
    Damaged,
}

/// A thumbnail ready for a `data:` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnail {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The thumbnail of an image file: at most [`MAX_THUMBNAIL_SIDE`] on its long side, decoded
/// under [`MAX_PREVIEW_PIXELS`], [`MAX_DECODE_SIDE`] and [`MAX_DECODE_ALLOC`]. CPU-bound: call
/// it off the async threads.
pub fn thumbnail(bytes: &[u8]) -> Result<Thumbnail, PreviewError> {
    let info = sniff_image(bytes).ok_or(PreviewError::NotAnImage)?;
    match info.pixels() {
        Some(pixels) if pixels <= MAX_PREVIEW_PIXELS => {}
        Some(_) => return Err(PreviewError::TooLarge),
        None => return Err(PreviewError::Damaged),
    }
    let mut limits = ::image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    // The format the bytes say, not the server's Content-Type or the file name.
    let mut reader = ::image::ImageReader::with_format(Cursor::new(bytes), info.format());
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        ::image::ImageError::Limits(_) => PreviewError::TooLarge,
        _ => PreviewError::Damaged,
    })?;
    let small = if decoded.width() > MAX_THUMBNAIL_SIDE || decoded.height() > MAX_THUMBNAIL_SIDE {
        decoded.thumbnail(MAX_THUMBNAIL_SIDE, MAX_THUMBNAIL_SIDE)
    } else {
        decoded
    };
    encode(&small)
}

fn encode(image: &DynamicImage) -> Result<Thumbnail, PreviewError> {
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    let mime = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.to_rgba8())
            .write_with_encoder(::image::codecs::png::PngEncoder::new(&mut bytes))
            .map_err(|_| PreviewError::Damaged)?;
        "image/png"
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(::image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut bytes,
                JPEG_QUALITY,
            ))
            .map_err(|_| PreviewError::Damaged)?;
        "image/jpeg"
    };
    Ok(Thumbnail {
        mime,
        bytes,
        width,
        height,
    })
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    )))
}
fn le16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    )))
}
fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(3)?)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

/// PNG, JPEG, GIF or WebP by magic bytes (`None` for anything else: SVG, HTML, HEIC, …).
pub fn sniff_image(bytes: &[u8]) -> Option<ImageInfo> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let size = (bytes.get(12..16) == Some(b"IHDR"))
            .then(|| Some((be32(bytes, 16)?, be32(bytes, 20)?)))
            .flatten();
        return Some(ImageInfo {
            mime: "image/png",
            size,
        });
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let size = le16(bytes, 6).zip(le16(bytes, 8));
        return Some(ImageInfo {
            mime: "image/gif",
            size,
        });
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(ImageInfo {
            mime: "image/jpeg",
            size: jpeg_size(bytes),
        });
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageInfo {
            mime: "image/webp",
            size: webp_size(bytes),
        });
    }
    None
}

/// Width and height from the first start-of-frame segment.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        while *bytes.get(at)? != 0xff {
            at += 1;
        }
        while *bytes.get(at)? == 0xff {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xd0..=0xd7 => continue,
            0xd9 | 0xda => return None,
            0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) => {
                return Some((be16(bytes, at + 5)?, be16(bytes, at + 3)?));
            }
            _ => at = at.checked_add(usize::try_from(be16(bytes, at)?).ok()?)?,
        }
    }
}

fn webp_size(bytes: &[u8]) -> Option<(u32, u32)> {
    match bytes.get(12..16)? {
        b"VP8X" => Some((le24(bytes, 24)? + 1, le24(bytes, 27)? + 1)),
        b"VP8 " => Some((le16(bytes, 26)? & 0x3fff, le16(bytes, 28)? & 0x3fff)),
        b"VP8L" => {
            let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        _ => None,
    }
}
