//! `/metrics` on the private listener: the public listener's answers by route pattern (never
//! by path, so tokens in paths stay out), latency buckets, the mail queue and the process.

use crate::helpers::spawn_app;

async fn scrape(app: &crate::helpers::TestApp) -> String {
    let res = reqwest::get(format!("{}/metrics", app.private_address))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    res.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_the_public_answers_by_route_and_are_served_only_privately() {
    let app = spawn_app().await;
    for _ in 0..2 {
        assert_eq!(app.get("/").await.status(), 200);
    }
    assert_eq!(app.get("/no/such/page").await.status(), 404);
    let token_path = "/token/lk_secret-looking-value/+newaccount";
    app.get(token_path).await;
    app.post_login("new@example.org", "", "createaccount").await;
    app.smtp.wait_for(1).await;

    // The worker marks the message sent just after the mail server took it.
    let mut text = scrape(&app).await;
    for _ in 0..50 {
        if text.contains("latchkey_outbox_messages{state=\"sent\"} 1\n") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        text = scrape(&app).await;
    }
    assert!(
        text.contains(
            "latchkey_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} 2\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "latchkey_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"
    ));
    assert!(text.contains(
        "latchkey_http_requests_total{route=\"/+login\",method=\"POST\",status=\"200\"} 1\n"
    ));
    assert!(
        text.contains("route=\"/token/{token}/+newaccount\""),
        "{text}"
    );
    assert!(!text.contains("secret-looking-value"), "paths never appear");
    assert!(text.contains("latchkey_http_request_duration_seconds_count{route=\"/\"} 2\n"));
    assert!(
        text.contains("latchkey_outbox_messages{state=\"sent\"} 1\n"),
        "{text}"
    );
    if cfg!(target_os = "linux") {
        let rss = text
            .lines()
            .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
            .expect("the process's memory");
        assert!(rss.parse::<f64>().unwrap() > 1_000_000.0);
    }

    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the public listener"
    );
}
