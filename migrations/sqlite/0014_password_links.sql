-- One-time links to set a password (issue "Administration and reports"): an account an
-- administrator creates, or whose password they reset, waits for its owner to set one.
-- Only the token's SHA-256 is stored; a link works once and until `expires_at`.
create table password_link (
    token_hash text primary key,
    user_id integer not null references app_user (id),
    purpose text not null check (purpose in ('create', 'reset')),
    created_by integer references app_user (id),
    expires_at integer not null,
    used_at integer,
    created_at integer not null
);
create index password_link_user on password_link (user_id, used_at);
