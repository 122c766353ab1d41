//! Second-factor notices (`service::factor_notice`): every kind of change, in English and in
//! German, as the test SMTP listener receives it through the outbox, compared with a recorded
//! snapshot; and a notice queued in a transaction that is rolled back is never sent.

use latchkey::domain::EmailAddress;
use latchkey::domain::second_factor::FactorKind;
use latchkey::i18n::Lang;
use latchkey::service::factor_notice::{FactorChange, notify};

use crate::helpers::{TestApp, spawn_app};
use crate::mail_snapshots::{assert_mail_snapshot, received};

const ADA: &str = "ada@example.org";

/// Each kind of change, with the name its snapshot is recorded under.
fn every_change() -> Vec<(&'static str, FactorChange)> {
    vec![
        (
            "passkey_added",
            FactorChange::Added(FactorKind::Passkey, "Work laptop".to_owned()),
        ),
        (
            "authenticator_added",
            FactorChange::Added(FactorKind::AuthenticatorApp, "Phone".to_owned()),
        ),
        (
            "passkey_removed",
            FactorChange::Removed(FactorKind::Passkey, "Work laptop".to_owned()),
        ),
        (
            "authenticator_removed",
            FactorChange::Removed(FactorKind::AuthenticatorApp, "Phone".to_owned()),
        ),
        ("recovery_code_used", FactorChange::RecoveryCodeUsed(9)),
        ("recovery_codes_renewed", FactorChange::RecoveryCodesRenewed),
        ("all_removed", FactorChange::AllRemoved),
    ]
}

/// Queues a notice to Ada in its own transaction, committed or rolled back.
async fn queue(app: &TestApp, lang: Lang, change: &FactorChange, commit: bool) {
    let mut tx = app.db.pool().begin().await.unwrap();
    let to = EmailAddress::parse(ADA).unwrap();
    notify(&app.ctx, &mut tx, &to, lang, change).await.unwrap();
    if commit {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
}

/// Sends every notice in `lang`, one after the other, and compares each with its snapshot.
async fn every_notice_is_as_recorded_in(tag: &str) {
    let app = spawn_app().await;
    app.active_person(ADA, "correct horse").await;
    let lang = Lang::from_tag(tag).unwrap();
    for (nth, (name, change)) in every_change().iter().enumerate() {
        queue(&app, lang, change, true).await;
        let mail = received(&app, nth + 1).await;
        assert!(mail.contains("To: ada@example.org"), "{mail}");
        assert!(mail.contains("[latchkey]/+account/security"), "{mail}");
        assert_mail_snapshot(&format!("factor_{name}_{tag}"), mail);
    }
}

#[tokio::test]
async fn every_second_factor_notice_in_english_is_as_recorded() {
    every_notice_is_as_recorded_in("en").await;
}

#[tokio::test]
async fn every_second_factor_notice_in_german_is_as_recorded() {
    every_notice_is_as_recorded_in("de").await;
}

#[tokio::test]
async fn a_notice_of_a_change_that_is_rolled_back_is_never_sent() {
    let app = spawn_app().await;
    app.active_person(ADA, "correct horse").await;
    let en = Lang::default_lang();
    queue(&app, en, &FactorChange::AllRemoved, false).await;
    queue(&app, en, &FactorChange::RecoveryCodesRenewed, true).await;
    let first = received(&app, 1).await;
    assert!(first.contains("New recovery codes"), "{first}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM outbox").await, 1);
    assert_eq!(app.smtp.messages().len(), 1);
}
