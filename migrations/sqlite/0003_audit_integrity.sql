-- Signed checkpoints, archived segments, security signals, and explorer indexes.

-- A signed statement "at created_at, the chain's event `seq` had hash `head_hash`".
-- Written every few minutes (also when nothing happened: a heartbeat) and at shutdown.
create table audit_checkpoint (
    id integer primary key,
    seq integer not null,
    head_hash text not null,
    signature text not null,
    public_key text not null,
    reason text not null check (reason in ('periodic', 'heartbeat', 'shutdown', 'archive', 'manual')),
    created_at integer not null
);
create index audit_checkpoint_seq on audit_checkpoint (seq);

-- Events moved out of the database into compressed segment files.
create table audit_archive (
    id integer primary key,
    file_name text not null unique,
    first_seq integer not null,
    last_seq integer not null,
    last_hash text not null,
    sha256 text not null,
    event_count integer not null,
    created_at integer not null
);

-- Signals for the detection engine (for example TAMPERED_LOG after a failed verification).
create table security_signal (
    id integer primary key,
    kind text not null,
    severity text not null,
    details text not null,
    consumed_at integer,
    created_at integer not null
);
create index security_signal_open on security_signal (consumed_at, created_at);

-- The audit explorer filters on these and pages by seq.
create index audit_event_username on audit_event (actor_username, seq);
create index audit_event_module on audit_event (module, seq);
create index audit_event_target on audit_event (target_type, target_id, seq);
create index audit_event_ip on audit_event (ip, seq);
create index audit_event_severity on audit_event (severity, seq);
create index audit_event_outcome on audit_event (outcome, seq);
create index audit_event_time on audit_event (created_at);
