-- Sign-in protection: how many times in a row the account was locked (each lock lasts
-- twice the last, up to an hour; a successful sign-in resets it).
alter table app_user add column lock_level bigint not null default 0;
