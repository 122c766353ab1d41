//! Managing addresses from the profile page, as a person does it: add one, follow the emailed
//! link, prefer one, remove one; and finding a message by recipient and subject (several
//! messages queued at the same moment may arrive in any order).

use std::time::Duration;

use crate::helpers::TestApp;
use crate::login_helpers::{Answer, csrf_in};
use crate::smtp::RawEmail;

/// The subject of the message that carries the link confirming an address.
pub const VERIFY_SUBJECT: &str = "Confirm your email address for Latchkey";

impl TestApp {
    /// Submits the profile page's "add an address" form with `client`.
    pub async fn add_address_as(&self, client: &reqwest::Client, email: &str) -> Answer {
        let csrf = csrf_in(&self.page_as(client, "/+account").await);
        let res = client
            .post(format!("{}/+account/emails", self.address))
            .form(&[("email", email), ("csrf_token", &csrf)])
            .send()
            .await
            .unwrap();
        Answer::of(res).await
    }

    /// Submits the "add an address" form with the browser client.
    pub async fn add_address(&self, email: &str) -> Answer {
        self.add_address_as(&self.client, email).await
    }

    /// Opens a confirmation link with `client` and presses its button.
    pub async fn confirm_address_as(&self, client: &reqwest::Client, link: &str) -> Answer {
        let csrf = csrf_in(&crate::helpers::fetch_text(client, link).await);
        let res = client
            .post(link)
            .form(&[("csrf_token", &csrf)])
            .send()
            .await
            .unwrap();
        Answer::of(res).await
    }

    /// Opens a confirmation link with the browser client and presses its button.
    pub async fn confirm_address(&self, link: &str) -> Answer {
        self.confirm_address_as(&self.client, link).await
    }

    /// Adds an address with the browser client and follows the link mailed to it.
    pub async fn add_and_confirm(&self, email: &str) -> Answer {
        let sent = self.add_address(email).await;
        assert_eq!(sent.status, 303, "{:?}", sent.error());
        let link = self.mail_to(email, VERIFY_SUBJECT).await.link();
        self.confirm_address(&link).await
    }

    /// Submits the "make preferred" button of an address.
    pub async fn prefer_address(&self, email: &str) -> Answer {
        let csrf = self.csrf_from("/+account").await;
        self.post_form(
            "/+account/emails/prefer",
            &[("email", email), ("csrf_token", &csrf)],
        )
        .await
    }

    /// Submits the "remove" button of an address, with the password when given.
    pub async fn remove_address(&self, email: &str, password: &str) -> Answer {
        let csrf = self.csrf_from("/+account").await;
        self.post_form(
            "/+account/emails/remove",
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// The messages received so far that went to `to` and whose subject contains `subject`.
    pub fn mails_to(&self, to: &str, subject: &str) -> Vec<RawEmail> {
        self.smtp
            .messages()
            .into_iter()
            .filter(|m| m.header("To").as_deref() == Some(to))
            .filter(|m| m.header("Subject").is_some_and(|s| s.contains(subject)))
            .collect()
    }

    /// Waits (at most 10 s) for a message to `to` whose subject contains `subject`, and
    /// returns the latest such message.
    pub async fn mail_to(&self, to: &str, subject: &str) -> RawEmail {
        for _ in 0..200 {
            if let Some(mail) = self.mails_to(to, subject).pop() {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no message to {to} about {subject:?}");
    }

    /// The addresses of the profile page's list, each with its status, in order.
    pub async fn listed_addresses(&self) -> Vec<(String, String)> {
        listed_in(&self.page("/+account").await)
    }
}

/// The addresses of a profile page's list, each with its status, in order.
pub fn listed_in(page: &str) -> Vec<(String, String)> {
    let Some(list) = page.split("<ul class=\"emails\">").nth(1) else {
        return Vec::new();
    };
    let list = list.split("</ul>").next().unwrap();
    list.split("<span class=\"address\">")
        .skip(1)
        .map(|item| {
            let address = item.split('<').next().unwrap().to_owned();
            let status = item
                .split("<span class=\"status\">")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .unwrap_or("")
                .to_owned();
            (address, status)
        })
        .collect()
}

/// What a page says in its notices and errors, in order.
pub fn said(page: &str) -> Vec<String> {
    page.split("<p class=\"")
        .skip(1)
        .filter(|p| p.starts_with("notice\"") || p.starts_with("error\""))
        .filter_map(|p| p.split_once('>'))
        .map(|(_, rest)| crate::login_helpers::unescape(rest.split("</p>").next().unwrap()))
        .collect()
}
