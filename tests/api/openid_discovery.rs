//! OpenID 2.0 discovery: the OP identifier's XRDS at `/+xrds` and by negotiation at `/`, and
//! each person's claimed identifier page and XRDS.

use latchkey::service::openid::identity::{claimed_id, person_of};

use crate::helpers::{TestApp, spawn_app};

const YADIS_ACCEPT: &str = "text/html; q=0.3, application/xhtml+xml; q=0.5, application/xrds+xml";

async fn get_accepting(app: &TestApp, url: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The text of every element named `tag` (a plain scan: the documents are ours and flat).
fn elements(doc: &str, tag: &str) -> Vec<String> {
    doc.split(&format!("<{tag}>"))
        .skip(1)
        .filter_map(|rest| rest.split(&format!("</{tag}>")).next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_op_identifier_xrds_names_the_server_endpoint_and_extensions() {
    let app = spawn_app().await;
    let res = app.get("/+xrds").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("application/xrds+xml")
    );
    let doc = res.text().await.unwrap();
    let types = elements(&doc, "Type");
    assert!(types.contains(&"http://specs.openid.net/auth/2.0/server".to_owned()));
    for ext in [
        "http://openid.net/extensions/sreg/1.1",
        "http://openid.net/srv/ax/1.0",
        "http://ns.launchpad.net/2007/openid-teams",
        "http://specs.openid.net/extensions/pape/1.0",
    ] {
        assert!(types.contains(&ext.to_owned()), "{ext}");
    }
    assert_eq!(
        elements(&doc, "URI"),
        vec![format!("{}/+openid", app.address)]
    );
}

#[tokio::test]
async fn the_home_page_announces_the_xrds_and_serves_it_to_yadis_clients() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    assert_eq!(
        header(&page, "x-xrds-location"),
        Some(format!("{}/+xrds", app.address))
    );
    assert!(
        header(&page, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let url = format!("{}/", app.address);
    let res = get_accepting(&app, &url, YADIS_ACCEPT).await;
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("application/xrds+xml")
    );
    assert!(res.text().await.unwrap().contains("2.0/server"));
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let res = get_accepting(&app, &url, browser).await;
    assert!(
        header(&res, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn a_claimed_identifier_is_stable_distinct_per_person_and_random() {
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    let bob = app
        .active_person("bob@example.org", "correct horse 2")
        .await;
    let (first, again) = tokio::join!(
        claimed_id(&app.ctx, &alice.id),
        claimed_id(&app.ctx, &alice.id)
    );
    let (first, again) = (first.unwrap(), again.unwrap());
    assert_eq!(first, again, "concurrent first uses agree");
    assert_eq!(claimed_id(&app.ctx, &alice.id).await.unwrap(), first);
    let other = claimed_id(&app.ctx, &bob.id).await.unwrap();
    assert_ne!(first, other);
    let opaque = first
        .strip_prefix(&format!("{}/+id/", app.address))
        .unwrap();
    assert!(opaque.len() >= 22);
    assert!(!opaque.contains(alice.id.as_str()) && !first.contains("alice"));
    assert_eq!(person_of(&app.ctx, opaque).await.unwrap(), Some(alice.id));
}

#[tokio::test]
async fn the_identifier_page_links_the_provider_and_reveals_nothing() {
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    let id = claimed_id(&app.ctx, &alice.id).await.unwrap();
    let res = app.client.get(&id).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(header(&res, "x-xrds-location"), Some(format!("{id}/+xrds")));
    let html = res.text().await.unwrap();
    let endpoint = format!("{}/+openid", app.address);
    assert!(html.contains(&format!(
        "<link rel=\"openid2.provider\" href=\"{endpoint}\">"
    )));
    assert!(html.contains(&format!("<link rel=\"openid2.local_id\" href=\"{id}\">")));
    assert!(!html.contains("alice") && !html.contains("Test Person"));

    for res in [
        get_accepting(&app, &id, YADIS_ACCEPT).await,
        app.client.get(format!("{id}/+xrds")).send().await.unwrap(),
    ] {
        assert_eq!(
            header(&res, "content-type").as_deref(),
            Some("application/xrds+xml")
        );
        let doc = res.text().await.unwrap();
        assert!(
            elements(&doc, "Type").contains(&"http://specs.openid.net/auth/2.0/signon".to_owned())
        );
        assert_eq!(elements(&doc, "URI"), vec![endpoint.clone()]);
        assert_eq!(elements(&doc, "LocalID"), vec![id.clone()]);
    }
}

#[tokio::test]
async fn unknown_and_team_identifiers_are_not_found() {
    let app = spawn_app().await;
    let team = app.team("qa", "qa@example.org").await;
    let team_id = claimed_id(&app.ctx, &team.id).await.unwrap();
    for url in [
        team_id.clone(),
        format!("{team_id}/+xrds"),
        format!("{}/+id/AAAAAAAAAAAAAAAAAAAAAA", app.address),
        format!("{}/+id/AAAAAAAAAAAAAAAAAAAAAA/+xrds", app.address),
        format!("{}/+id/%27%3Cscript%3E", app.address),
    ] {
        let status = app.client.get(&url).send().await.unwrap().status().as_u16();
        assert_eq!(status, 404, "{url}");
    }
}

#[tokio::test]
async fn python_openid_discovers_the_endpoint_and_local_id() {
    let python = "/usr/bin/python3";
    let probe = std::process::Command::new(python)
        .args(["-c", "import openid.consumer.discover"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        crate::helpers::skip(
            "python3-openid",
            "Debian's python3 with its openid module is not here",
        );
        return;
    }
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    let id = claimed_id(&app.ctx, &alice.id).await.unwrap();
    let script = "import sys\nfrom openid.consumer.discover import discover\n\
                  claimed, services = discover(sys.argv[1])\n\
                  s = services[0]\nprint(s.server_url)\nprint(s.getLocalID())\n\
                  print(s.isOPIdentifier())\n";
    let out = tokio::process::Command::new(python)
        .args(["-c", script, &id])
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!("{}/+openid", app.address).as_str(),
            id.as_str(),
            "False"
        ]
    );
}
