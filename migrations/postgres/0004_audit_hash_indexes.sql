-- The chain's hashes are random: a unique index on each dirtied two random index pages per
-- event. They guarded nothing the chain does not: appends serialise on `audit_head`, and
-- the verifier checks every link.
alter table audit_event drop constraint audit_event_prev_hash_key;
alter table audit_event drop constraint audit_event_hash_key;
