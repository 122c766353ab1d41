//! End to end with a relying party no one here wrote: Debian's python3-openid 3.2.0 and
//! python3-openid-teams (`tests/api/python/openid_rp.py`) sign a person in through the login and
//! decision pages, in association mode and in stateless mode (check_authentication), and read
//! Simple Registration, Attribute Exchange, team membership and PAPE from the verified answer.
//! Skips, saying why, without Debian's Python and those modules; fails under
//! `LATCHKEY_TEST_STRICT=1`.

use std::path::Path;
use std::process::Stdio;

use latchkey::domain::{EmailAddress, TeamName};
use latchkey::service::admin::Actor;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{TestApp, skip, spawn_app};
use crate::login_helpers::{Answer, csrf_in, unescape};

/// Debian's interpreter, which sees the python3-openid packages (a pyenv one on PATH does not).
const PYTHON: &str = "/usr/bin/python3";

/// The relying party's process; it ends when this is dropped.
pub struct RelyingParty {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    _process: tokio::process::Child,
}

/// Starts the Python relying party against the provider at `op_url`; `None` (with the reason
/// printed) where Python or its OpenID modules are missing, unless strict.
pub async fn start_relying_party(op_url: &str) -> Option<RelyingParty> {
    let has_modules = Path::new(PYTHON).exists()
        && std::process::Command::new(PYTHON)
            .args(["-c", "import openid, openid_teams"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !has_modules {
        skip(
            "python3-openid",
            "Debian's python3 with python3-openid and python3-openid-teams is missing \
             (apt-get install python3-openid python3-openid-teams)",
        );
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/python/openid_rp.py");
    let mut process = tokio::process::Command::new(PYTHON)
        .arg(script)
        .arg(op_url)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the relying party starts");
    let stdout = process.stdout.take().unwrap();
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).await.unwrap();
    let port = first
        .trim()
        .strip_prefix("PORT ")
        .expect("the relying party's port");
    Some(RelyingParty {
        base: format!("http://127.0.0.1:{port}"),
        _process: process,
    })
}

/// Ada, with a password, in the team `analysts` (and not in `ops`, which also exists). The
/// server's clock is set to the real time first: the relying party checks the freshness of the
/// provider's response nonces against its own clock.
pub async fn ada_in_analysts(app: &TestApp) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    app.clock.set(i64::try_from(now).unwrap());
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    app.team("analysts", "analysts@example.org").await;
    app.team("ops", "ops@example.org").await;
    latchkey::service::admin::teams::add_member(
        &app.ctx,
        &TeamName::parse("analysts").unwrap(),
        &EmailAddress::parse("ada@example.org").unwrap(),
        &Actor::cli(),
    )
    .await
    .unwrap();
}

async fn get(app: &TestApp, url: &str) -> Answer {
    let url = if url.starts_with('/') {
        format!("{}{url}", app.address)
    } else {
        url.to_owned()
    };
    Answer::of(app.client.get(url).send().await.unwrap()).await
}

/// The outcome the relying party shows on its `/finish` page.
pub fn outcome(page: &str) -> Value {
    let json = page
        .split("<pre id='outcome'>")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("an outcome in {page}"));
    serde_json::from_str(&unescape(&json.replace("&quot;", "\""))).unwrap()
}

/// Starts a sign-in at the relying party and follows redirects (never submitting a form) until
/// a page answers; returns the last answer and the URL it came from.
async fn follow(app: &TestApp, mut url: String) -> (Answer, String) {
    for _ in 0..10 {
        let answer = get(app, &url).await;
        match answer.location.clone() {
            Some(next) if answer.status / 100 == 3 => url = next,
            _ => return (answer, url),
        }
    }
    panic!("too many redirects from {url}");
}

/// The hidden value of `name` in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    unescape(
        page.split(&marker)
            .nth(1)
            .unwrap_or_else(|| panic!("a {name} field"))
            .split('"')
            .next()
            .unwrap(),
    )
}

