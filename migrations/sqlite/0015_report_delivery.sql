-- Files mailed with a message (issue "Administration and reports": the monthly report's
-- PDF). One row per file, shared by every message that carries it.
create table mail_attachment (
    id integer primary key,
    file_name text not null,
    content_type text not null,
    body blob not null,
    created_at bigint not null
);
alter table mail_outbox add column attachment_id bigint references mail_attachment (id);

-- The monthly report is mailed once per month: the first instance to insert the month's
-- row delivers it; any other finds the row and does nothing.
create table report_delivery (
    month text primary key,
    head_seq bigint not null,
    recipients bigint not null,
    created_at bigint not null
);
