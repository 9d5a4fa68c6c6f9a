//! Where a webhook may point: not inside the server's own network — a loopback, private,
//! link-local, unique-local, shared, multicast, broadcast or unspecified address, in IPv4,
//! IPv6 or an IPv4 address written as IPv6 — unless the operator allows the host
//! (`JIANDU_WEBHOOK_ALLOW_HOSTS`: host names and address blocks). Checked when a webhook is made
//! and again at each delivery, on the addresses the name then resolves to, so a name that turns
//! to an inside address later (DNS rebinding) reaches nothing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// The hosts and address blocks the operator lets webhooks reach although they are inside.
#[derive(Debug, Clone, Default)]
pub struct AllowHosts {
    names: Vec<String>,
    blocks: Vec<(IpAddr, u8)>,
}

impl AllowHosts {
    /// `a.example.cn, 10.0.0.0/8, 127.0.0.1, fd00::/8`: names, addresses and blocks; an entry
    /// that is none of these is refused with why.
    pub fn parse(list: &str) -> Result<AllowHosts, String> {
        let mut allow = AllowHosts::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (address, bits) = match entry.split_once('/') {
                Some((address, bits)) => (address, Some(bits)),
                None => (entry, None),
            };
            match (address.parse::<IpAddr>(), bits) {
                (Ok(ip), bits) => {
                    let most = if ip.is_ipv4() { 32 } else { 128 };
                    let bits = match bits {
                        None => most,
                        Some(bits) => bits
                            .parse::<u8>()
                            .ok()
                            .filter(|b| *b <= most)
                            .ok_or_else(|| format!("`{entry}`: a block's length is 0 to {most}"))?,
                    };
                    allow.blocks.push((ip, bits));
                }
                (Err(_), None) if !entry.contains(['/', ' ', ':']) => {
                    allow
                        .names
                        .push(entry.trim_end_matches('.').to_ascii_lowercase());
                }
                (Err(_), _) => {
                    return Err(format!("`{entry}` is neither a host nor an address block"));
                }
            }
        }
        Ok(allow)
    }

    /// Whether a webhook may reach `ip`, named `host`.
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        !inside(ip)
            || self
                .names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(host.trim_end_matches('.')))
            || self
                .blocks
                .iter()
                .any(|&(block, bits)| within(ip, block, bits))
    }
}

/// Whether `ip` is inside a network rather than on the internet.
pub fn inside(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => inside_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => inside_v4(v4),
            None => inside_v6(v6),
        },
    }
}

fn inside_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        || a >= 240
}

fn inside_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        // IPv4 written into IPv6 (64:ff9b::/96, ::a.b.c.d): judged as the IPv4 address.
        || ((ip.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || ip.segments()[..6] == [0; 6])
            && inside_v4(Ipv4Addr::from(ip.to_bits() as u32)))
}

fn within(ip: IpAddr, block: IpAddr, bits: u8) -> bool {
    let ip = match (ip, block) {
        (IpAddr::V6(v6), IpAddr::V4(_)) => v6.to_ipv4_mapped().map(IpAddr::V4),
        (ip, _) => Some(ip),
    };
    match (ip, block) {
        (Some(IpAddr::V4(ip)), IpAddr::V4(block)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(block) & mask
        }
        (Some(IpAddr::V6(ip)), IpAddr::V6(block)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(block) & mask
        }
        _ => false,
    }
}

/// Why `url`'s host may not be reached, when it may not: an address inside, or a name that
/// resolves to one. A name that does not resolve (yet) is not refused here: nothing can be
/// posted to it, and each delivery asks again.
pub async fn refused(allow: &AllowHosts, url: &url::Url) -> Option<String> {
    let host = match url.host()? {
        url::Host::Ipv4(ip) => {
            return (!allow.permits("", ip.into())).then(|| inside_why(ip.into()));
        }
        url::Host::Ipv6(ip) => {
            return (!allow.permits("", ip.into())).then(|| inside_why(ip.into()));
        }
        url::Host::Domain(name) => name.to_string(),
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let mut addresses = tokio::net::lookup_host((host.as_str(), port)).await.ok()?;
    addresses
        .find(|a| !allow.permits(&host, a.ip()))
        .map(|address| format!("{host} is {}", inside_why(address.ip())))
}

fn inside_why(ip: IpAddr) -> String {
    format!("{ip}, an address inside a network, which webhooks do not reach")
}

/// A resolver for the deliverer's client that hands out only the addresses a webhook may
/// reach: checked on each connection, after any change of the name's addresses.
pub struct Guarded(pub Arc<AllowHosts>);

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let kept: Vec<SocketAddr> = found.filter(|a| allow.permits(&host, a.ip())).collect();
            if kept.is_empty() {
                return Err(
                    format!("{host} resolves only to addresses webhooks do not reach").into(),
                );
            }
            let addresses: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_addresses_are_told_apart_in_every_form() {
        let allow = AllowHosts::default();
        for inside in [
            "169.254.169.254",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "64:ff9b::a00:1",
        ] {
            let ip: IpAddr = inside.parse().unwrap();
            assert!(!allow.permits("", ip), "{inside}");
        }
        for outside in ["110.242.68.66", "2400:3200::1", "::ffff:110.242.68.66"] {
            let ip: IpAddr = outside.parse().unwrap();
            assert!(allow.permits("", ip), "{outside}");
        }
    }

    #[test]
    fn the_operator_allows_hosts_and_blocks() {
        let allow = AllowHosts::parse("hooks.internal, 10.1.0.0/16, 127.0.0.1, fd00::/8").unwrap();
        assert!(allow.permits("hooks.internal", "10.9.9.9".parse().unwrap()));
        assert!(allow.permits("x", "10.1.200.3".parse().unwrap()));
        assert!(!allow.permits("x", "10.2.0.1".parse().unwrap()));
        assert!(allow.permits("x", "127.0.0.1".parse().unwrap()));
        assert!(allow.permits("x", "::ffff:127.0.0.1".parse().unwrap()));
        assert!(!allow.permits("x", "127.0.0.2".parse().unwrap()));
        assert!(allow.permits("x", "fd12::1".parse().unwrap()));
        assert!(AllowHosts::parse("10.0.0.0/33").is_err());
        assert!(AllowHosts::parse("a b").is_err());
    }
}
