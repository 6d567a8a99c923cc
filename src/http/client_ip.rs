//! The client's address: the peer's, unless the peer is one of the operator's trusted reverse
//! proxies (`--trusted-proxies`), in which case `X-Forwarded-For` says who the client is. The
//! header is read from the right, as each proxy appends the address it saw: the rightmost
//! address not itself a trusted proxy is the first one nobody trustworthy vouches for beyond,
//! so a client cannot pick its own address by sending the header itself.

use std::net::IpAddr;
use std::sync::Arc;

use actix_governor::{KeyExtractor, SimpleKeyExtractionError};
use actix_web::dev::ServiceRequest;
use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// The header reverse proxies add.
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// Parses a CIDR range (`10.0.0.0/8`, `::1/128`) or a single address, for the flag.
pub fn parse_cidr(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    if s.contains('/') {
        s.parse::<IpNet>().map(|n| n.trunc()).map_err(|e| format!("{s}: {e}"))
    } else {
        s.parse::<IpAddr>().map(IpNet::from).map_err(|e| format!("{s}: {e}"))
    }
}

impl TrustedProxies {
    /// Trusts the proxies in `nets`.
    pub fn new(nets: Vec<IpNet>) -> Self {
        TrustedProxies(nets)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values in the order received.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded_for.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|h| !h.is_empty());
        for hop in hops.collect::<Vec<_>>().into_iter().rev() {
            // An entry we cannot read ends the walk: what lies left of it is unvouched for.
            let Ok(ip) = hop.parse::<IpAddr>() else { break };
            client = ip.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }

    /// The client of a request with peer `peer` and headers `headers`; `None` without a peer.
    pub fn client_of(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let values: Vec<&str> = headers.get_all(FORWARDED_FOR).filter_map(|v| v.to_str().ok()).collect();
        peer.map(|p| self.client(p, &values))
    }
}

/// The client address of an actix request.
pub fn client_addr(req: &actix_web::HttpRequest, trusted: &TrustedProxies) -> Option<IpAddr> {
    trusted.client_of(req.peer_addr().map(|a| a.ip()), req.headers())
}

/// The rate limiter's key: the client address, by the same rule as everything else.
#[derive(Debug, Clone)]
pub struct ClientIpKeyExtractor(pub Arc<TrustedProxies>);

impl KeyExtractor for ClientIpKeyExtractor {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<IpAddr, Self::KeyExtractionError> {
        let ip = self
            .0
            .client_of(req.peer_addr().map(|a| a.ip()), req.headers())
            .ok_or_else(|| SimpleKeyExtractionError::new("the request has no peer address"))?;
        // One subscriber usually has a whole /56 of IPv6 addresses; limit the prefix, not each.
        Ok(match ip {
            IpAddr::V6(v6) => {
                let mut octets = v6.octets();
                octets[7..].fill(0);
                IpAddr::V6(octets.into())
            }
            v4 => v4,
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn key(trusted: &[&str], peer: &str, xff: &[&str]) -> IpAddr {
        let t = TrustedProxies::new(trusted.iter().map(|s| parse_cidr(s).unwrap()).collect());
        let peer = std::net::SocketAddr::new(ip(peer), 4000);
        let mut req = TestRequest::default().peer_addr(peer);
        for v in xff {
            req = req.append_header(("X-Forwarded-For", *v));
        }
        ClientIpKeyExtractor(Arc::new(t)).extract(&req.to_srv_request()).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(key(&[], "203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"));
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        assert_eq!(key(&["10.0.0.0/8"], "203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_counts() {
        // The client forged the first entry; the proxy appended the address it really saw.
        let k = key(&["10.0.0.0/8"], "10.0.0.2", &["1.2.3.4, 198.51.100.7"]);
        assert_eq!(k, ip("198.51.100.7"));
        // Two proxies in a row, and the header split over two lines.
        let k = key(&["10.0.0.0/8", "192.168.1.1"], "10.0.0.2", &["1.2.3.4, 198.51.100.7", "192.168.1.1"]);
        assert_eq!(k, ip("198.51.100.7"));
    }

    #[test]
    fn unreadable_or_missing_entries_stop_at_the_last_vouched_address() {
        assert_eq!(key(&["10.0.0.0/8"], "10.0.0.2", &[]), ip("10.0.0.2"));
        assert_eq!(key(&["10.0.0.0/8"], "10.0.0.2", &["1.2.3.4, junk, 10.0.0.3"]), ip("10.0.0.3"));
    }

    #[test]
    fn ipv6_clients_share_a_key_per_56_prefix_and_mapped_ipv4_is_plain_ipv4() {
        let a = key(&["::1/128"], "::1", &["2001:db8:aa:bb01::1"]);
        let b = key(&["::1/128"], "::1", &["2001:db8:aa:bbff::2"]);
        assert_eq!(a, b);
        assert_eq!(key(&["127.0.0.1"], "::ffff:127.0.0.1", &["198.51.100.7"]), ip("198.51.100.7"));
    }

    #[test]
    fn cidr_parsing_accepts_ranges_and_single_addresses() {
        assert_eq!(parse_cidr("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse_cidr("::1").unwrap().to_string(), "::1/128");
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("proxy.example").is_err());
    }
}
