//! Integration tests: the real server on 127.0.0.1:0 with a fresh database per test, on
//! SQLite by default and on PostgreSQL when `CENTINELA_TEST_POSTGRES_URL` is set
//! (`make test` runs both).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod administration;
mod administration_links;
mod approval_support;
mod approvals;
mod approvals_demo;
mod approvals_grant;
mod approvals_second;
mod assets;
mod audit_chain;
mod audit_files;
mod audit_holes;
mod audit_tamper;
mod audit_witness;
mod auth;
mod campaigns;
mod cli;
mod contacts;
mod dashboard;
mod demo;
mod demo_history;
mod detection;
mod detection_responses;
mod detection_rules;
mod export;
mod export_rules;
mod health;
mod helpers;
mod jobs;
mod live;
mod pages;
mod policies;
mod protection;
mod reports;
mod reports_compliance;
mod reports_delivery;
mod request_checks;
mod sign_in_protection;
mod smtp;
mod training;
mod training_certificates;
mod triage;
mod triage_accounts;
mod triage_bulk;
mod triage_support;
mod usage;
mod was_this_you;
