//! Who a request comes from, as far as the limits on failed sign-ins go.

use std::net::IpAddr;

use poem::http::HeaderMap;
use poem::web::RemoteAddr;

/// The client's address: the connection's peer or, behind `trusted_proxies` reverse proxies
/// (each appending the address it was reached from), the `X-Forwarded-For` entry that many from
/// the right. What stands further left was written by the client and is never believed; a list
/// too short to hold the entry means the request did not come through the proxies, and the peer
/// is taken.
pub fn address(headers: &HeaderMap, remote: &RemoteAddr, trusted_proxies: usize) -> Option<IpAddr> {
    let peer = remote.as_socket_addr().map(|addr| addr.ip());
    if trusted_proxies == 0 {
        return peer;
    }
    // Several headers count as one list, in order.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(trusted_proxies)
        .and_then(|index| entries[index].parse().ok())
        .or(peer)
}

#[cfg(test)]
mod tests {
    use poem::http::HeaderMap;
    use poem::web::RemoteAddr;

    use super::address;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                "x-forwarded-for",
                value.parse().unwrap_or_else(|_| panic!("{value}")),
            );
        }
        map
    }

    #[test]
    fn the_client_is_read_from_the_right_past_the_trusted_proxies() {
        let peer = RemoteAddr(poem::Addr::SocketAddr("10.0.0.2:51000".parse().unwrap()));
        let at = |h: &HeaderMap, proxies| address(h, &peer, proxies).map(|a| a.to_string());
        // A client that writes its own header in front of what the proxy appends gains nothing.
        let forged = headers(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(at(&forged, 1).as_deref(), Some("203.0.113.9"));
        assert_eq!(
            at(&forged, 0).as_deref(),
            Some("10.0.0.2"),
            "no proxies: the peer"
        );
        // Two proxies, the header split over two lines.
        let two = headers(&["6.6.6.6", "198.51.100.7, 10.0.0.9"]);
        assert_eq!(at(&two, 2).as_deref(), Some("198.51.100.7"));
        // Fewer entries than proxies: the request did not come through them.
        assert_eq!(
            at(&headers(&["198.51.100.7"]), 2).as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(at(&HeaderMap::new(), 1).as_deref(), Some("10.0.0.2"));
        assert_eq!(
            at(&headers(&["not-an-address"]), 1).as_deref(),
            Some("10.0.0.2")
        );
    }
}
