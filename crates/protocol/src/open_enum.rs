//! Forward-compatible string enums: known values get a variant, anything else is kept verbatim.

/// Declares a string enum whose unknown values survive as `Other(String)`, so a newer server
/// never breaks an older client and the value still reaches the cache and the UI.
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident = $wire:literal),+ $(,)? }
    ) => {
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        $(#[$meta])*
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
            /// A value this client does not know yet, kept as sent.
            #[serde(untagged)]
            Other(String),
        }

        impl $name {
            /// Every value this client knows, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other.as_str(),
                }
            }

            /// Parses a wire value; unknown text becomes `Other`.
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
