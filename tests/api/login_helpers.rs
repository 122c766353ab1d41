//! Helpers that speak the login service's language: fetch a form's CSRF token, submit the
//! login form, arrange people in each status.

use latchkey::db::people::find_person_by_email;
use latchkey::domain::TeamName;
use latchkey::domain::{DisplayName, EmailAddress, Password, Person, StatusChange};
use latchkey::service::Origin;
use latchkey::service::people::{change_status, create_person, create_placeholder};
use latchkey::service::teams::create_team;

use crate::helpers::TestApp;

/// The value of the hidden `csrf_token` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let Some(at) = html.find(marker) else {
        // The page that came back instead says why (an error page, a refusal).
        let head: String = html.chars().take(800).collect();
        panic!("a CSRF field in the page, which was: {head}");
    };
    let start = at + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The hidden fields of a consent page's Allow/Deny form (its CSRF token and the handle of
/// the request waiting for the answer).
pub fn consent_fields(page: &str) -> Vec<(String, String)> {
    let form = &page[page.find("action=\"/authorize\"").expect("a consent form")..];
    let form = &form[..form.find("</form>").unwrap()];
    form.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let name = rest.split('"').next().unwrap().to_owned();
            let value = rest
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (name, unescape(value))
        })
        .collect()
}

/// The text of the page's error message, if any.
pub fn error_in(html: &str) -> Option<String> {
    let marker = "<p class=\"error\" role=\"alert\">";
    let start = html.find(marker)? + marker.len();
    Some(unescape(html[start..].split("</p>").next()?))
}

/// Undoes the HTML escaping tera applies.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// What one POST of a form answered.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// `Location`, for redirects.
    pub location: Option<String>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// What a response answered.
    pub async fn of(res: reqwest::Response) -> Self {
        Self {
            status: res.status().as_u16(),
            location: res
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: res.text().await.unwrap(),
        }
    }

    /// The form's error message.
    pub fn error(&self) -> Option<String> {
        error_in(&self.body)
    }
}

