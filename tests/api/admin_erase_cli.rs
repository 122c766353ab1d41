//! `latchkey person erase` on the real executable: after it, nothing the person had signs in or
//! is kept (addresses, password, sessions, API keys, application tokens, consents, factors,
//! links, mail, memberships), their address registers anew as someone else, and the audit
//! trail keeps its rows under a pseudonym with no trace of their addresses or name. Refusals
//! exit 1 and change nothing.

use serde_json::Value;

use crate::admin_people_cli::admin;
use crate::api_keys::{create_key, signed_in_ada, whoami_with};
use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{code, redeem, refresh, registered, userinfo_status};

/// Rows still naming a person id (or an address, for the tables keyed by one).
async fn leftovers(app: &TestApp, id: &str) -> Vec<(&'static str, i64)> {
    let by_person = [
        "people WHERE id = $1",
        "email_addresses WHERE person_id = $1",
        "team_memberships WHERE person_id = $1",
        "sessions WHERE person_id = $1",
        "consents WHERE person_id = $1",
        "authorization_codes WHERE person_id = $1",
        "oauth_tokens WHERE person_id = $1",
        "api_keys WHERE person_id = $1",
        "passkeys WHERE person_id = $1",
        "authenticator_apps WHERE person_id = $1",
        "recovery_codes WHERE person_id = $1",
        "login_tokens WHERE requester_id = $1",
        "audit_events WHERE person_id = $1",
        "login_tokens WHERE email_key LIKE '%ada%'",
        "outbox WHERE LOWER(recipient) LIKE '%ada%'",
        "throttle WHERE key LIKE '%ada%'",
    ];
    let mut found = Vec::new();
    for table in by_person {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let query = if table.contains("$1") {
            query.bind(id)
        } else {
            query
        };
        let row = query.fetch_one(app.db.pool()).await.unwrap();
        let n: i64 = sqlx::Row::get(&row, "n");
        if n > 0 {
            found.push((table, n));
        }
    }
    found
}

/// Gives Ada some of everything: a second address, a team, a new name, a failed sign-in, a
/// session, an API key, a consent and application tokens, second factors, and a pending
/// recovery link. Returns her id, API key, refresh and access tokens, and the client.
async fn ada_with_everything(app: &TestApp) -> (String, String, String, String) {
    app.team("analysts", "analysts@example.org").await;
    app.active_person("bob@example.org", "correct horse").await;
    signed_in_ada(app).await;
    let id = app.person("ada@example.org").await.unwrap().id;
    let id = id.as_str().to_owned();
    for args in [
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "Ada.L@example.net",
        ][..],
        &["team", "add-member", "analysts", "ada@example.org"],
        &["person", "rename", "ada@example.org", "Ada Lovelace"],
        &["person", "send-reset", "ada@example.org"],
    ] {
        admin(app, args, None).await.ok();
    }
    // A failed sign-in with her address, from another browser, counts against it.
    app.post_login_as(&crate::helpers::browser(), "ada@example.org", "wrong one")
        .await;
    let key = create_key(app, "laptop script").await;
    let rp = registered(app, false).await;
    let code = code(app, &rp, "openid profile email offline_access").await;
    let (_, tokens) = redeem(app, &rp, &code).await;
    let now = 1_i64;
    for sql in [
        "INSERT INTO consents (person_id, client_id, scopes, granted_at) VALUES ($1, $3, 'openid', $2)",
        "INSERT INTO recovery_codes (code_hash, person_id, created_at) VALUES ('h1', $1, $2)",
        "INSERT INTO passkeys (id, person_id, name, credential_id, credential, created_at) \
         VALUES ('pk1', $1, 'Ada''s phone', 'cred1', '{}', $2)",
        "INSERT INTO authenticator_apps (person_id, name, sealed_secret, created_at) \
         VALUES ($1, 'phone', 'sealed', $2)",
    ] {
        let query = sqlx::query(sql).bind(&id).bind(now);
        let query = if sql.contains("$3") {
            query.bind(&rp.id)
        } else {
            query
        };
        query.execute(app.db.pool()).await.unwrap();
    }
    let tokens = (
        tokens["refresh_token"].as_str().unwrap().to_owned(),
        tokens["access_token"].as_str().unwrap().to_owned(),
    );
    assert!(app.signed_in().await);
    (id, key, tokens.0, tokens.1)
}

