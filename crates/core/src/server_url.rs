//! Which marketplace server addresses may receive the token: `https`/`wss` anywhere, plain
//! `http`/`ws` only on this computer (127.0.0.0/8, ::1, `localhost`). The check reads the URL
//! alone, with no DNS lookup, so a refusal happens before anything leaves the machine.

use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ServerUrlError {
    #[error("the server address is not a valid http(s) URL")]
    Invalid,
    #[error(
        "refused to send the token over plain {scheme}:// to {host}; use https:// \
         (plain http is only for servers on this computer)"
    )]
    Insecure { scheme: String, host: String },
}

impl ServerUrlError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid => "INVALID_SERVER",
            Self::Insecure { .. } => "INSECURE_SERVER",
        }
    }
}

/// `Ok` when the token may be sent to `server`.
pub fn require_secure(server: &str) -> Result<(), ServerUrlError> {
    let url = Url::parse(server.trim()).map_err(|_| ServerUrlError::Invalid)?;
    // Credentials in the address would travel beside the token, and `user@host` misleads.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ServerUrlError::Invalid);
    }
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host,
        _ => return Err(ServerUrlError::Invalid),
    };
    // The URL parser has already normalized IP literals (`127.1` is `127.0.0.1`).
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<IpAddr>() {
        Ok(ip) => is_loopback(ip),
        Err(_) => is_localhost_name(bare),
    };
    match url.scheme() {
        "https" | "wss" => Ok(()),
        "http" | "ws" if loopback => Ok(()),
        scheme @ ("http" | "ws") => Err(ServerUrlError::Insecure {
            scheme: scheme.to_owned(),
            host: host.to_owned(),
        }),
        _ => Err(ServerUrlError::Invalid),
    }
}

/// `localhost` itself; other names are not trusted to resolve to this computer without asking
/// a resolver, which this check never does.
fn is_localhost_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.eq_ignore_ascii_case("localhost")
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6 == Ipv6Addr::LOCALHOST
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_plain_http_only_on_this_computer() {
        for ok in [
            "https://market.example.com",
            "wss://market.example.com/socket",
            "https://10.0.0.5:4000",
            "http://127.0.0.1:4000",
            "http://127.9.8.7:4000/",
            "ws://127.0.0.1:4000",
            "http://[::1]:4000",
            "http://[::ffff:127.0.0.1]:4000",
            "http://localhost:4000",
            "http://LOCALHOST.:4000",
            "  http://127.0.0.1:4000/  ",
        ] {
            assert_eq!(require_secure(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn plain_http_to_another_host_is_insecure() {
        for insecure in [
            "http://market.example.com",
            "http://192.168.1.10:4000",
            "http://10.0.0.5",
            "ws://market.example.com",
            "http://[::2]:4000",
            "http://[::ffff:10.0.0.1]:4000",
            "http://localhost.evil.test",
            "http://0.0.0.0:4000",
            "HTTP://Market.Example.com",
        ] {
            let refused = require_secure(insecure).expect_err(insecure);
            assert!(
                matches!(refused, ServerUrlError::Insecure { .. }),
                "{insecure}: {refused:?}"
            );
            assert_eq!(refused.code(), "INSECURE_SERVER");
        }
    }

    #[test]
    fn anything_else_is_invalid() {
        for invalid in [
            "",
            "market.example.com",
            "ftp://market.example.com",
            "file:///tmp/x",
            "https://user:pass@market.example.com",
            "http://paypal.com@127.0.0.1:4000",
            "https://",
        ] {
            assert_eq!(
                require_secure(invalid),
                Err(ServerUrlError::Invalid),
                "{invalid}"
            );
        }
        assert_eq!(ServerUrlError::Invalid.code(), "INVALID_SERVER");
    }
}
