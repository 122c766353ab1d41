//! Latchkey's integration tests: one binary, a fresh database per test (SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL` is set), the real server on a loopback port, and the
//! real `latchkey` executable for command-line tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on the first surprise"
)]

mod account;
mod account_sessions;
mod api_key_auth;
mod api_keys;
mod audit_cli;
mod browser;
mod browser_flows;
mod callback_server;
mod codes_security_page;
mod container;
mod credential_changes;
mod cross_site;
mod delegation;
mod delegation_refusals;
mod email;
mod email_policy;
mod factor_admin;
mod factor_helpers;
mod factor_mail;
mod factor_policy;
mod form_input;
mod handshake;
mod health;
mod helpers;
mod hooks;
mod hooks_refusals;
mod language_switch;
mod layout;
mod lockout;
mod login;
mod login_helpers;
mod login_recovery;
mod login_registration;
mod mail_snapshots;
mod metrics;
mod migrations;
mod multi_node;
mod oidc_authorize;
mod oidc_authorize_params;
mod oidc_client_auth;
mod oidc_consent;
mod oidc_families;
mod oidc_helpers;
mod oidc_introspect;
mod oidc_keys;
mod oidc_logout;
mod oidc_max_age;
mod oidc_rp;
mod oidc_second_factor;
mod oidc_second_factor_helpers;
mod oidc_second_factor_step_up;
mod oidc_setup;
mod oidc_token;
mod oidc_userinfo;
mod page_policy;
mod passkeys;
mod passkeys_authenticator;
mod passkeys_browser;
mod passkeys_helpers;
mod passkeys_steps;
mod password_policy;
mod person_cli;
mod polish_errors;
mod polish_login;
mod polish_plurals;
mod private_postgres;
mod process;
mod proxies;
mod redis_limits;
mod redis_sessions;
mod registration_race;
mod relying_party;
mod second_factor_codes;
mod second_factor_recovery;
mod security_doc;
mod serve;
mod settings;
mod smtp;
mod storage;
mod team_cli;
mod timing;
mod token_cli;
mod virtual_authenticator;
mod xmlrpc;
