-- Organisation, policies, contacts, sessions and the audit chain.

create table department (
    code text primary key,
    name text not null,
    created_at integer not null
);

create table role (
    code text primary key,
    rank integer not null unique,
    created_at integer not null
);

create table app_user (
    id integer primary key,
    username text not null unique,
    full_name text not null,
    email text not null,
    department text not null references department (code),
    role text not null references role (code),
    supervisor_id integer references app_user (id),
    password_hash text not null,
    status text not null default 'active' check (status in ('active', 'locked', 'blocked')),
    locked_until integer,
    blocked_reason text,
    created_at integer not null,
    updated_at integer not null
);
create index app_user_supervisor on app_user (supervisor_id);

-- Export limits per role (seed 000 section 2). Null means "no limit".
create table role_limit (
    role text primary key references role (code),
    daily integer,
    weekly integer,
    monthly integer,
    approval_threshold integer,
    created_at integer not null,
    updated_at integer not null
);

-- What each department may see and export (seed 000 section 1). Field lists are JSON arrays
-- of catalogue names; `sensitive_fields` are viewable only by an explicit, audited reveal.
create table department_rule (
    department text primary key references department (code),
    daily integer,
    weekly integer,
    monthly integer,
    approval_threshold integer,
    visibility text not null check (visibility in ('all', 'marketing_consent', 'active_reservation', 'has_transactions')),
    viewable_fields text not null,
    exportable_fields text not null,
    sensitive_fields text not null,
    required_purpose text check (required_purpose in ('campaign', 'manifest')),
    second_approval_role text references role (code),
    second_approval_above integer,
    created_at integer not null,
    updated_at integer not null
);

create table contact (
    id integer primary key,
    ref text not null unique,
    full_name text not null,
    email text,
    phone text,
    city text,
    country text,
    communication_preferences text,
    marketing_consent integer not null default 0 check (marketing_consent in (0, 1)),
    tour_destinations text,
    active_reservation integer not null default 0 check (active_reservation in (0, 1)),
    dietary_restrictions text,
    document_type text check (document_type in ('DNI', 'RUC', 'CE')),
    document_number text,
    billing_address text,
    payment_history text,
    has_transactions integer not null default 0 check (has_transactions in (0, 1)),
    passport_number_enc blob,
    medical_conditions text,
    bank_account text,
    internal_notes text,
    assigned_to integer references app_user (id),
    created_at integer not null,
    updated_at integer not null
);
create index contact_city on contact (city);
create index contact_consent on contact (marketing_consent);
create index contact_reservation on contact (active_reservation);
create index contact_transactions on contact (has_transactions);

-- Who is signed in where. The cookie maps to a row here through `http_session`.
create table user_session (
    id text primary key,
    user_id integer not null references app_user (id),
    ip text not null,
    user_agent text not null,
    created_at integer not null,
    last_seen_at integer not null,
    ended_at integer,
    end_reason text
);
create index user_session_user on user_session (user_id, ended_at);
create index user_session_open on user_session (ended_at, last_seen_at);

-- tower-sessions records (the cookie's id and its small payload).
create table http_session (
    id text primary key,
    data blob not null,
    expiry_date integer not null,
    created_at integer not null
);
create index http_session_expiry on http_session (expiry_date);

-- The tamper-evident audit log: a hash chain (see `service::audit`).
create table audit_event (
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
    prev_hash text not null unique,
    hash text not null unique
);
create index audit_event_actor on audit_event (actor_id, seq);
create index audit_event_action on audit_event (action, seq);

-- The head of the chain: one row, updated by every append, so appends serialise on it.
create table audit_head (
    id integer primary key check (id = 1),
    seq integer not null,
    hash text not null,
    created_at integer not null
);

insert into audit_head (id, seq, hash, created_at)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

insert into department (code, name, created_at) values
    ('ventas', 'Ventas', 0),
    ('marketing', 'Marketing', 0),
    ('operaciones', 'Operaciones', 0),
    ('contabilidad', 'Contabilidad', 0),
    ('direccion', 'Dirección', 0);

insert into role (code, rank, created_at) values
    ('intern', 1, 0),
    ('assistant', 2, 0),
    ('executive', 3, 0),
    ('supervisor', 4, 0),
    ('manager', 5, 0),
    ('director', 6, 0),
    ('admin', 7, 0);

insert into role_limit (role, daily, weekly, monthly, approval_threshold, created_at, updated_at) values
    ('intern', 10, 30, 50, 10, 0, 0),
    ('assistant', 30, 100, 200, 30, 0, 0),
    ('executive', 50, 200, 500, 50, 0, 0),
    ('supervisor', 100, 500, 1000, 100, 0, 0),
    ('manager', 200, 1000, 3000, 200, 0, 0),
    ('director', 500, 3000, 10000, 500, 0, 0),
    ('admin', null, null, null, 1000, 0, 0);

insert into department_rule (department, daily, weekly, monthly, approval_threshold, visibility,
    viewable_fields, exportable_fields, sensitive_fields, required_purpose,
    second_approval_role, second_approval_above, created_at, updated_at) values
    ('ventas', 50, 200, 500, 100, 'all',
     '["full_name","email","phone","city","country","communication_preferences","marketing_consent","tour_destinations","active_reservation","document_type","document_number","billing_address","payment_history","internal_notes"]',
     '["full_name","email","phone","city","country","communication_preferences","marketing_consent","tour_destinations","active_reservation","document_type","document_number","billing_address"]',
     '[]', null, null, null, 0, 0),
    ('marketing', 100, 500, 1000, 200, 'marketing_consent',
     '["full_name","email","phone","city","country","communication_preferences","marketing_consent","tour_destinations"]',
     '["full_name","email","phone","communication_preferences","tour_destinations"]',
     '[]', 'campaign', null, null, 0, 0),
    ('operaciones', 200, null, null, null, 'active_reservation',
     '["full_name","email","phone","city","country","tour_destinations","active_reservation","dietary_restrictions","document_type","document_number","passport_number","medical_conditions"]',
     '["full_name","email","phone","city","country","tour_destinations","active_reservation","dietary_restrictions","document_type","document_number","passport_number","medical_conditions"]',
     '["passport_number"]', 'manifest', null, null, 0, 0),
    ('contabilidad', 30, 100, 300, null, 'has_transactions',
     '["full_name","email","phone","city","country","document_type","document_number","billing_address","payment_history"]',
     '["full_name","document_type","document_number","billing_address","payment_history"]',
     '[]', null, 'manager', 50, 0, 0),
    ('direccion', null, null, null, null, 'all',
     '["full_name","email","phone","city","country","communication_preferences","marketing_consent","tour_destinations","active_reservation","dietary_restrictions","document_type","document_number","billing_address","payment_history","passport_number","medical_conditions","bank_account","internal_notes"]',
     '["full_name","email","phone","city","country","communication_preferences","marketing_consent","tour_destinations","active_reservation","dietary_restrictions","document_type","document_number","billing_address","payment_history","passport_number","medical_conditions","bank_account","internal_notes"]',
     '["passport_number","medical_conditions","bank_account"]', null, 'director', 1000, 0, 0);