/// Signs Ada in on the login page the provider sent the browser to (`login_url`), returning
/// where the login form sends the browser next.
async fn sign_in_on(app: &TestApp, login_url: &str) -> String {
    let page = get(app, login_url).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let next = hidden(&page.body, "next");
    assert!(next.starts_with("/+openid?"), "{next}");
    let answer = app
        .post_form(
            "/+login",
            &[
                ("email", "ada@example.org"),
                ("password", "correct horse battery"),
                ("action", "login"),
                ("csrf_token", &csrf_in(&page.body)),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    answer.location.unwrap()
}

#[tokio::test]
async fn python_openid_signs_in_through_the_login_and_decision_pages_in_association_mode() {
    let app = spawn_app().await;
    let Some(rp) = start_relying_party(&format!("{}/", app.address)).await else {
        return;
    };
    ada_in_analysts(&app).await;
    let start = format!("{}/start?mode=assoc&teams=analysts,ops", rp.base);
    let (login, url) = follow(&app, start).await;
    assert!(url.contains("/+login?next="), "{url}: {}", login.body);
    let back_to = sign_in_on(&app, &url).await;
    let (decision, _) = follow(&app, format!("{}{back_to}", app.address)).await;
    assert_eq!(decision.status, 200, "{}", decision.body);
    assert!(decision.body.contains("action=\"/+openid/decide\""));
    // Ada withholds her nickname (optional) and keeps the rest.
    let answer = app
        .client
        .post(format!("{}/+openid/decide", app.address))
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("csrf_token", &csrf_in(&decision.body))
                .append_pair("handle", &hidden(&decision.body, "handle"))
                .append_pair("share", "fullname")
                .append_pair("share", "teams")
                .append_pair("decision", "allow")
                .finish(),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    let answer = Answer::of(answer).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let (finish, url) = follow(&app, answer.location.unwrap()).await;
    assert!(url.starts_with(&format!("{}/finish?", rp.base)), "{url}");
    let seen = outcome(&finish.body);
    assert_eq!(seen["status"], "success", "{seen}");
    let identity = seen["identity"].as_str().unwrap();
    assert!(
        identity.starts_with(&format!("{}/+id/", app.address)),
        "{seen}"
    );
    assert_eq!(seen["sreg"]["email"], "ada@example.org", "{seen}");
    assert_eq!(seen["sreg"]["fullname"], "Test Person", "{seen}");
    assert!(seen["sreg"].get("nickname").is_none(), "withheld: {seen}");
    assert_eq!(
        seen["ax"]["http://axschema.org/contact/email"][0], "ada@example.org",
        "{seen}"
    );
    assert_eq!(seen["teams"], serde_json::json!(["analysts"]), "{seen}");
    // PAPE: a password sign-in claims no policy (python-openid reads `none` as no policies),
    // and says when it happened.
    assert_eq!(
        seen["pape"]["auth_policies"],
        serde_json::json!([]),
        "{seen}"
    );
    assert!(
        seen["pape"]["auth_time"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{seen}"
    );
    // Association mode: the relying party checked the signature itself.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_nonces").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_associations WHERE private = 0")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'OpenIdSignIn'")
            .await,
        1
    );
}

#[tokio::test]
async fn python_openid_signs_in_in_stateless_mode_and_a_remembered_realm_skips_the_page() {
    let app = spawn_app().await;
    let Some(rp) = start_relying_party(&format!("{}/", app.address)).await else {
        return;
    };
    ada_in_analysts(&app).await;
    // The first sign-in: login and decision pages, the team membership shared.
    let (_, url) = follow(
        &app,
        format!("{}/start?mode=stateless&teams=analysts", rp.base),
    )
    .await;
    let back_to = sign_in_on(&app, &url).await;
    let (decision, _) = follow(&app, format!("{}{back_to}", app.address)).await;
    let answer = app
        .post_form(
            "/+openid/decide",
            &[
                ("csrf_token", &csrf_in(&decision.body)),
                ("handle", &hidden(&decision.body, "handle")),
                ("share", "teams"),
                ("decision", "allow"),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let (finish, _) = follow(&app, answer.location.unwrap()).await;
    let seen = outcome(&finish.body);
    assert_eq!(seen["status"], "success", "{seen}");
    assert_eq!(seen["mode"], "stateless");
    assert_eq!(seen["teams"], serde_json::json!(["analysts"]), "{seen}");
    // Stateless: the relying party asked the provider, which used the nonce up.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_nonces").await,
        1
    );
    // The second sign-in goes straight back: the decision is remembered.
    let (finish, url) = follow(
        &app,
        format!("{}/start?mode=stateless&teams=analysts", rp.base),
    )
    .await;
    assert!(url.starts_with(&format!("{}/finish?", rp.base)), "{url}");
    let again = outcome(&finish.body);
    assert_eq!(again["status"], "success", "{again}");
    assert_eq!(again["identity"], seen["identity"]);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_nonces").await,
        2
    );
}
