//! Any X-Forwarded-For headers from any peer: an address, never a panic; a peer that is not a
//! trusted proxy is always its own client address, whatever it writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::net::IpAddr;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let proxies: [IpAddr; 2] = ["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
    let stranger: IpAddr = "192.0.2.7".parse().unwrap();
    let mut headers = axum::http::HeaderMap::new();
    for value in rest.split(|&b| b == b'\n') {
        if let Ok(value) = axum::http::HeaderValue::from_bytes(value) {
            headers.append("x-forwarded-for", value);
        }
    }
    let peer = if selector % 2 == 0 { proxies[0] } else { stranger };
    let client = convene_server::client_address(peer, &headers, &proxies);
    if peer == stranger {
        assert_eq!(client, stranger);
    }
});
