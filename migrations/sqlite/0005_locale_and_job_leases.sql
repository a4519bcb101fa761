-- Each user's language, so that mail and background notices are written in the language
-- the recipient reads (the ES/EN switch stores it when signed in).
alter table app_user add column locale text not null default 'es-PE';

-- Periodic jobs take a lease per period, so that when several instances share one
-- database a job runs on one of them at a time.
create table job_lease (
    name text primary key,
    holder text not null,
    expires_at bigint not null,
    created_at bigint not null
);
