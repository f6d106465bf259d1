//! HTTP for attachments: two clients whose resolver and redirect policy enforce `policy.rs` on
//! every connection, and the download of one URL into a `.part` file within a size cap.
//!
//! - The resolver resolves a host name and hands the connector only the addresses the policy
//!   allows, so what is checked is exactly what is connected to (DNS rebinding cannot slip a
//!   private address in between a check and the connection).
//! - IP-literal hosts never reach a resolver: they are checked before the request and by the
//!   redirect policy on every hop (which also re-checks the scheme and user info).
//! - Proxies are off: with a proxy, the proxy would connect for us and our resolver would only
//!   ever see the proxy's name.
//! - Two clients: `own` for URLs on the marketplace's own host and port (its resolver lets
//!   private addresses through for the marketplace's host name only), `public` for everything
//!   else (public addresses only, whatever the name).

use super::policy::{self, Marketplace, Refusal};
use super::{AttachmentError, Limits};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// Redirects followed at most per download.
pub const MAX_REDIRECTS: usize = 5;

/// The addresses of a host name (the system resolver; tests map names to addresses of their
/// choice to play a rebinding DNS server).
pub trait Lookup: Send + Sync + 'static {
    fn lookup(&self, host: String)
        -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;
}

/// The operating system's resolver.
#[derive(Debug, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// Resolves with `lookup`, then drops every address the policy refuses; fails with a
/// [`Refusal`] when none is left.
struct FilteringResolver {
    lookup: Arc<dyn Lookup>,
    /// The one host name whose private addresses are let through (the marketplace's).
    private_ok: Option<String>,
}

impl Resolve for FilteringResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let private_ok = self
            .private_ok
            .as_deref()
            .is_some_and(|own| own.eq_ignore_ascii_case(&host));
        let lookup = self.lookup.lookup(host);
        Box::pin(async move {
            let found = lookup.await?;
            if found.is_empty() {
                return Err(Box::new(Refusal::NoAddress) as _);
            }
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|ip| private_ok || policy::is_public(*ip))
                // The connector sets the URL's port.
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(Refusal::NoPublicAddress) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("more than {MAX_REDIRECTS} redirects")]
struct TooManyRedirects;

/// The HTTP clients of one marketplace.
#[derive(Clone, Debug)]
pub(super) struct Clients {
    marketplace: Option<Marketplace>,
    own: reqwest::Client,
    public: reqwest::Client,
}

impl Clients {
    pub(super) fn new(
        limits: &Limits,
        lookup: Arc<dyn Lookup>,
        marketplace: Option<Marketplace>,
    ) -> Result<Self, AttachmentError> {
        let own = client(limits, lookup.clone(), marketplace.clone(), true)?;
        let public = client(limits, lookup, None, false)?;
        Ok(Self {
            marketplace,
            own,
            public,
        })
    }

    /// The client for `url` once the URL passed the checks made before any request.
    pub(super) fn for_url(&self, url: &Url) -> Result<&reqwest::Client, Refusal> {
        match &self.marketplace {
            Some(own) if own.serves(url) => {
                policy::check_url(url, Some(own), true)?;
                Ok(&self.own)
            }
            _ => {
                policy::check_url(url, None, false)?;
                Ok(&self.public)
            }
        }
    }

    pub(super) fn marketplace(&self) -> Option<&Marketplace> {
        self.marketplace.as_ref()
    }
}

fn client(
    limits: &Limits,
    lookup: Arc<dyn Lookup>,
    marketplace: Option<Marketplace>,
    own: bool,
) -> Result<reqwest::Client, AttachmentError> {
    let resolver = FilteringResolver {
        lookup,
        private_ok: marketplace
            .as_ref()
            .and_then(Marketplace::domain)
            .map(str::to_owned),
    };
    let redirect = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(TooManyRedirects);
        }
        match policy::check_url(attempt.url(), marketplace.as_ref(), own) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    });
    reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(Arc::new(resolver))
        .redirect(redirect)
        .connect_timeout(limits.connect_timeout)
        .user_agent(concat!("SellerDesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(download_error)
}

/// The refusal behind a reqwest error (from our resolver or redirect policy), if any. Errors
/// pass through reqwest, hyper and `io::Error` wrappers, so each cause is looked into.
fn refusal_in(error: &reqwest::Error) -> Option<Refusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(refusal) = current.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        if let Some(inner) = current
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .and_then(|e| e.downcast_ref::<Refusal>())
        {
            return Some(inner.clone());
        }
        cause = current.source();
    }
    None
}

/// reqwest's message without the URL (a signed URL would leak its signature into logs).
pub(super) fn download_error(error: reqwest::Error) -> AttachmentError {
    if let Some(refusal) = refusal_in(&error) {
        return AttachmentError::Refused(refusal);
    }
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    AttachmentError::Download(message)
}

/// Downloads `url` into `part`, refusing more than `limit` bytes (by `Content-Length` and while
/// streaming).
pub(super) async fn download(
    client: &reqwest::Client,
    url: Url,
    part: &Path,
    limit: u64,
) -> Result<(), AttachmentError> {
    let mut response = client.get(url).send().await.map_err(download_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(AttachmentError::Download(format!(
            "the server answered {status}"
        )));
    }
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(AttachmentError::TooLarge { limit });
    }
    let mut file = tokio::fs::File::create(part)
        .await
        .map_err(super::io_error(part))?;
    let mut written: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(download_error)? {
        written += chunk.len() as u64;
        if written > limit {
            return Err(AttachmentError::TooLarge { limit });
        }
        file.write_all(&chunk)
            .await
            .map_err(super::io_error(part))?;
    }
    file.flush().await.map_err(super::io_error(part))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A rebinding name server: a public address on the first lookup, then the canary's.
    struct Rebinding(AtomicUsize);

    impl Lookup for Rebinding {
        fn lookup(
            &self,
            _host: String,
        ) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>> {
            let answer = if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
                vec!["93.184.216.34".parse().expect("ip")]
            } else {
                vec![
                    "127.0.0.2".parse().expect("ip"),
                    "10.0.0.1".parse().expect("ip"),
                ]
            };
            Box::pin(async move { Ok(answer) })
        }
    }

    async fn resolve(resolver: &FilteringResolver, name: &str) -> Result<Vec<IpAddr>, String> {
        let name: Name = name.parse().expect("name");
        match resolver.resolve(name).await {
            Ok(addrs) => Ok(addrs.map(|a| a.ip()).collect()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[tokio::test]
    async fn every_resolution_is_filtered_so_rebinding_gets_nothing_private() {
        let resolver = FilteringResolver {
            lookup: Arc::new(Rebinding(AtomicUsize::new(0))),
            private_ok: Some("market.test".into()),
        };
        // What the connector gets is what was checked: the public address the first time...
        assert_eq!(
            resolve(&resolver, "evil.test").await,
            Ok(vec!["93.184.216.34".parse().expect("ip")])
        );
        // ...and nothing when the same name turns private on the next connection.
        assert_eq!(
            resolve(&resolver, "evil.test").await,
            Err(Refusal::NoPublicAddress.to_string())
        );
        // Only the marketplace's own name may resolve to a private address.
        assert_eq!(
            resolve(&resolver, "MARKET.test").await.map(|a| a.len()),
            Ok(2)
        );
    }
}
