-- "Was this you?" (issue "Alert triage"): the subject's answer about an alert on their own
-- sign-in or export, once; the answer is also an audit event in the alert's history.
alter table alert add column owner_answer text check (owner_answer in ('yes', 'no'));
alter table alert add column answered_at bigint;
