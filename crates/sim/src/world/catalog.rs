//! The fixed text the world is made of: people, products, places and things they say.
//!
//! Names and messages deliberately include accents, apostrophes, emoji and URLs, so a client
//! meets them in every demo run.

/// A buyer persona: display name and home town.
pub struct BuyerSeed {
    pub name: &'static str,
    pub city: &'static str,
    pub country: &'static str,
}

pub const BUYERS: &[BuyerSeed] = &[
    BuyerSeed {
        name: "Zoë Martin",
        city: "Lyon",
        country: "FR",
    },
    BuyerSeed {
        name: "José Álvarez",
        city: "Sevilla",
        country: "ES",
    },
    BuyerSeed {
        name: "Siobhán O'Neill",
        city: "Cork",
        country: "IE",
    },
    BuyerSeed {
        name: "Li Wei",
        city: "Vancouver",
        country: "CA",
    },
    BuyerSeed {
        name: "Amélie Dubois",
        city: "Montréal",
        country: "CA",
    },
    BuyerSeed {
        name: "D'Angelo Brooks",
        city: "Atlanta",
        country: "US",
    },
    BuyerSeed {
        name: "Björn Andersson",
        city: "Göteborg",
        country: "SE",
    },
    BuyerSeed {
        name: "Priya Natarajan",
        city: "Austin",
        country: "US",
    },
    BuyerSeed {
        name: "Ngozi Okafor",
        city: "London",
        country: "GB",
    },
    BuyerSeed {
        name: "Kenji Tanaka",
        city: "Seattle",
        country: "US",
    },
    BuyerSeed {
        name: "Chloé Lefèvre",
        city: "Bruxelles",
        country: "BE",
    },
    BuyerSeed {
        name: "Mateus Conceição",
        city: "Lisboa",
        country: "PT",
    },
];

/// A product the seller lists: title, base price in cents, currency.
pub struct ProductSeed {
    pub title: &'static str,
    pub price_cents: i64,
    pub currency: &'static str,
}

pub const PRODUCTS: &[ProductSeed] = &[
    ProductSeed {
        title: "Handmade ceramic mug – speckled glaze",
        price_cents: 2_800,
        currency: "USD",
    },
    ProductSeed {
        title: "Vintage Levi's 501 jeans (W32 L34)",
        price_cents: 6_450,
        currency: "USD",
    },
    ProductSeed {
        title: "Merino wool beanie, charcoal",
        price_cents: 3_200,
        currency: "USD",
    },
    ProductSeed {
        title: "Leather card wallet — tan",
        price_cents: 4_500,
        currency: "USD",
    },
    ProductSeed {
        title: "Hand-poured soy candle 🕯️ cedar & fig",
        price_cents: 2_200,
        currency: "USD",
    },
    ProductSeed {
        title: "65% mechanical keyboard, hot-swap",
        price_cents: 11_900,
        currency: "USD",
    },
    ProductSeed {
        title: "Linen tea towels, set of 3",
        price_cents: 2_600,
        currency: "USD",
    },
    ProductSeed {
        title: "Crème brûlée torch kit",
        price_cents: 3_999,
        currency: "USD",
    },
    ProductSeed {
        title: "Macramé plant hanger \"Boho\"",
        price_cents: 1_850,
        currency: "USD",
    },
    ProductSeed {
        title: "Walnut cutting board (40 × 25 cm)",
        price_cents: 7_400,
        currency: "USD",
    },
];

pub const SELLER_ID: &str = "seller-1";
pub const SELLER_NAME: &str = "Harbor & Pine Goods";
pub const WAREHOUSE_CITY: &str = "Portland";
pub const WAREHOUSE_COUNTRY: &str = "US";

pub const CDN: &str = "https://cdn.marketplace.example";

/// What buyers write when opening a conversation.
pub const OPENERS: &[&str] = &[
    "Hi! Is this still available?",
    "Hello, do you ship to Montréal? 🇨🇦",
    "Bonjour ! Est-ce que la taille est fidèle ?",
    "¿Hace envíos a España? Gracias 🙏",
    "Hey — I'd love two of these if you can do a bundle price 😊",
    "Quick question about the dimensions, the photo at https://imgur.com/a/x7Kp2Qz looks bigger?",
    "Hi there, is the colour closer to grey or brown?",
];

/// Follow-ups inside an existing conversation.
pub const FOLLOW_UPS: &[&str] = &[
    "Thanks so much! 🙌",
    "When will my order ship?",
    "I've just paid, can you confirm?",
    "It arrived today — it's even nicer than the photos 😍",
    "The tracking link says \"label created\" since Monday, is that normal?",
    "Could you gift-wrap it? It's for my mum's birthday 🎁",
    "Here's a photo of the scratch I mentioned.",
    "I can't open https://track.example.com/?id=1Z999AA10123456784&lang=en — any other link?",
    "Perfect, merci beaucoup !",
    "Would you accept 20 € instead of the listed price?",
    "Sorry for the late reply, I was travelling ✈️",
];