fn audit_json(out: &crate::helpers::CliOutput) -> Vec<Value> {
    serde_json::from_str::<Value>(out.ok())
        .unwrap_or_else(|e| panic!("{e}: {out:?}"))
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_erased_person_keeps_nothing_and_the_trail_names_them_by_a_pseudonym() {
    let app = spawn_app().await;
    let (id, key, refresh_token, access) = ada_with_everything(&app).await;
    let rp = registered(&app, false).await;
    assert!(!leftovers(&app, &id).await.is_empty());

    // Confirmed by typing the address again on standard input, in any case.
    let out = admin(
        &app,
        &["person", "erase", "ada@example.org"],
        Some("ADA@example.org\n"),
    )
    .await;
    let said = out.ok();
    assert!(said.contains("erased <ada@example.org>"), "{said}");
    assert_eq!(leftovers(&app, &id).await, vec![], "nothing names her");

    // The trail keeps its rows, under the pseudonym, without her addresses or names (looked
    // at first: a sign-in tried with her address later is a new event).
    let rows =
        audit_json(&admin(&app, &["audit", "list", "--limit", "1000", "--json"], None).await);
    let erased = rows
        .iter()
        .find(|r| r["code"] == "PersonErased")
        .expect("the erasure is audited");
    let alias = erased["person_id"].as_str().unwrap().to_owned();
    assert!(alias.starts_with("erased-") && alias.len() == 19, "{alias}");
    assert_eq!(erased["remote_addr"], "cli:operator");
    assert!(erased["detail"].as_str().unwrap().contains("cli:operator"));
    let hers = rows
        .iter()
        .filter(|r| r["person_id"] == alias.as_str())
        .count();
    assert!(
        hers >= 6,
        "her earlier rows are kept under the pseudonym: {rows:#?}"
    );
    let text = serde_json::to_string(&rows).unwrap().to_lowercase();
    for trace in [
        "ada@example.org",
        "ada.l@example.net",
        "ada lovelace",
        "test person",
        &id,
    ] {
        assert!(
            !text.contains(trace),
            "{trace} is still in the trail: {text}"
        );
    }
    let joined = rows
        .iter()
        .find(|r| r["code"] == "TeamMemberAdded")
        .unwrap();
    assert!(
        joined["detail"].as_str().unwrap().contains(&alias),
        "{joined}"
    );

    // Nothing she held works any more.
    assert!(!app.signed_in().await, "her session ended");
    let login = app
        .post_login_as(
            &crate::helpers::browser(),
            "ada@example.org",
            "correct horse",
        )
        .await;
    assert_ne!(login.status, 303, "the old password signs nobody in");
    let (status, _) = whoami_with(&app, "X-BUGZILLA-API-KEY", &key).await;
    assert_eq!(status, 401);
    let (status, _) = refresh(&app, &rp, &refresh_token, None).await;
    assert_eq!(status, 400);
    assert_eq!(userinfo_status(&app, &access).await, 401);
    for address in ["ada@example.org", "ada.l@example.net"] {
        let shown = admin(&app, &["person", "show", address], None).await;
        assert!(shown.fails_with(1).contains("no person or team"));
    }
    let bob = admin(&app, &["person", "show", "bob@example.org"], None).await;
    assert!(bob.ok().contains("bob@example.org"), "others stay");

    // The address is free: it registers anew, as somebody else.
    admin(
        &app,
        &[
            "person",
            "create",
            "ada@example.org",
            "--name",
            "Another Ada",
        ],
        Some("a brand new password\n"),
    )
    .await
    .ok();
    let again = app.person("ada@example.org").await.unwrap();
    assert_ne!(again.id.as_str(), id);
    assert_eq!(again.display_name.as_str(), "Another Ada");
}

#[tokio::test]
async fn erasing_an_unknown_person_a_team_or_without_confirmation_changes_nothing() {
    let app = spawn_app().await;
    app.team("analysts", "analysts@example.org").await;
    app.active_person("ada@example.org", "correct horse").await;
    let before = app.row_counts().await;
    let refusals: [(&[&str], Option<&str>, &str); 5] = [
        (&["nobody@example.org", "--yes"], None, "no person has"),
        (
            &["analysts@example.org", "--yes"],
            None,
            "belongs to the team analysts",
        ),
        (&["ada@example.org"], None, "not confirmed"),
        (
            &["ada@example.org"],
            Some("bob@example.org\n"),
            "not confirmed",
        ),
        (&["not an address", "--yes"], None, ""),
    ];
    for (args, stdin, says) in refusals {
        let mut all = vec!["person", "erase"];
        all.extend_from_slice(args);
        let out = admin(&app, &all, stdin).await;
        assert!(out.fails_with(1).contains(says), "{out:?}");
        assert_eq!(app.row_counts().await, before, "nothing changed: {args:?}");
    }
    admin(&app, &["person", "show", "ada@example.org"], None)
        .await
        .ok();
    admin(&app, &["person", "show", "analysts@example.org"], None)
        .await
        .ok();
}

#[tokio::test]
async fn person_erase_help_says_what_goes_and_how_to_confirm() {
    let app = spawn_app().await;
    let help = admin(&app, &["person", "erase", "--help"], None).await;
    let text = help.ok();
    for words in ["--yes", "pseudonym", "PersonErased", "Exit codes"] {
        assert!(text.contains(words), "{words}: {text}");
    }
}
