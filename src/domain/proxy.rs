//! Which client a request came from when Latchkey runs behind reverse proxies: the peer's
//! address, unless the peer is a configured trusted proxy, in which case the nearest address in
//! `X-Forwarded-For` that is not itself a trusted proxy.

use std::net::IpAddr;

/// One trusted network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    fn parse(input: &str) -> Result<Self, String> {
        let (addr, prefix) = match input.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (input.trim(), None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{input}` is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{input}` has an invalid prefix length"))?,
        };
        Ok(Self { addr, prefix })
    }

    fn contains(self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// Parses addresses (`10.0.0.5`) and networks (`10.0.0.0/8`, `fd00::/8`).
    pub fn parse(list: &[String]) -> Result<Self, String> {
        list.iter()
            .map(|s| Network::parse(s))
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// Whether a request reached the proxy over https: only a trusted peer's
    /// `X-Forwarded-Proto` is believed, and only when every entry of it says `https`.
    pub fn forwarded_https(&self, peer: IpAddr, forwarded_proto: &[&str]) -> bool {
        let mut entries = forwarded_proto
            .iter()
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .peekable();
        self.trusts(peer)
            && entries.peek().is_some()
            && entries.all(|e| e.eq_ignore_ascii_case("https"))
    }

    /// The client's address: the peer, or — when the peer is trusted — the rightmost address
    /// of `X-Forwarded-For` (all its lines, in order) that is not a trusted proxy. A malformed
    /// entry stops the walk: what lies to its left was written by someone untrusted.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                Err(_) => return client,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_ip(ip("198.51.100.9"), &["203.0.113.7"]),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &["203.0.113.7"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &["6.6.6.6, 203.0.113.7, 10.1.2.3"]),
            ip("203.0.113.7"),
            "a forged leftmost entry is ignored"
        );
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &["6.6.6.6", "203.0.113.7"]),
            ip("203.0.113.7"),
            "several header lines are one list"
        );
        assert_eq!(p.client_ip(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &["<script>, 10.0.0.2"]),
            ip("10.0.0.2"),
            "junk stops the walk"
        );
    }

    #[test]
    fn networks_and_mapped_addresses_match() {
        let p = proxies(&["fd00::/8", "192.168.0.0/16"]);
        assert!(p.trusts(ip("fd12::1")));
        assert!(p.trusts(ip("::ffff:192.168.4.4")));
        assert!(!p.trusts(ip("192.169.0.1")));
        assert!(TrustedProxies::parse(&["10.0.0.0/33".to_owned()]).is_err());
        assert!(TrustedProxies::parse(&["proxy.example".to_owned()]).is_err());
    }
}
