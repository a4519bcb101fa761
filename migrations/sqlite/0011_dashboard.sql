-- The security dashboard (issue "The security dashboard"): its figures come from indexed
-- ranges and from counters kept in the same transaction as the alert, never from a scan.
--
-- How many alerts each (state, severity, kind) holds, kept by triggers on `alert`, so
-- every path that writes an alert keeps it true.
create table alert_tally (
    state text not null,
    severity text not null,
    kind text not null,
    n bigint not null,
    primary key (state, severity, kind)
);
insert into alert_tally (state, severity, kind, n)
    select state, severity, kind, count(*) from alert group by state, severity, kind;

create trigger alert_tally_insert after insert on alert begin
    insert into alert_tally (state, severity, kind, n) values (new.state, new.severity, new.kind, 1)
        on conflict (state, severity, kind) do update set n = n + 1;
end;

create trigger alert_tally_update after update of state, severity, kind on alert
    when old.state <> new.state or old.severity <> new.severity or old.kind <> new.kind
begin
    update alert_tally set n = n - 1
        where state = old.state and severity = old.severity and kind = old.kind;
    insert into alert_tally (state, severity, kind, n) values (new.state, new.severity, new.kind, 1)
        on conflict (state, severity, kind) do update set n = n + 1;
end;

create trigger alert_tally_delete after delete on alert begin
    update alert_tally set n = n - 1
        where state = old.state and severity = old.severity and kind = old.kind;
end;

-- Windows over time: alerts raised, closed and severe; exports; pending requests.
create index alert_created on alert (created_at);
create index alert_closed on alert (closed_at);
create index alert_severity_seen on alert (severity, last_seen);
create index export_time on export (created_at);
create index export_request_status on export_request (status, created_at);
