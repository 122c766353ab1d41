//! The private XML-RPC listener: Python's standard `xmlrpc.client` replays the seed's doctest;
//! malformed input gets faults or 4xx answers; the private listener serves nothing else.

use std::path::Path;

use crate::helpers::{skip, spawn_app};

#[tokio::test]
async fn python_xmlrpc_client_replays_the_seed_sequence() {
    let python = ["python3", "python"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok()
    });
    let Some(python) = python else {
        skip("Python", "neither python3 nor python runs");
        return;
    };
    let app = spawn_app().await;
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/python/bugtracker_handshake.py");
    let out = tokio::process::Command::new(python)
        .arg(script)
        .arg(&app.private_address)
        .arg(&app.address)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("seed sequence passed"));
}

async fn call(app: &crate::helpers::TestApp, body: &str) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{}/bugs", app.private_address))
        .header("content-type", "text/xml")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn bad_xml_rpc_input_gets_faults_never_a_crash() {
    let app = spawn_app().await;
    for body in [
        "",
        "not xml at all",
        "<methodCall><methodName>newBugTrackerToken</methodName>",
        "<?xml version=\"1.0\"?><methodCall><methodName>nope</methodName><params/></methodCall>",
        "<?xml version=\"1.0\"?><methodCall><methodName>newBugTrackerToken</methodName><params><param><value><int>1</int></value></param></params></methodCall>",
    ] {
        let (status, answer) = call(&app, body).await;
        assert_eq!(status, 200, "XML-RPC faults travel as 200: {body:?}");
        assert!(answer.contains("<fault>"), "{body:?}: {answer}");
    }
    let (status, answer) = call(&app, "<?xml version=\"1.0\"?><methodCall><methodName>newBugTrackerToken</methodName><params/></methodCall>").await;
    assert_eq!(status, 200);
    assert!(
        answer.contains("lk_bug_") && !answer.contains("<fault>"),
        "{answer}"
    );
}

#[tokio::test]
async fn xml_rpc_answers_are_as_recorded() {
    let app = spawn_app().await;
    let mut answers = String::new();
    for (name, body) in [
        ("empty", ""),
        ("not XML", "not xml at all"),
        (
            "unfinished",
            "<methodCall><methodName>newBugTrackerToken</methodName>",
        ),
        (
            "unknown method",
            "<?xml version=\"1.0\"?><methodCall><methodName>nope</methodName><params/></methodCall>",
        ),
        (
            "a parameter too many",
            "<?xml version=\"1.0\"?><methodCall><methodName>newBugTrackerToken</methodName><params><param><value><int>1</int></value></param></params></methodCall>",
        ),
        (
            "newBugTrackerToken",
            "<?xml version=\"1.0\"?><methodCall><methodName>newBugTrackerToken</methodName><params/></methodCall>",
        ),
    ] {
        let (status, answer) = call(&app, body).await;
        answers.push_str(&format!("--- {name}: {status}\n{answer}\n"));
    }
    insta::with_settings!({
        filters => vec![(r"\blk_bug_[A-Za-z0-9_-]+", "lk_bug_[token]")],
    }, {
        insta::assert_snapshot!(answers);
    });
}

#[tokio::test]
async fn oversized_or_non_utf8_bodies_get_4xx() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(format!("{}/bugs", app.private_address))
        .body(vec![b'a'; 64 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let res = reqwest::Client::new()
        .post(format!("{}/bugs", app.private_address))
        .body(vec![0xff, 0xfe, 0xfd])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_private_listener_serves_only_bugs() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/healthz",
        "/+login",
        "/.well-known/openid-configuration",
        "/static/css/latchkey.css",
    ] {
        let res = reqwest::get(format!("{}{path}", app.private_address))
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
}
