//! Same behaviour both ways: each administrative action on people and teams is run once from
//! the command line (the real executable, on person A) and once from the console (on person
//! B); the resulting state of A and B is the same, and so are the audit rows (code, subject
//! and detail), but for the actor: `cli:operator` against `admin:root@example.org`.

use crate::admin_console::{admin_browser, console_app, member_with_authenticator};
use crate::admin_console_people::{give_consent, give_key, person_id};
use crate::admin_people_cli::admin as cli;
use crate::factor_helpers::post;
use crate::helpers::TestApp;

const ADMIN: &str = "root@example.org";
const A: &str = "ann@example.org";
const B: &str = "bea@example.org";
const PASSWORD: &str = "correct horse battery staple";

/// What an action may change of a person.
#[derive(Debug, PartialEq, Eq)]
struct PersonState {
    status: String,
    sessions: i64,
    consents: i64,
    live_keys: i64,
    recovery_links: i64,
    teams: i64,
}

async fn scalar(app: &TestApp, sql: &'static str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn state_of(app: &TestApp, email: &str) -> PersonState {
    let person = app.person(email).await.unwrap();
    let id = person.id.as_str();
    PersonState {
        status: person.status.as_str().to_owned(),
        sessions: scalar(
            app,
            "SELECT COUNT(*) FROM sessions WHERE person_id = $1",
            id,
        )
        .await,
        consents: scalar(
            app,
            "SELECT COUNT(*) FROM consents WHERE person_id = $1",
            id,
        )
        .await,
        live_keys: scalar(
            app,
            "SELECT COUNT(*) FROM api_keys WHERE person_id = $1 AND revoked_at IS NULL",
            id,
        )
        .await,
        recovery_links: scalar(
            app,
            "SELECT COUNT(*) FROM login_tokens WHERE requester_id = $1 \
             AND kind = 'password_recovery'",
            id,
        )
        .await,
        teams: scalar(
            app,
            "SELECT COUNT(*) FROM team_memberships WHERE person_id = $1",
            id,
        )
        .await,
    }
}

async fn last_audit_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_events")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The audit rows written after `since`: code, subject and detail, with each `(text, token)`
/// of `names` replaced (the subject's address and id, the actor's label).
async fn audit_since(app: &TestApp, since: i64, names: &[(String, &str)]) -> Vec<String> {
    let rows = sqlx::query(
        "SELECT code, COALESCE(person_id, '') AS person_id, detail FROM audit_events \
         WHERE id > $1 ORDER BY id",
    )
    .bind(since)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let code: String = sqlx::Row::get(r, "code");
            let person: String = sqlx::Row::get(r, "person_id");
            let detail: String = sqlx::Row::get(r, "detail");
            let mut line = format!("{code} | {person} | {detail}");
            for (text, token) in names {
                line = line.replace(text.as_str(), token);
            }
            line
        })
        .collect()
}

/// The console's session of the administrator, with A and B active and signed in elsewhere.
async fn setup() -> (TestApp, reqwest::Client) {
    let app = console_app().await;
    for who in [A, B] {
        app.active_person(who, PASSWORD).await;
        app.sign_in_other(who, PASSWORD).await;
    }
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    (app, admin)
}

/// Runs `args` (with `{A}` standing for A's address) on the command line, then the console
/// form `action` (with `fields`) on B's page, and compares what each did.
async fn both_ways(
    app: &TestApp,
    admin: &reqwest::Client,
    args: &[&str],
    action: &str,
    fields: &[(&str, &str)],
    expect: &str,
) {
    let (a, b) = (person_id(app, A).await, person_id(app, B).await);
    let names = vec![
        (A.to_owned(), "<subject>"),
        (a.clone(), "<id>"),
        ("cli:operator".to_owned(), "<actor>"),
    ];
    let mark = last_audit_id(app).await;
    let out = cli(app, args, None).await;
    out.ok();
    let by_cli = audit_since(app, mark, &names).await;

    let names = vec![
        (B.to_owned(), "<subject>"),
        (b.clone(), "<id>"),
        (format!("admin:{ADMIN}"), "<actor>"),
    ];
    let mark = last_audit_id(app).await;
    let page = format!("/+admin/people/{b}");
    let done = post(app, admin, &page, &format!("{page}/{action}"), fields).await;
    assert_eq!(done.status, 303, "{action}: {:?}", done.error());
    let by_console = audit_since(app, mark, &names).await;

    assert!(
        by_cli.iter().any(|l| l.starts_with(expect)),
        "{args:?}: {by_cli:?}"
    );
    assert_eq!(by_cli, by_console, "{args:?} against {action}");
    assert_eq!(state_of(app, A).await, state_of(app, B).await, "{action}");
}

