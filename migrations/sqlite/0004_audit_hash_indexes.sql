-- The chain's hashes are random: a unique index on each dirtied two random index pages per
-- event, a third of the pages an export writes. They guarded nothing the chain does not:
-- appends serialise on `audit_head`, and the verifier checks every link. SQLite cannot drop
-- a column constraint, so the table is rebuilt without them (the indexes come back as they
-- were).
create table audit_event_new (
    seq integer primary key,
    created_at integer not null,
    actor_id integer,
    actor_username text,
    action text not null,
    module text not null,
    target_type text,
    target_id text,
    outcome text not null,
    severity text not null,
    ip text,
    user_agent text,
    ua_browser text,
    ua_os text,
    ua_device text,
    session_id text,
    before_json text,
    after_json text,
    details_json text,
    prev_hash text not null,
    hash text not null
);
insert into audit_event_new select
    seq, created_at, actor_id, actor_username, action, module, target_type, target_id,
    outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, session_id,
    before_json, after_json, details_json, prev_hash, hash
from audit_event;
drop table audit_event;
alter table audit_event_new rename to audit_event;

create index audit_event_actor on audit_event (actor_id, seq);
create index audit_event_action on audit_event (action, seq);
create index audit_event_username on audit_event (actor_username, seq);
create index audit_event_module on audit_event (module, seq);
create index audit_event_target on audit_event (target_type, target_id, seq);
create index audit_event_ip on audit_event (ip, seq);
create index audit_event_severity on audit_event (severity, seq);
create index audit_event_outcome on audit_event (outcome, seq);
create index audit_event_time on audit_event (created_at);
