//! What happened in the demo organisation over the last 90 days: everyone's working days
//! (`routine.rs`) and nine incidents raising ten alerts, each told with what the security
//! administrator did about it (`incidents.rs`, whose table lists them). Deterministic: the
//! same day gives the same history on every machine. This file holds what both use: the
//! offices, devices, field lists, and the builder of steps.

use super::calendar::Calendar;
use super::{Act, Ask, Step};

/// The head office's address, and the airport office's (Operaciones).
pub(super) const OFFICE: &str = "198.51.100.10";
pub(super) const AIRPORT: &str = "198.51.100.20";
pub(super) const WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
pub(super) const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
pub(super) const MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
pub(super) const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
pub(super) const BOT: &str = "python-requests/2.32.3";

pub(super) const SALES_FIELDS: &[&str] = &["full_name", "email", "phone", "city"];
pub(super) const MARKETING_FIELDS: &[&str] = &["full_name", "email", "communication_preferences"];
pub(super) const OPS_FIELDS: &[&str] = &[
    "full_name",
    "document_type",
    "document_number",
    "tour_destinations",
];
pub(super) const BILLING_FIELDS: &[&str] = &[
    "full_name",
    "document_type",
    "document_number",
    "billing_address",
];

/// Builds every step (in no particular order: the player sorts them by time).
pub fn steps(calendar: &Calendar) -> Vec<Step> {
    let mut script = Script {
        calendar: *calendar,
        steps: Vec::new(),
        busy: Vec::new(),
    };
    super::routine::founding(&mut script);
    super::incidents::write(&mut script);
    super::routine::write(&mut script);
    script.steps
}

pub(super) struct Script {
    pub(super) calendar: Calendar,
    pub(super) steps: Vec<Step>,
    /// (user, day) taken by an incident: no routine visit then.
    pub(super) busy: Vec<(&'static str, i64)>,
}

pub(super) fn ask(count: i64, fields: &'static [&'static str], why: &'static str) -> Ask {
    Ask {
        count,
        city: None,
        fields,
        justification: why,
        campaign: None,
        download: true,
    }
}

impl Script {
    pub(super) fn at(&mut self, day: i64, hour: i64, minute: i64, act: Act) {
        let at = self.calendar.at(day, hour, minute);
        self.steps.push(Step { at, act });
    }

    /// A visit: sign in at `hour:minute`, then `acts` a minute apart, then sign out.
    pub(super) fn visit(
        &mut self,
        user: &'static str,
        ip: &'static str,
        agent: &'static str,
        day: i64,
        (hour, minute): (i64, i64),
        acts: Vec<Act>,
    ) {
        let start = self.calendar.at(day, hour, minute);
        self.steps.push(Step {
            at: start,
            act: Act::SignIn { user, ip, agent },
        });
        let n = i64::try_from(acts.len()).unwrap_or_default();
        for (i, act) in (1..).zip(acts) {
            self.steps.push(Step {
                at: start + i * 60_000,
                act,
            });
        }
        self.steps.push(Step {
            at: start + (n + 2) * 60_000,
            act: Act::SignOut { user },
        });
    }

    /// The administrator comes in to do `acts`.
    pub(super) fn admin(&mut self, day: i64, at: (i64, i64), acts: Vec<Act>) {
        self.visit(super::ADMIN, OFFICE, MAC, day, at, acts);
    }
}