#[tokio::test]
async fn each_action_on_a_person_does_the_same_from_the_command_line_and_the_console() {
    let (app, admin) = setup().await;
    both_ways(
        &app,
        &admin,
        &["person", "end-sessions", A],
        "end-sessions",
        &[],
        "SessionsEnded",
    )
    .await;
    assert_eq!(state_of(&app, A).await.sessions, 0);

    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    for who in [A, B] {
        give_consent(&app, who, &client_id).await;
    }
    let args = ["person", "consent", "revoke", A, &client_id];
    let fields = [("client_id", client_id.as_str())];
    both_ways(
        &app,
        &admin,
        &args,
        "consents/revoke",
        &fields,
        "ConsentRevoked",
    )
    .await;
    assert_eq!(state_of(&app, A).await.consents, 0);

    let (key_a, key_b) = (give_key(&app, A).await, give_key(&app, B).await);
    let args = ["person", "api-key", "revoke", A, &key_a];
    // The detail names the key: A's id and B's both stand for `<key>`.
    let mark = last_audit_id(&app).await;
    cli(&app, &args, None).await.ok();
    let a = person_id(&app, A).await;
    let cli_rows = audit_since(
        &app,
        mark,
        &[
            (A.to_owned(), "<subject>"),
            (a, "<id>"),
            (key_a, "<key>"),
            ("cli:operator".to_owned(), "<actor>"),
        ],
    )
    .await;
    let b = person_id(&app, B).await;
    let page = format!("/+admin/people/{b}");
    let mark = last_audit_id(&app).await;
    let fields = [("key_id", key_b.as_str())];
    let done = post(
        &app,
        &admin,
        &page,
        &format!("{page}/api-keys/revoke"),
        &fields,
    )
    .await;
    assert_eq!(done.status, 303);
    let console_rows = audit_since(
        &app,
        mark,
        &[
            (B.to_owned(), "<subject>"),
            (b, "<id>"),
            (key_b.clone(), "<key>"),
            (format!("admin:{ADMIN}"), "<actor>"),
        ],
    )
    .await;
    assert_eq!(cli_rows, console_rows);
    assert!(cli_rows[0].starts_with("ApiKeyRevoked"), "{cli_rows:?}");
    assert_eq!(state_of(&app, A).await, state_of(&app, B).await);
    assert_eq!(state_of(&app, A).await.live_keys, 0);

    both_ways(
        &app,
        &admin,
        &["person", "send-reset", A],
        "send-reset",
        &[],
        "RecoveryRequested",
    )
    .await;
    assert_eq!(state_of(&app, A).await.recovery_links, 1);
    // Both links are queued in the outbox the server sends from. The console's goes out at
    // once; the command line's is due at the real time, which the test server's fixed clock
    // has not reached, so this checks that it is queued.
    let queued: Vec<String> = sqlx::query_scalar("SELECT recipient FROM outbox ORDER BY recipient")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(
        queued.iter().any(|r| r == A) && queued.iter().any(|r| r == B),
        "{queued:?}"
    );
    let mail = crate::admin_console_people::mail_to(&app, B, 0).await;
    assert!(mail.link().contains("/token/"), "{}", mail.link());

    both_ways(
        &app,
        &admin,
        &["person", "suspend", A],
        "suspend",
        &[],
        "PersonSuspended",
    )
    .await;
    assert_eq!(state_of(&app, A).await.status, "suspended");

    both_ways(
        &app,
        &admin,
        &["person", "reactivate", A],
        "reactivate",
        &[],
        "PersonReactivated",
    )
    .await;
    assert_eq!(state_of(&app, A).await.status, "active");
}

#[tokio::test]
async fn team_changes_do_the_same_from_the_command_line_and_the_console() {
    let app = console_app().await;
    app.team("ops", "ops@example.org").await;
    for who in [A, B] {
        app.active_person(who, PASSWORD).await;
    }
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let page = "/+admin/teams/ops";
    let (a, b) = (person_id(&app, A).await, person_id(&app, B).await);
    let team = app
        .person("ops@example.org")
        .await
        .unwrap()
        .id
        .as_str()
        .to_owned();

    // Each pair: the command line's arguments on `x`, the console's form and field on `y`.
    let steps: [(&str, &str, &str, &str, &str); 4] = [
        ("add-member", A, "members", B, "TeamMemberAdded"),
        ("remove-member", A, "members/remove", B, "TeamMemberRemoved"),
        (
            "add-address",
            "a-line@example.org",
            "addresses",
            "b-line@example.org",
            "TeamAddressAdded",
        ),
        (
            "remove-address",
            "a-line@example.org",
            "addresses/remove",
            "b-line@example.org",
            "TeamAddressRemoved",
        ),
    ];
    for (command, x, form, y, code) in steps {
        let mark = last_audit_id(&app).await;
        cli(&app, &["team", command, "ops", x], None).await.ok();
        let names = [
            (x.to_owned(), "<subject>"),
            (a.clone(), "<id>"),
            (team.clone(), "<team>"),
            ("cli:operator".to_owned(), "<actor>"),
        ];
        let by_cli = audit_since(&app, mark, &names).await;
        let mark = last_audit_id(&app).await;
        let done = post(
            &app,
            &admin,
            page,
            &format!("{page}/{form}"),
            &[("email", y)],
        )
        .await;
        assert_eq!(done.status, 303, "{form}: {:?}", done.error());
        let names = [
            (y.to_owned(), "<subject>"),
            (b.clone(), "<id>"),
            (team.clone(), "<team>"),
            (format!("admin:{ADMIN}"), "<actor>"),
        ];
        let by_console = audit_since(&app, mark, &names).await;
        assert_eq!(by_cli.len(), 1, "{by_cli:?}");
        assert!(by_cli[0].starts_with(code), "{by_cli:?}");
        assert_eq!(by_cli, by_console, "{command} against {form}");
        assert_eq!(
            state_of(&app, A).await,
            state_of(&app, B).await,
            "{command}"
        );
        let owned_by_team =
            |p: Option<latchkey::domain::Person>| p.is_some_and(|p| p.team_name.is_some());
        assert_eq!(
            owned_by_team(app.person(x).await),
            owned_by_team(app.person(y).await),
            "{command}"
        );
    }
}