/// What the seller writes from another device (echoed to every session of the seller).
pub const SELLER_LINES: &[&str] = &[
    "Thanks for your order! It ships tomorrow morning.",
    "Yes, it's still available 🙂",
    "I've added a little something extra in the parcel.",
    "Tracking should update within 24h, sorry for the wait!",
    "Of course — I can do a bundle price for two.",
];

/// Attachment files: (name, min size, max size) in bytes.
pub const IMAGES: &[(&str, u64, u64)] = &[
    ("IMG_20250611_142233.jpg", 1_200_000, 4_800_000),
    ("photo.png", 300_000, 2_100_000),
    ("Screenshot 2025-06-02 at 09.14.31.png", 180_000, 900_000),
    ("scratch close-up.heic", 900_000, 3_200_000),
];

pub const FILES: &[(&str, u64, u64)] = &[
    ("invoice.pdf", 40_000, 180_000),
    ("measurements.xlsx", 12_000, 60_000),
    ("return-label.pdf", 60_000, 140_000),
    ("customs_declaration_CN22.pdf", 90_000, 220_000),
];

/// Carriers with the prefix of their tracking numbers.
pub const CARRIERS: &[(&str, &str)] = &[
    ("UPS", "1Z"),
    ("DHL Express", "JD"),
    ("FedEx", "7"),
    ("USPS", "94"),
    ("Royal Mail", "RM"),
];

/// Hubs a parcel passes through: (city, country, status text).
pub const HUBS: &[(&str, &str, &str)] = &[
    ("Louisville", "US", "Arrived at sort facility"),
    ("Memphis", "US", "Departed facility"),
    ("Leipzig", "DE", "Processed at hub"),
    ("East Midlands", "GB", "In transit"),
    ("Roissy-en-France", "FR", "Cleared customs"),
];

pub const PAYMENT_METHODS: &[&str] = &[
    "card_visa",
    "card_mastercard",
    "paypal",
    "apple_pay",
    "klarna",
];

/// (kind, priority, title, message, action label, action url, days until expiry)
pub struct SystemSeed {
    pub kind: &'static str,
    pub priority: &'static str,
    pub title: &'static str,
    pub message: &'static str,
    pub action: Option<(&'static str, &'static str, Option<&'static str>)>,
    pub expiry_hours: Option<i64>,
}

pub const SYSTEM_NOTES: &[SystemSeed] = &[
    SystemSeed {
        kind: "maintenance",
        priority: "medium",
        title: "Scheduled maintenance",
        message: "Payouts will be paused on Sunday 02:00–03:00 UTC while we upgrade our systems.",
        action: Some(("link", "Details", Some("https://status.marketplace.example/incidents/2025-06"))),
        expiry_hours: Some(72),
    },
    SystemSeed {
        kind: "alert",
        priority: "high",
        title: "New sign-in to your account",
        message: "We noticed a sign-in from Firefox on Linux in Göteborg, SE. Wasn't you? Secure your account now.",
        action: Some(("link", "Review activity", Some("https://marketplace.example/settings/security"))),
        expiry_hours: Some(24),
    },
    SystemSeed {
        kind: "announcement",
        priority: "low",
        title: "Bulk listing editor is here ✨",
        message: "Edit prices and stock of up to 500 listings at once.",
        action: Some(("button", "Try it", None)),
        expiry_hours: None,
    },
    SystemSeed {
        kind: "announcement",
        priority: "medium",
        title: "Updated seller fees",
        message: "From July 1st the transaction fee for the \"Home & Living\" category changes to 6.5%.",
        action: Some(("link", "Read the policy", Some("https://marketplace.example/help/fees?section=home"))),
        expiry_hours: Some(24 * 30),
    },
    SystemSeed {
        kind: "alert",
        priority: "high",
        title: "Payout method needs attention",
        message: "Your bank rejected the last payout. Please check your IBAN.",
        action: None,
        expiry_hours: None,
    },
];

/// (title, message) of promotions and reminders.
pub const PROMOTIONS: &[(&str, &str)] = &[
    (
        "Boost your listings",
        "Promoted listings are 20% off this weekend 🚀",
    ),
    (
        "Summer sale event",
        "Join the sitewide summer sale: buyers see a badge on discounted items.",
    ),
];

pub const REMINDERS: &[(&str, &str)] = &[
    (
        "Orders awaiting shipment",
        "You have orders that should ship today to stay on time.",
    ),
    (
        "Unanswered messages",
        "Buyers are waiting for a reply — a response within 24h helps your rating.",
    ),
    (
        "Renew expiring listings",
        "Some of your listings expire in 3 days.",
    ),
];
