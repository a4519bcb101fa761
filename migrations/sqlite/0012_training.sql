-- Training (issue "Training"): the question bank (seeded from app/training/questions.json,
-- so questions can be added as data), attempts graded on the server, and certificates
-- with an unguessable public code. Every attempt, acceptance, certificate and revocation
-- is also an audit event.
create table quiz_question (
    id text primary key,
    topic text not null,
    -- {"text":{"es","en"},"options":[{"id","es","en"}],"correct","explanation":{"es","en"}}
    body text not null,
    active integer not null default 1,
    bank_version bigint not null,
    created_at bigint not null
);

-- One attempt: the questions drawn and the order their options were shown in
-- ([{"question":"q01","options":["c","a","d","b"]}]), then the answers and the grade.
create table quiz_attempt (
    id text primary key,
    user_id bigint not null references app_user (id),
    started_at bigint not null,
    expires_at bigint not null,
    drawn text not null,
    submitted_at bigint,
    answers text,
    score bigint,
    total bigint not null,
    -- passed / failed / expired, once submitted
    outcome text,
    created_at bigint not null
);
create index quiz_attempt_user on quiz_attempt (user_id, started_at);

create table certificate (
    code text primary key,
    user_id bigint not null references app_user (id),
    attempt_id text references quiz_attempt (id),
    issued_at bigint not null,
    valid_until bigint not null,
    revoked_at bigint,
    revoked_reason text,
    -- when the employee was told it expires within 30 days
    expiry_notified_at bigint,
    created_at bigint not null
);
create index certificate_user on certificate (user_id, valid_until);
create index certificate_expiry on certificate (valid_until);

-- The confidentiality agreement, accepted once per certificate period; and "training
-- assigned" after an incident: export limits halved until the quiz is passed again.
alter table app_user add column agreement_accepted_at bigint;
alter table app_user add column training_required_at bigint;
