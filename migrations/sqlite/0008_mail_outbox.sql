-- Mail waits here, written in the same transaction as what it tells about, until the
-- sender delivers it over SMTP (and retries with backoff). A row is claimed before it is
-- sent, so two senders never send it twice. What it says is stored as data (`params`) and
-- written at sending time in the language the recipient reads.
create table mail_outbox (
    id integer primary key,
    user_id bigint references app_user (id),
    to_address text not null,
    params text not null,
    alert_id bigint references alert (id),
    status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts bigint not null default 0,
    next_attempt_at bigint not null,
    last_error text,
    sent_at bigint,
    created_at bigint not null
);
create index mail_outbox_due on mail_outbox (status, next_attempt_at);
