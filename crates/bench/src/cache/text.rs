//! Seeded, deterministic text for the generated cache: a small PRNG (no dependency, the same
//! sequence on every platform) and message text mixing accents, apostrophes, URLs, emoji,
//! order ids and lengths from a word to a paragraph.

/// splitmix64: tiny, fast, and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub const FIRST_NAMES: &[&str] = &[
    "Zoë",
    "José",
    "Amélie",
    "Björn",
    "Łukasz",
    "Chloé",
    "François",
    "Søren",
    "Inés",
    "Müge",
    "Renée",
    "Anaïs",
    "Jürgen",
    "Noémie",
    "Dvořák",
    "Siobhán",
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Mateo",
    "Mia",
    "Lucas",
    "Sofia",
    "Hugo",
    "Yuki",
    "Priya",
    "Chen",
    "Fatima",
    "Omar",
    "Ana",
    "Paul",
    "Grace",
    "Tomás",
    "Élodie",
    "Kai",
    "Nina",
    "Sam",
    "Léa",
];

pub const LAST_NAMES: &[&str] = &[
    "O'Brien",
    "D'Angelo",
    "Müller",
    "García",
    "Núñez",
    "Łęcka",
    "Smith",
    "Nguyen",
    "Dubois",
    "Johansson",
    "Kowalski",
    "Rossi",
    "Fernández",
    "Brontë",
    "Lefèvre",
    "Tanaka",
    "Patel",
    "Okafor",
    "Schäfer",
    "Jensen",
    "Martin",
    "Brown",
    "Silva",
    "Costa",
];

const OPENERS: &[&str] = &[
    "Hi!",
    "Hello,",
    "Bonjour,",
    "Hola,",
    "Hey there,",
    "Good morning!",
    "Hallo,",
    "Hi again,",
    "Thanks!",
    "Quick question:",
    "Sorry to bother you,",
    "",
];

const SENTENCES: &[&str] = &[
    "is the item still available?",
    "I'd like to buy two of them, can you do a discount?",
    "what's the shipping time to Montréal?",
    "the package arrived but the box was damaged",
    "can you ship to São Paulo?",
    "I haven't received my tracking number yet",
    "does it come in a smaller size?",
    "the café au lait colour looks great",
    "I'll pay today, is PayPal okay?",
    "it's for my daughter's birthday, could you gift-wrap it?",
    "the crème brûlée set is exactly what I wanted",
    "j'ai bien reçu la commande, merci beaucoup",
    "¿puede enviarlo a Málaga esta semana?",
    "die Größe passt leider nicht, kann ich es umtauschen?",
    "we're moving next week, please use my new address",
    "the naïve-art print is gorgeous",
    "can you confirm the order before Friday?",
    "I've left you a five-star review",
    "the charger doesn't fit the European socket",
    "is the jacket waterproof or just water-resistant?",
    "could you send more photos of the back?",
    "my résumé folder arrived scratched",
    "the piñata was a hit at the party",
    "what's your return policy?",
    "shipping was super fast, thank you",
    "the colour isn't quite like the photo",
    "do you have this in navy blue?",
    "please cancel, I ordered the wrong one",
    "is the price negotiable?",
    "I can pick it up myself in Zürich",
];

const URLS: &[&str] = &[
    "https://example.com/listing/L-40213?ref=chat",
    "https://photos.example.org/u/8812/IMG_2041.jpg",
    "http://track.example.net/?code=1Z999AA10123456784",
    "https://www.example.com/help/returns#policy",
    "https://maps.example.com/place/Rue+de+l'Église,+Paris",
];

const EMOJI: &[&str] = &[
    "🙂", "👍", "🎉", "❤️", "😂", "🙏", "📦", "🚚", "✨", "😅", "👌🏽",
];

/// One message: 1-6 sentences, sometimes a URL, an order id or emoji.
pub fn message(rng: &mut Rng) -> String {
    let mut text = String::with_capacity(160);
    let opener = rng.pick(OPENERS);
    text.push_str(opener);
    // Mostly short chat lines, now and then a long one.
    let sentences = match rng.below(100) {
        0..=54 => 1,
        55..=84 => 2,
        85..=95 => 3,
        _ => 6,
    };
    for _ in 0..sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(rng.pick(SENTENCES));
    }
    if rng.chance(8) {
        text.push(' ');
        text.push_str(rng.pick(URLS));
    }
    if rng.chance(10) {
        text.push_str(&format!(" Order ORD-{:06}.", rng.below(200_000)));
    }
    if rng.chance(20) {
        text.push(' ');
        text.push_str(rng.pick(EMOJI));
    }
    text
}
