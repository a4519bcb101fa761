-- Exports, their files, the per-user quota account and pending export requests.

-- Accent-folded, lowercase text for contact search (filled by the application).
alter table contact add column search_text text;
create index contact_search on contact (search_text);

-- The running total of contacts each user has exported. Every allowed export adds to it
-- (and the export row remembers the total after it), so usage in any rolling window is
-- `total - total_before(window start)`: two index seeks, never a sum over history.
-- On PostgreSQL the row is locked (`for update`) to serialise one user's decisions.
create table quota_account (
    user_id integer primary key references app_user (id),
    total integer not null,
    created_at integer not null,
    updated_at integer not null
);

-- Requests that were over a window or the approval threshold: pending until an approver
-- decides (the approval workflow builds on this table).
create table export_request (
    id integer primary key,
    user_id integer not null references app_user (id),
    approver_id integer references app_user (id),
    status text not null check (status in ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
    reason_code text not null,
    reason text not null,
    count integer not null,
    fields text not null,
    format text not null check (format in ('csv', 'xlsx')),
    justification text not null,
    campaign text,
    contact_ids text not null,
    contacts_digest text not null,
    ip text,
    user_agent text,
    created_at integer not null,
    expires_at integer not null,
    decided_at integer,
    decided_by integer references app_user (id),
    decision_comment text
);
create index export_request_user on export_request (user_id, status, created_at);
create index export_request_approver on export_request (approver_id, status, created_at);

create table export (
    id text primary key,
    receipt text not null unique,
    user_id integer not null references app_user (id),
    request_id integer references export_request (id),
    count integer not null,
    cumulative integer not null,
    fields text not null,
    format text not null check (format in ('csv', 'xlsx')),
    justification text not null,
    campaign text,
    contacts_digest text not null,
    sha256 text not null,
    size_bytes integer not null,
    ip text,
    user_agent text,
    session_id text,
    expires_at integer not null,
    downloaded_at integer,
    created_at integer not null
);
create index export_user_time on export (user_id, created_at, cumulative);
create index export_user_cumulative on export (user_id, cumulative);

-- The produced file, kept until it is downloaded once or its link expires.
create table export_file (
    export_id text primary key references export (id),
    content blob not null,
    created_at integer not null
);
