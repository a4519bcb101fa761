//! The evaluator's memory of recent events, so a flood of one user's events does not cost a
//! query per event and rule.

use super::super::rules::Rule;
use crate::error::AppError;
use crate::server::repo::alerts as repo;
use crate::server::repo::audit::AuditRow;
use sqlx::AnyConnection;

/// Counts stop at this many times the threshold: whether a rule fires needs no more, and
/// the work per event stays bounded however busy its window (a description then reads
/// "at least" that many).
const COUNT_CAP: i64 = 2;

pub(super) fn cap(rule: &Rule) -> i64 {
    rule.threshold.saturating_mul(COUNT_CAP)
}

/// Events remembered per actor: enough for the default caps (UNUSUAL_ACTIVITY's is 100),
/// so a flood of one user's events costs no query per event. A count the memo cannot settle
/// is asked of the database.
const SEEN_PER_ACTOR: usize = 256;
/// Actors remembered; past this many the memo starts afresh (it is only a shortcut).
const SEEN_ACTORS: usize = 10_000;

/// What the events evaluated so far already tell, so a flood of one user's events does not
/// cost a query per event and rule: each actor's latest events, and (per call) each actor's
/// role. It lives as long as the process (`AppState::detection`): whatever it remembers is
/// a committed event of the log, so a count over a window is at least the remembered
/// matching events inside it, up to the event evaluated; once that reaches the count's
/// cap, the capped count is known without asking the database (the answer is the same as
/// the query's).
#[derive(Debug, Default)]
pub struct Memo {
    /// Per actor: (seq, created_at, action), in seq order.
    seen: std::collections::HashMap<i64, std::collections::VecDeque<(i64, i64, String)>>,
    roles: std::collections::HashMap<i64, Option<String>>,
}

impl Memo {
    /// Notes `e` as evaluated (before its rules run: a count includes it).
    pub fn note(&mut self, e: &AuditRow) {
        let Some(actor) = e.actor_id else {
            return;
        };
        if self.seen.len() >= SEEN_ACTORS && !self.seen.contains_key(&actor) {
            self.seen.clear();
        }
        let events = self.seen.entry(actor).or_default();
        // Evaluated again after another evaluator moved the cursor back: known already.
        if events.back().is_some_and(|(seq, _, _)| *seq >= e.seq) {
            return;
        }
        if events.len() == SEEN_PER_ACTOR {
            events.pop_front();
        }
        events.push_back((e.seq, e.created_at, e.action.clone()));
    }

    /// Forgets the roles read so far (a role may change between two evaluations).
    pub fn forget_roles(&mut self) {
        self.roles.clear();
    }

    /// How many remembered events by `e`'s actor (of `actions`, or any), up to `e`, fall in
    /// the window of `window_ms` ending at `e`, counted up to `need` from the newest. Stops
    /// at the first event older than the window: an undercount only means asking the
    /// database.
    fn in_window(&self, e: &AuditRow, actions: &[&str], window_ms: i64, need: i64) -> i64 {
        let Some(actor) = e.actor_id else {
            return 0;
        };
        let (at, from) = (e.created_at, e.created_at - window_ms);
        let mut count = 0;
        for (seq, t, action) in self.seen.get(&actor).into_iter().flatten().rev() {
            if *seq > e.seq {
                continue;
            }
            // The window starts after `from`, as the database's count of exports has it.
            if *t <= from || count >= need {
                break;
            }
            if *t <= at && (actions.is_empty() || actions.contains(&action.as_str())) {
                count += 1;
            }
        }
        count
    }

    /// The capped count, when the remembered events alone reach the cap.
    pub(super) fn known(&self, rule: &Rule, e: &AuditRow, actions: &[&str]) -> Option<i64> {
        let cap = cap(rule);
        (self.in_window(e, actions, rule.window_ms(), cap) >= cap).then_some(cap)
    }

    pub(super) async fn role(
        &mut self,
        conn: &mut AnyConnection,
        user: i64,
    ) -> Result<Option<String>, AppError> {
        if let Some(role) = self.roles.get(&user) {
            return Ok(role.clone());
        }
        let role = repo::role_and_supervisor(conn, user)
            .await?
            .map(|(role, _)| role);
        self.roles.insert(user, role.clone());
        Ok(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::service::audit::canonical::tests::row as sample_row;
    use crate::types::alert::{AlertKind, AlertSeverity};

    /// An event by actor 7 (the audit tests' sample row, moved and renamed).
    fn event(seq: i64, at: i64, action: &str) -> AuditRow {
        AuditRow {
            seq,
            created_at: at,
            actor_id: Some(7),
            action: action.into(),
            ..sample_row()
        }
    }

    /// Two events in 60 seconds: a cap of 4.
    fn rule() -> Rule {
        Rule {
            kind: AlertKind::MassExport,
            threshold: 2,
            window_secs: 60,
            severity: AlertSeverity::High,
            enabled: true,
            actions: Vec::new(),
            params: Default::default(),
        }
    }

    #[test]
    fn a_count_is_known_once_the_remembered_events_reach_the_cap() {
        let mut memo = Memo::default();
        let events: Vec<AuditRow> = (1..=4)
            .map(|i| event(i, i * 1000, "export_allowed"))
            .collect();
        for e in &events[..3] {
            memo.note(e);
            assert_eq!(
                memo.known(&rule(), e, &["export_allowed"]),
                None,
                "{}",
                e.seq
            );
        }
        memo.note(&events[3]);
        assert_eq!(
            memo.known(&rule(), &events[3], &["export_allowed"]),
            Some(4)
        );
        // Other actions do not count.
        assert_eq!(memo.known(&rule(), &events[3], &["export_refused"]), None);
    }

    #[test]
    fn only_events_up_to_the_evaluated_one_and_inside_its_window_count() {
        let mut memo = Memo::default();
        // Four events, then one 60 s after the second: the first two are outside its window.
        for i in 1..=4 {
            memo.note(&event(i, 1000 + i, "export_allowed"));
        }
        let late = event(5, 61_002, "export_allowed");
        memo.note(&late);
        assert_eq!(memo.known(&rule(), &late, &[]), None, "three in the window");
        // Evaluated again after another evaluator moved the cursor back: the later events
        // are not counted for an earlier one, and nothing is remembered twice.
        let third = event(3, 1003, "export_allowed");
        memo.note(&third);
        assert_eq!(
            memo.known(&rule(), &third, &[]),
            None,
            "three events up to seq 3"
        );
        assert_eq!(memo.seen[&7].len(), 5);
    }
}
