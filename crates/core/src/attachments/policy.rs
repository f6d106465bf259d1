//! Which attachment URLs and addresses may be fetched.
//!
//! A buyer chooses attachment URLs, so a URL is only a request for the app to connect
//! somewhere. Addresses that reach the seller's own machine or network (loopback, private,
//! link-local, unique-local, CGNAT, multicast, unspecified, documentation, benchmark and reserved
//! ranges, also when wrapped in an IPv4-mapped, -compatible, NAT64 or 6to4 IPv6 address) are
//! refused, except for the marketplace server's own host and port: the demo (a simulator on
//! `127.0.0.1`) and a test marketplace on the LAN serve their own uploads.
//!
//! The check is made on what is connected to: an IP-literal URL is checked here before any
//! request (and on every redirect hop, see `download.rs`), and a host name is checked by the
//! resolver after resolving it, so a name that resolves to a public address once and to
//! `127.0.0.1` the next time (DNS rebinding) is refused the second time too.

use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an attachment URL or address is refused (`ATTACHMENT_REFUSED`). The messages name no
/// URL: a signed URL's signature must not reach logs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only http and https attachments can be downloaded")]
    Scheme,
    #[error("the attachment URL has no host")]
    NoHost,
    #[error("the attachment URL carries a user name or password")]
    UserInfo,
    #[error("the attachment is on a local or private address ({0})")]
    Address(IpAddr),
    #[error("the attachment's host resolves only to local or private addresses")]
    NoPublicAddress,
    #[error("the attachment's host did not resolve to any address")]
    NoAddress,
}

/// The marketplace server's own host and port, from the signed-in server URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marketplace {
    host: url::Host<String>,
    port: Option<u16>,
}

impl Marketplace {
    /// The marketplace of a server URL (`http://127.0.0.1:4000`, `https://market.example`);
    /// `None` for something without a host. `ws`/`wss` URLs count as `http`/`https`.
    pub fn from_server_url(server: &str) -> Option<Self> {
        let parsed = Url::parse(server.trim()).ok()?;
        let port = parsed.port().or(match parsed.scheme() {
            "http" | "ws" => Some(80),
            "https" | "wss" => Some(443),
            _ => None,
        });
        Some(Self {
            host: parsed.host()?.to_owned(),
            port,
        })
    }

    /// Whether `url` is on the marketplace's own host and port.
    pub fn serves(&self, url: &Url) -> bool {
        url.host().is_some_and(|host| host.to_owned() == self.host)
            && url.port_or_known_default() == self.port
    }

    /// The marketplace's host name, when it is a name rather than an IP address.
    pub fn domain(&self) -> Option<&str> {
        match &self.host {
            url::Host::Domain(name) => Some(name),
            _ => None,
        }
    }
}

/// The URL parsed, if it is an absolute `http`/`https` URL with a host and without user info.
/// Nothing is resolved or connected to here.
pub fn parse(url: &str) -> Result<Url, Refusal> {
    let parsed = Url::parse(url.trim()).map_err(|_| Refusal::Scheme)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Refusal::Scheme);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Refusal::NoHost);
    }
    // `https://market.example@10.0.0.1/` shows one host and connects to the other.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refusal::UserInfo);
    }
    Ok(parsed)
}

/// The checks on a URL before it is requested, and on each redirect hop: a well-formed
/// http(s) URL, and an IP-literal host (which no resolver sees) must be public unless it is the
/// marketplace's own host and port. Host names are checked when resolved (the filtering
/// resolver in `download.rs`).
///
/// `private_name_ok` says whether the resolver of the client making the request lets private
/// addresses through for the marketplace's host name: such a client must not follow a URL to
/// that name on another port, where the resolver could no longer tell them apart.
pub fn check_url(
    url: &Url,
    marketplace: Option<&Marketplace>,
    private_name_ok: bool,
) -> Result<(), Refusal> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::Scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::UserInfo);
    }
    if marketplace.is_some_and(|m| m.serves(url)) {
        return Ok(());
    }
    match url.host() {
        None => Err(Refusal::NoHost),
        Some(url::Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let same_name = marketplace
                .and_then(Marketplace::domain)
                .is_some_and(|own| own.eq_ignore_ascii_case(name));
            if private_name_ok && same_name {
                Err(Refusal::NoPublicAddress)
            } else {
                Ok(())
            }
        }
    }
}

/// `Ok` for a public address.
pub fn check_ip(ip: IpAddr) -> Result<(), Refusal> {
    if is_public(ip) {
        Ok(())
    } else {
        Err(Refusal::Address(ip))
    }
}

/// Whether `ip` is a globally routable unicast address: the only kind an attachment from a
/// buyer may be fetched from.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0 // "this network"
        || a == 10 // private
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || a == 127 // loopback
        || (a == 169 && b == 254) // link-local
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168) // private
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18/15
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224; // multicast 224/4, reserved 240/4, broadcast
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped): the
    // IPv4 address inside decides (`::` and `::1` fall in 0.0.0.0/8).
    if s[..5] == [0; 5] && (s[5] == 0 || s[5] == 0xffff) {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the IPv4 address inside.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    // 6to4 2002::/16 carries an IPv4 address in its next 32 bits.
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    // Only global unicast 2000::/3 from here on (no link-local, unique-local, multicast, ...).
    if s[0] & 0xe000 != 0x2000 {
        return false;
    }
    // IETF protocol assignments 2001::/23 (Teredo, benchmarking, ORCHID), documentation
    // 2001:db8::/32 and 3fff::/20.
    let special =
        (s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8)) || (s[0] == 0x3fff && s[1] < 0x1000);
    !special
}
