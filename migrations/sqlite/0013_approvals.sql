-- Export approvals (issue "Export approvals"): who must approve a request, what each
-- approver decided, the single-use grant a final approval turns the request into, and the
-- Marketing campaigns exports must name. Every decision is also an audit event.

-- How the second approval of a department rule is given: 'role' = the approval of someone
-- holding `second_approval_role` in the department (one decision counts for both when that
-- person is also the first approver: Contabilidad's CFO); 'second_person' = a second,
-- different person holding that role or a security administrator (Dirección).
alter table department_rule add column second_approval_mode text not null default 'role'
    check (second_approval_mode in ('role', 'second_person'));
update department_rule set second_approval_mode = 'second_person' where department = 'direccion';

-- The first approver is `approver_id` (null: any security administrator); the second, when
-- the policy asks for one, holds `second_role` in the requester's department (or is a
-- security administrator in 'second_person' mode). `first_by` / `second_by` record who
-- gave each approval. Once approved, the grant downloads once, before `grant_expires_at`,
-- and `export_id` is the export it produced.
alter table export_request add column second_role text references role (code);
alter table export_request add column second_mode text;
alter table export_request add column first_by integer references app_user (id);
alter table export_request add column second_by integer references app_user (id);
alter table export_request add column granted_at integer;
alter table export_request add column grant_expires_at integer;
alter table export_request add column export_id text references export (id);
alter table export_request add column version integer not null default 0;
create index export_request_expiry on export_request (status, expires_at);

-- Each decision on a request: an approval (one row per slot it filled: 'first', 'second',
-- or 'both') or a rejection, with the approver's comment or reason.
create table export_decision (
    id integer primary key,
    request_id integer not null references export_request (id),
    approver_id integer not null references app_user (id),
    decision text not null check (decision in ('approve', 'reject')),
    slot text check (slot in ('first', 'second', 'both')),
    comment text,
    created_at integer not null
);
create index export_decision_request on export_decision (request_id, created_at);
create index export_decision_approver on export_decision (approver_id, created_at);

-- Marketing campaigns: proposed by anyone in Marketing, approved by a Marketing supervisor
-- or above (never the proposer). A Marketing export names an approved campaign whose dates
-- (company time zone, inclusive) include the day of the export.
create table campaign (
    id integer primary key,
    name text not null,
    name_key text not null unique,
    purpose text not null,
    starts_on text not null,
    ends_on text not null,
    status text not null check (status in ('proposed', 'approved', 'rejected')),
    proposed_by integer not null references app_user (id),
    decided_by integer references app_user (id),
    decided_at integer,
    decision_comment text,
    created_at integer not null
);
create index campaign_status on campaign (status, ends_on);
