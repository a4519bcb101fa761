//! The demo history's incidents, each with what the security administrator did about it.
//! The incidents, oldest first (day numbers are from today, moved to a working day):
//!
//! | day | what | alert | ends as |
//! |---|---|---|---|
//! | -85 | six wrong passwords for `ventas.asistente` at dawn | BRUTE_FORCE, HIGH | RESUELTA |
//! | -70 | ten manifests in 40 minutes by `operaciones.ejecutivo` | MASS_EXPORT, HIGH | FALSO_POSITIVO |
//! | -62…-48 | UNUSUAL_ACTIVITY lowered to LOW for the high season, then restored | — | — |
//! | -58 | 55 passports revealed by `operaciones.supervisor` | UNUSUAL_ACTIVITY, LOW | FALSO_POSITIVO |
//! | -45 | `marketing.ejecutivo` from home ("Sí, fui yo") | UNUSUAL_LOCATION, MEDIUM | RESUELTA |
//! | -25 | `ventas.supervisor` signed in from an unknown address too | CONCURRENT_SESSION, HIGH + UNUSUAL_LOCATION | EN_REVISION (assigned) + RESUELTA |
//! | -21…-10 | CREDENTIAL_STUFFING raised to CRITICAL after a phishing report, then restored | — | — |
//! | -18 | one address tries eleven accounts at 02:10 | CREDENTIAL_STUFFING, CRITICAL | RESUELTA |
//! | last Saturday | `contabilidad.gerente` signs in at 21:40 | OFF_HOURS_ACCESS, MEDIUM | NUEVA |
//! | the working day before the last | wrong passwords for `marketing.ejecutivo` | BRUTE_FORCE, HIGH | NUEVA |
//! | the last working day | `ventas.practicante` refused ten times | DENIED_BURST, MEDIUM | NUEVA |
//!
//! Whoever an automatic response suspended, blocked or locked is active again by the end
//! (the administrator lifts suspensions; locks run out before the owner's next sign-in),
//! and nobody's export quota is used up today.

use super::script::*;
use super::{Act, Subject};
use crate::types::alert::{AlertKind, AlertSeverity, AlertState};
use crate::types::triage::ActionTaken;

