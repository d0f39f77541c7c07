//! Test support: a fresh database on the test PostgreSQL server that `.ci/postgres.sh` starts.

/// A connection URL to a fresh, empty PostgreSQL database on the server named by
/// `CONVENE_TEST_POSTGRES`; `None` outside CI when no server is given (in CI, a missing server
/// fails the test rather than skipping it).
pub async fn fresh_postgres() -> Option<String> {
    let Ok(admin) = std::env::var("CONVENE_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must start PostgreSQL and set CONVENE_TEST_POSTGRES (see .ci/postgres.sh)"
        );
        eprintln!("CONVENE_TEST_POSTGRES is not set: the PostgreSQL half of this test did not run");
        return None;
    };
    sqlx::any::install_default_drivers();
    let mut bytes = [0u8; 8];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    let name = format!("convene_test_{}", u64::from_le_bytes(bytes));
    let pool = sqlx::AnyPool::connect(&admin).await.expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create a test database");
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{base}/{name}"))
}
