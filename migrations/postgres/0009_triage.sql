-- Alert triage (issue "Alert triage"): who works on an alert and when it was closed. The
-- history itself — every transition, assignment and comment, with who, when, why and the
-- action taken — is the audit log (events targeting `alert`), so nobody can rewrite it.
alter table alert add column assignee_id bigint references app_user (id);
alter table alert add column closed_at bigint;
alter table alert add column comments bigint not null default 0;