pub(super) fn write(script: &mut Script) {
    let c = script.calendar;
    // A password-guessing bot at dawn; the assistant comes in later, after the lock.
    let day = c.workday_at_or_before(-85);
    for minute in 0..6 {
        script.at(
            day,
            6,
            10 + minute,
            Act::FailSignIn {
                username: "ventas.asistente",
                ip: "192.0.2.77",
                agent: BOT,
            },
        );
    }
    script.at(day, 6, 20, Act::Detect);
    script.busy.push(("ventas.asistente", day));
    script.visit("ventas.asistente", OFFICE, EDGE, day, (10, 30), Vec::new());
    script.admin(day, (11, 0), vec![
            Act::Move { kind: AlertKind::BruteForce, subject: Subject::User("ventas.asistente"), to: AlertState::EnRevision, note: None, action: None },
            Act::Comment { kind: AlertKind::BruteForce, subject: Subject::User("ventas.asistente"), note: "Llamé a Rosa: no fue ella; la dirección 192.0.2.77 es de un proveedor de nube." },
            Act::Move { kind: AlertKind::BruteForce, subject: Subject::User("ventas.asistente"), to: AlertState::Resuelta, note: Some("La cuenta resistió: se cambió la contraseña por precaución y se bloqueó la dirección en el firewall."), action: Some(ActionTaken::PasswordReset) },
        ]);

    // Ten passenger manifests in 40 minutes: a long weekend, not a leak.
    let day = c.workday_at_or_before(-70);
    let manifests = (0..10)
        .map(|_| Act::Export {
            user: "operaciones.ejecutivo",
            ask: ask(4, OPS_FIELDS, "Manifiesto de pasajeros del feriado largo"),
        })
        .collect();
    script.busy.push(("operaciones.ejecutivo", day));
    script.visit(
        "operaciones.ejecutivo",
        AIRPORT,
        WINDOWS,
        day,
        (10, 0),
        manifests,
    );
    let next = c.next_workday(day);
    script.admin(
        next,
        (9, 30),
        vec![
            Act::Move {
                kind: AlertKind::MassExport,
                subject: Subject::User("operaciones.ejecutivo"),
                to: AlertState::FalsoPositivo,
                note: Some(
                    "Manifiestos del feriado largo, confirmados con el supervisor de Operaciones.",
                ),
                action: Some(ActionTaken::ContactedUser),
            },
            Act::Account {
                username: "operaciones.ejecutivo",
                action: "lift_suspension",
                reason: "Falso positivo: manifiestos del feriado largo.",
            },
        ],
    );

    // High season: the administrator lowers UNUSUAL_ACTIVITY, then puts it back.
    script.admin(
        c.workday_at_or_before(-62),
        (12, 0),
        vec![Act::RuleSeverity {
            kind: AlertKind::UnusualActivity,
            severity: AlertSeverity::Low,
        }],
    );
    let day = c.workday_at_or_before(-58);
    script.busy.push(("operaciones.supervisor", day));
    script.visit(
        "operaciones.supervisor",
        AIRPORT,
        WINDOWS,
        day,
        (10, 0),
        vec![
            Act::Reveal {
                user: "operaciones.supervisor",
                count: 55,
            },
            Act::Detect,
        ],
    );
    script.admin(
        day,
        (15, 0),
        vec![Act::Move {
            kind: AlertKind::UnusualActivity,
            subject: Subject::User("operaciones.supervisor"),
            to: AlertState::FalsoPositivo,
            note: Some(
                "Revisión de pasaportes para el vuelo chárter a Iquitos, pedida por Dirección.",
            ),
            action: Some(ActionTaken::Nothing),
        }],
    );
    script.admin(
        c.workday_at_or_before(-48),
        (12, 0),
        vec![Act::RuleSeverity {
            kind: AlertKind::UnusualActivity,
            severity: AlertSeverity::Medium,
        }],
    );

    // Working from home, and saying so.
    let day = c.workday_at_or_before(-45);
    script.busy.push(("marketing.ejecutivo", day));
    script.visit(
        "marketing.ejecutivo",
        "198.51.100.77",
        MAC,
        day,
        (10, 15),
        vec![
            Act::Detect,
            Act::Answer {
                user: "marketing.ejecutivo",
                kind: AlertKind::UnusualLocation,
                yes: true,
            },
        ],
    );
    script.admin(
        c.next_workday(day),
        (9, 30),
        vec![Act::Move {
            kind: AlertKind::UnusualLocation,
            subject: Subject::User("marketing.ejecutivo"),
            to: AlertState::Resuelta,
            note: Some("El usuario confirmó que trabajó desde casa; se le pidió usar la VPN."),
            action: Some(ActionTaken::ContactedUser),
        }],
    );

    // Someone else in the supervisor's account, while she works at the office.
    let day = c.workday_at_or_before(-25);
    let intruder = "192.0.2.140";
    script.busy.push(("ventas.supervisor", day));
    script.visit(
        "ventas.supervisor",
        OFFICE,
        WINDOWS,
        day,
        (10, 0),
        vec![
            Act::Intrude {
                username: "ventas.supervisor",
                ip: intruder,
                agent: BOT,
            },
            Act::Detect,
        ],
    );
    script.admin(day, (10, 40), vec![
            Act::Move { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), to: AlertState::EnRevision, note: None, action: None },
            Act::Assign { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), to: super::ADMIN },
            Act::Account { username: "ventas.supervisor", action: "end_sessions", reason: "Sesión abierta desde una dirección desconocida." },
            Act::Move { kind: AlertKind::UnusualLocation, subject: Subject::User("ventas.supervisor"), to: AlertState::Resuelta, note: Some("Acceso no autorizado confirmado con la supervisora: contraseña cambiada."), action: Some(ActionTaken::PasswordReset) },
            Act::Comment { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), note: "TI revisa su equipo por un posible malware; sigue en revisión hasta su informe." },
            Act::Account { username: "ventas.supervisor", action: "lift_suspension", reason: "Contraseña cambiada y sesiones cerradas; puede volver a exportar." },
        ]);

    // A phishing report: credential stuffing becomes CRITICAL for a while.
    script.admin(
        c.workday_at_or_before(-21),
        (12, 0),
        vec![Act::RuleSeverity {
            kind: AlertKind::CredentialStuffing,
            severity: AlertSeverity::Critical,
        }],
    );
    let day = -18;
    let accounts = [
        "ventas.gerente",
        "ventas.supervisor",
        "ventas.ejecutivo",
        "ventas.asistente",
        "marketing.supervisor",
        "marketing.ejecutivo",
        "operaciones.supervisor",
        "operaciones.ejecutivo",
        "contabilidad.gerente",
        "contabilidad.ejecutivo",
        "direccion.director",
    ];
    for (minute, username) in (0..).zip(accounts) {
        script.at(
            day,
            2,
            10 + minute,
            Act::FailSignIn {
                username,
                ip: "192.0.2.200",
                agent: BOT,
            },
        );
    }
    script.at(day, 2, 25, Act::Detect);
    script.admin(
        c.next_workday(day),
        (9, 0),
        vec![Act::Move {
            kind: AlertKind::CredentialStuffing,
            subject: Subject::Ip("192.0.2.200"),
            to: AlertState::Resuelta,
            note: Some(
                "Ninguna cuenta cayó; la dirección quedó bloqueada en el firewall perimetral.",
            ),
            action: Some(ActionTaken::Other),
        }],
    );
    script.admin(
        c.workday_at_or_before(-10),
        (12, 0),
        vec![Act::RuleSeverity {
            kind: AlertKind::CredentialStuffing,
            severity: AlertSeverity::High,
        }],
    );

    // Still open: a Saturday night sign-in, a guessed password, a junior refused.
    script.visit(
        "contabilidad.gerente",
        OFFICE,
        EDGE,
        c.last_saturday(),
        (21, 40),
        Vec::new(),
    );
    let last = c.last_workday_past(11);
    let before = c.workday_at_or_before(last - 1);
    for minute in 0..5 {
        script.at(
            before,
            6,
            30 + minute,
            Act::FailSignIn {
                username: "marketing.ejecutivo",
                ip: "192.0.2.66",
                agent: BOT,
            },
        );
    }
    // The lock has run out when he comes in.
    script.busy.push(("marketing.ejecutivo", before));
    script.visit(
        "marketing.ejecutivo",
        OFFICE,
        MAC,
        before,
        (9, 0),
        Vec::new(),
    );
    let refused: Vec<Act> = (0..10)
        .map(|i| {
            let (fields, why): (&'static [&'static str], _) = if i % 2 == 0 {
                (
                    &["full_name", "passport_number"],
                    "Seguimiento de clientes con viaje próximo",
                )
            } else {
                (SALES_FIELDS, "Necesito la lista completa ya")
            };
            Act::Export {
                user: "ventas.practicante",
                ask: ask(5, fields, why),
            }
        })
        .collect();
    script.busy.push(("ventas.practicante", last));
    script.visit(
        "ventas.practicante",
        OFFICE,
        WINDOWS,
        last,
        (10, 0),
        refused,
    );
}
