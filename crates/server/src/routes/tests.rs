use convene_record::format::plain_origin;

#[test]
fn a_witness_origin_is_a_plain_scheme_host_and_port() {
    assert_eq!(plain_origin("https://w1.observers.example/witness").as_deref(), Some("https://w1.observers.example"));
    assert_eq!(plain_origin("http://127.0.0.1:9090").as_deref(), Some("http://127.0.0.1:9090"));
    // Nothing that could add a directive to the policy.
    for bad in ["https://a.example; script-src *", "ftp://a.example", "https://", "https://a b.example"] {
        assert_eq!(plain_origin(bad), None, "{bad}");
    }
}
