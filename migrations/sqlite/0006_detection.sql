-- Detection and automatic response (issue "Detection in seconds").

-- The rules, as data: thresholds, windows, severity, whether enabled, and which automatic
-- responses an alert of the rule runs (see app/src/server/service/alerts/rules.rs).
create table detection_rule (
    kind text primary key,
    threshold bigint not null check (threshold > 0),
    window_secs bigint not null check (window_secs >= 0),
    severity text not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    enabled bigint not null default 1,
    actions text not null,
    params text not null,
    updated_at bigint not null,
    created_at bigint not null
);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('BRUTE_FORCE', 5, 900, 'HIGH', 1, '["lock_account","notify_owner","notify_security"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('CREDENTIAL_STUFFING', 10, 900, 'HIGH', 1, '["throttle_ip","notify_security"]', '{"throttle_secs":900}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('CONCURRENT_SESSION', 2, 0, 'HIGH', 1, '["notify_supervisor","notify_security","suspend_exports"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('UNUSUAL_LOCATION', 1, 7776000, 'MEDIUM', 1, '["notify_supervisor"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('OFF_HOURS_ACCESS', 100, 0, 'MEDIUM', 1, '["notify_supervisor"]', '{"from_hour":7,"to_hour":19,"weekends":true}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('MASS_EXPORT', 10, 3600, 'HIGH', 1, '["notify_supervisor","notify_security","suspend_exports"]', '{"single_export":1000,"critical_export":5000}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('HIGH_EXPORT_JUNIOR', 500, 2592000, 'HIGH', 1, '["notify_supervisor","notify_security","suspend_exports"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('PERMISSION_CHANGE', 5, 1800, 'HIGH', 1, '["notify_supervisor","notify_security","suspend_exports"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('UNUSUAL_ACTIVITY', 50, 600, 'MEDIUM', 1, '["notify_supervisor"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('DENIED_BURST', 10, 3600, 'MEDIUM', 1, '["notify_supervisor"]', '{}', 0, 0);
insert into detection_rule (kind, threshold, window_secs, severity, enabled, actions, params, updated_at, created_at) values ('TAMPERED_LOG', 1, 0, 'CRITICAL', 1, '["notify_security"]', '{}', 0, 0);

-- Alerts. While one is open (NUEVA or EN_REVISION), a repeat of the same kind for the same
-- subject (a user, or an IP for IP-based rules) raises its occurrence count instead.
create table alert (
    id integer primary key,
    kind text not null,
    severity text not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    state text not null default 'NUEVA'
        check (state in ('NUEVA', 'EN_REVISION', 'RESUELTA', 'FALSO_POSITIVO')),
    subject_user_id bigint references app_user (id),
    subject_ip text,
    subject_key text not null,
    params text not null,
    details text not null,
    first_seen bigint not null,
    last_seen bigint not null,
    occurrences bigint not null default 1,
    trigger_seqs text not null,
    snapshot text,
    version bigint not null default 1,
    created_at bigint not null
);
create unique index alert_open_subject on alert (kind, subject_key)
    where state in ('NUEVA', 'EN_REVISION');
create index alert_listing on alert (state, severity, last_seen);
create index alert_subject_user on alert (subject_user_id, last_seen);
create index alert_last_seen on alert (last_seen);

-- How far detection has evaluated the audit stream: events after it are evaluated next,
-- by the evaluator or the sweep, and never twice (the cursor moves in the same
-- transaction as the alerts it produced).
create table detection_cursor (
    id integer primary key check (id = 1),
    last_seq bigint not null,
    updated_at bigint not null
);
insert into detection_cursor (id, last_seq, updated_at)
    select 1, seq, 0 from audit_head where id = 1;

-- In-app notifications (the bell), one per recipient.
create table notification (
    id integer primary key,
    user_id bigint not null references app_user (id),
    alert_id bigint references alert (id),
    params text not null,
    read_at bigint,
    created_at bigint not null
);
create index notification_user on notification (user_id, read_at, created_at);

-- Exports suspended by an automatic response, until an administrator lifts it.
alter table app_user add column exports_suspended_at bigint;
alter table app_user add column exports_suspended_by_alert bigint;
