//! Random draws from the world's seeded generator: table picks and realistic identifiers.

use rand::Rng;

/// A uniformly chosen element of a static table. Tables are never empty (see the catalog test).
pub fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// `len` lowercase hex digits.
pub fn hex<R: Rng>(rng: &mut R, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect()
}

/// A random (v4-shaped) UUID drawn from `rng`, so it is reproducible from the seed.
pub fn uuid<R: Rng>(rng: &mut R) -> String {
    uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string()
}

pub fn transaction<R: Rng>(rng: &mut R) -> String {
    format!("txn_{}", hex(rng, 24))
}

/// A carrier tracking number: its prefix and digits/letters in the carrier's style.
pub fn tracking<R: Rng>(rng: &mut R, prefix: &str) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    let body: String = (0..16)
        .map(|_| char::from(ALNUM[rng.gen_range(0..ALNUM.len())]))
        .collect();
    format!("{prefix}{body}")
}

/// A file size between `min` and `max` bytes.
pub fn size<R: Rng>(rng: &mut R, min: u64, max: u64) -> u64 {
    if max > min {
        rng.gen_range(min..=max)
    } else {
        min
    }
}
