//! An unknown address takes as long to refuse as a wrong password: both cost one argon2
//! verification. Medians over a few dozen interleaved tries, with generous bounds.

use std::time::{Duration, Instant};

use crate::helpers::spawn_app_with;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

#[tokio::test]
async fn an_unknown_address_takes_as_long_as_a_wrong_password() {
    let app = spawn_app_with(|s| {
        // The real cost, so that hashing dominates the request; no lockout in the way.
        s.password = latchkey::domain::HashingParams::default();
        s.throttle.enabled = false;
    })
    .await;
    app.active_person("ada@example.org", "correct horse").await;
    let csrf = app.csrf_from("/+login").await;
    let url = format!("{}/+login", app.address);
    let time = |email: &'static str| {
        let (client, url, csrf) = (app.client.clone(), url.clone(), csrf.clone());
        async move {
            let start = Instant::now();
            let res = client
                .post(&url)
                .form(&[
                    ("email", email),
                    ("password", "wrong guess"),
                    ("action", "login"),
                    ("csrf_token", &csrf),
                ])
                .send()
                .await
                .unwrap();
            let body = res.text().await.unwrap();
            assert!(body.contains("Incorrect password for the provided email address."));
            start.elapsed()
        }
    };
    // Warm up both paths (the dummy hash is made on first use).
    time("nobody@example.org").await;
    time("ada@example.org").await;
    // Interleaved pairs, alternating which goes first, compared pair by pair: other tests
    // running at the same time slow both sides of a pair alike.
    let mut ratios = Vec::new();
    let mut pairs: Vec<(Duration, Duration)> = Vec::new();
    for i in 0..40 {
        let (u, w) = if i % 2 == 0 {
            let u = time("nobody@example.org").await;
            (u, time("ada@example.org").await)
        } else {
            let w = time("ada@example.org").await;
            (time("nobody@example.org").await, w)
        };
        ratios.push(u.as_secs_f64() / w.as_secs_f64());
        pairs.push((u, w));
    }
    let ratio = median(ratios);
    assert!(
        (0.8..=1.2).contains(&ratio),
        "median unknown/wrong-password ratio {ratio:.2} over {pairs:?}"
    );
}