impl TestApp {
    /// GETs a page with the browser client and returns its CSRF token.
    pub async fn csrf_from(&self, path: &str) -> String {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.address)
        };
        let html = self
            .client
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_in(&html)
    }

    /// POSTs a form with the browser client.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.address)
        };
        Answer::of(self.client.post(url).form(fields).send().await.unwrap()).await
    }

    /// Submits `/+login` as a person would: load the form, fill it in, press a button.
    pub async fn post_login(&self, email: &str, password: &str, action: &str) -> Answer {
        let csrf = self.csrf_from("/+login").await;
        self.post_form(
            "/+login",
            &[
                ("email", email),
                ("password", password),
                ("action", action),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// Submits the account page's password form.
    pub async fn change_password(&self, current: &str, new: &str) -> Answer {
        let csrf = self.csrf_from("/+account").await;
        self.post_form(
            "/+account/password",
            &[
                ("current_password", current),
                ("password", new),
                ("password_again", new),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// Registers an address the way a person does: "create account" on the login form, then
    /// the emailed link's form. Returns the final answer (303 when it worked).
    pub async fn register(&self, email: &str, display_name: &str, password: &str) -> Answer {
        let sent = self.smtp.messages().len();
        let answer = self.post_login(email, "", "createaccount").await;
        assert!(answer.error().is_none(), "{:?}", answer.error());
        let link = self.smtp.wait_for(sent + 1).await.link();
        let csrf = self.csrf_from(&link).await;
        self.post_form(
            &link,
            &[
                ("display_name", display_name),
                ("password", password),
                ("password_again", password),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// Takes the database away from the running app: on PostgreSQL it is dropped and every
    /// connection to it terminated; on SQLite (open files survive unlinking) the pool closes.
    pub async fn lose_database(&self) {
        match self.test_db.backend() {
            latchkey::db::Backend::Postgres => self.test_db.drop_now().await,
            latchkey::db::Backend::Sqlite => self.db.close().await,
        }
    }

    /// The status of `GET path` with another client.
    pub async fn status_as(&self, client: &reqwest::Client, path: &str) -> u16 {
        client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// The body of a page fetched with another client.
    pub async fn page_as(&self, client: &reqwest::Client, path: &str) -> String {
        crate::helpers::fetch_text(client, &format!("{}{path}", self.address)).await
    }

    /// Another browser, signed in with the login form.
    pub async fn sign_in_other(&self, email: &str, password: &str) -> reqwest::Client {
        self.sign_in_browser(crate::helpers::browser(), email, password)
            .await
    }

    /// A browser that names itself `user_agent`, signed in with the login form.
    pub async fn sign_in_as_agent(
        &self,
        user_agent: &str,
        email: &str,
        password: &str,
    ) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .user_agent(user_agent)
            .build()
            .unwrap();
        self.sign_in_browser(client, email, password).await
    }

    async fn sign_in_browser(
        &self,
        other: reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Client {
        let answer = self.post_login_as(&other, email, password).await;
        assert_eq!(answer.status, 303, "{email} signs in");
        other
    }

    /// Presses "Log in" on the login form with another client; returns the answer.
    pub async fn post_login_as(
        &self,
        other: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> Answer {
        let html = self.page_as(other, "/+login").await;
        let res = other
            .post(format!("{}/+login", self.address))
            .form(&[
                ("email", email),
                ("password", password),
                ("action", "login"),
                ("csrf_token", &csrf_in(&html)),
            ])
            .send()
            .await
            .unwrap();
        Answer::of(res).await
    }

    /// Signs in on a login page reached by a detour (`/+login?next=…`), keeping its `next`.
    pub async fn sign_in_at(&self, login_path: &str, email: &str, password: &str) -> Answer {
        let html = self.page(login_path).await;
        let next = unescape(
            html.split("name=\"next\" value=\"")
                .nth(1)
                .expect("the login page keeps where to go next")
                .split('"')
                .next()
                .unwrap(),
        );
        self.post_form(
            "/+login",
            &[
                ("email", email),
                ("password", password),
                ("action", "login"),
                ("csrf_token", &csrf_in(&html)),
                ("next", &next),
            ],
        )
        .await
    }

    /// The stored person or team with an address.
    pub async fn person(&self, email: &str) -> Option<Person> {
        find_person_by_email(self.db.pool(), &EmailAddress::parse(email).unwrap())
            .await
            .unwrap()
    }

    /// An active person with a password.
    pub async fn active_person(&self, email: &str, password: &str) -> Person {
        create_person(
            &self.ctx,
            &EmailAddress::parse(email).unwrap(),
            DisplayName::parse("Test Person").unwrap(),
            Password::parse(password).unwrap(),
            &Origin::cli(),
        )
        .await
        .unwrap()
    }

    /// A placeholder profile.
    pub async fn placeholder(&self, email: &str) -> Person {
        match create_placeholder(
            &self.ctx,
            &EmailAddress::parse(email).unwrap(),
            None,
            &Origin::cli(),
        )
        .await
        .unwrap()
        {
            latchkey::service::people::PlaceholderOutcome::Created(p) => p,
            other => panic!("{other:?}"),
        }
    }

    /// An active person, then suspended or deactivated.
    pub async fn closed_person(&self, email: &str, change: StatusChange) -> Person {
        self.active_person(email, "a good password").await;
        change_status(
            &self.ctx,
            &EmailAddress::parse(email).unwrap(),
            change,
            &Origin::cli(),
            latchkey::i18n::Lang::default_lang(),
        )
        .await
        .unwrap()
    }

    /// A team with a contact address.
    pub async fn team(&self, name: &str, email: &str) -> Person {
        create_team(
            &self.ctx,
            TeamName::parse(name).unwrap(),
            None,
            &EmailAddress::parse(email).unwrap(),
            &Origin::cli(),
        )
        .await
        .unwrap()
    }

    /// The body of a page fetched with the browser client.
    pub async fn page(&self, path: &str) -> String {
        let res = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        res.text().await.unwrap()
    }

    /// The single number a `SELECT COUNT(*) AS n …` query returns.
    pub async fn count(&self, sql: &'static str) -> i64 {
        let row = sqlx::query(sql).fetch_one(self.db.pool()).await.unwrap();
        sqlx::Row::get(&row, "n")
    }

    /// Whether the browser client is signed in (the account page answers 200).
    pub async fn signed_in(&self) -> bool {
        let res = self
            .client
            .get(format!("{}/+account", self.address))
            .send()
            .await
            .unwrap();
        res.status() == 200
    }
}
