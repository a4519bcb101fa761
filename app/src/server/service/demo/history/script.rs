//! What happened in the demo organisation over the last 90 days: everyone's working days
//! (sign-in at the office, a few exports, sign-out) and nine incidents, each told with
//! what the security administrator did about it. Deterministic: the same day gives the
//! same history on every machine.
//!
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

use super::calendar::{Calendar, DAYS};
use super::{Act, Ask, Step, Subject};
use crate::types::alert::{AlertKind, AlertSeverity, AlertState};
use crate::types::triage::ActionTaken;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The head office's address, and the airport office's (Operaciones).
const OFFICE: &str = "198.51.100.10";
const AIRPORT: &str = "198.51.100.20";
const WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const BOT: &str = "python-requests/2.32.3";

const SALES_FIELDS: &[&str] = &["full_name", "email", "phone", "city"];
const MARKETING_FIELDS: &[&str] = &["full_name", "email", "communication_preferences"];
const OPS_FIELDS: &[&str] = &[
    "full_name",
    "document_type",
    "document_number",
    "tour_destinations",
];
const BILLING_FIELDS: &[&str] = &[
    "full_name",
    "document_type",
    "document_number",
    "billing_address",
];

/// One person's working days.
struct Habit {
    user: &'static str,
    ip: &'static str,
    agents: &'static [&'static str],
    /// Chance of coming in on a working day, and of exporting during the visit.
    visits: f64,
    exports: f64,
    /// How many contacts an export holds, at most.
    most: i64,
    fields: &'static [&'static str],
    justifications: &'static [&'static str],
    campaign: Option<&'static str>,
    /// Exports in the last two days too (`ventas.ejecutivo` keeps today's quota whole).
    recent: bool,
}

const SALES_WHY: &[&str] = &[
    "Seguimiento de clientes del tour a Cusco",
    "Seguimiento de cotizaciones pendientes de la semana",
    "Reporte de ventas corporativas para la gerencia",
];
const MARKETING_WHY: &[&str] = &["Campaña de email marketing Verano 2027"];
const OPS_WHY: &[&str] = &[
    "Manifiesto de pasajeros del tour Machu Picchu",
    "Manifiesto de pasajeros del tour a Paracas",
];
const BILLING_WHY: &[&str] = &[
    "Reporte de facturación mensual para SUNAT",
    "Auditoría de cuentas por cobrar del trimestre",
];

const fn habit(
    user: &'static str,
    ip: &'static str,
    agents: &'static [&'static str],
    (visits, exports, most): (f64, f64, i64),
    fields: &'static [&'static str],
    justifications: &'static [&'static str],
) -> Habit {
    Habit {
        user,
        ip,
        agents,
        visits,
        exports,
        most,
        fields,
        justifications,
        campaign: None,
        recent: true,
    }
}

fn habits() -> Vec<Habit> {
    vec![
        habit(
            "direccion.director",
            OFFICE,
            &[MAC],
            (0.5, 0.1, 60),
            SALES_FIELDS,
            &["Reporte trimestral de clientes para el directorio"],
        ),
        habit(
            "ventas.gerente",
            OFFICE,
            &[WINDOWS, ANDROID],
            (0.7, 0.2, 30),
            SALES_FIELDS,
            SALES_WHY,
        ),
        habit(
            "ventas.supervisor",
            OFFICE,
            &[WINDOWS],
            (0.8, 0.3, 25),
            SALES_FIELDS,
            SALES_WHY,
        ),
        Habit {
            recent: false,
            ..habit(
                "ventas.ejecutivo",
                OFFICE,
                &[WINDOWS, EDGE],
                (0.8, 0.3, 12),
                SALES_FIELDS,
                SALES_WHY,
            )
        },
        habit(
            "ventas.asistente",
            OFFICE,
            &[EDGE],
            (0.7, 0.3, 8),
            SALES_FIELDS,
            SALES_WHY,
        ),
        habit(
            "ventas.practicante",
            OFFICE,
            &[WINDOWS],
            (0.6, 0.15, 4),
            SALES_FIELDS,
            SALES_WHY,
        ),
        Habit {
            campaign: Some("Verano 2027"),
            ..habit(
                "marketing.supervisor",
                OFFICE,
                &[MAC],
                (0.7, 0.3, 40),
                MARKETING_FIELDS,
                MARKETING_WHY,
            )
        },
        Habit {
            campaign: Some("Verano 2027"),
            ..habit(
                "marketing.ejecutivo",
                OFFICE,
                &[MAC, ANDROID],
                (0.8, 0.3, 20),
                MARKETING_FIELDS,
                MARKETING_WHY,
            )
        },
        habit(
            "operaciones.supervisor",
            AIRPORT,
            &[WINDOWS],
            (0.8, 0.4, 30),
            OPS_FIELDS,
            OPS_WHY,
        ),
        habit(
            "operaciones.ejecutivo",
            AIRPORT,
            &[WINDOWS, ANDROID],
            (0.9, 0.5, 15),
            OPS_FIELDS,
            OPS_WHY,
        ),
        habit(
            "contabilidad.gerente",
            OFFICE,
            &[EDGE],
            (0.6, 0.2, 20),
            BILLING_FIELDS,
            BILLING_WHY,
        ),
        habit(
            "contabilidad.ejecutivo",
            OFFICE,
            &[EDGE],
            (0.8, 0.3, 12),
            BILLING_FIELDS,
            BILLING_WHY,
        ),
    ]
}

/// Builds every step (in no particular order: the player sorts them by time).
pub fn steps(calendar: &Calendar) -> Vec<Step> {
    let mut script = Script {
        calendar: *calendar,
        steps: Vec::new(),
        busy: Vec::new(),
    };
    script.incidents();
    script.routine();
    script.steps
}

struct Script {
    calendar: Calendar,
    steps: Vec<Step>,
    /// (user, day) taken by an incident: no routine visit then.
    busy: Vec<(&'static str, i64)>,
}

fn ask(count: i64, fields: &'static [&'static str], why: &'static str) -> Ask {
    Ask {
        count,
        city: None,
        fields,
        justification: why,
        campaign: None,
        download: true,
    }
}

impl Script {
    fn at(&mut self, day: i64, hour: i64, minute: i64, act: Act) {
        let at = self.calendar.at(day, hour, minute);
        self.steps.push(Step { at, act });
    }

    /// A visit: sign in at `hour:minute`, then `acts` a minute apart, then sign out.
    fn visit(
        &mut self,
        user: &'static str,
        ip: &'static str,
        agent: &'static str,
        day: i64,
        (hour, minute): (i64, i64),
        acts: Vec<Act>,
    ) {
        let start = self.calendar.at(day, hour, minute);
        self.steps.push(Step {
            at: start,
            act: Act::SignIn { user, ip, agent },
        });
        let n = i64::try_from(acts.len()).unwrap_or_default();
        for (i, act) in (1..).zip(acts) {
            self.steps.push(Step {
                at: start + i * 60_000,
                act,
            });
        }
        self.steps.push(Step {
            at: start + (n + 2) * 60_000,
            act: Act::SignOut { user },
        });
    }

    /// The administrator comes in to do `acts`.
    fn admin(&mut self, day: i64, at: (i64, i64), acts: Vec<Act>) {
        self.visit(super::ADMIN, OFFICE, MAC, day, at, acts);
    }

    fn routine(&mut self) {
        let mut rng = ChaCha8Rng::seed_from_u64(90);
        let recent_from = self.calendar.end() - 2 * 86_400_000;
        for day in 1 - DAYS..=0 {
            if !self.calendar.is_workday(day) {
                continue;
            }
            // The administrator starts every working day with the dashboard.
            self.admin(day, (8, rng.gen_range(0..15)), Vec::new());
            for habit in habits() {
                if !rng.gen_bool(habit.visits) || self.busy.contains(&(habit.user, day)) {
                    continue;
                }
                let at = (8 + rng.gen_range(0..2), rng.gen_range(0..20));
                let agent = habit.agents[rng.gen_range(0..habit.agents.len())];
                let mut acts = Vec::new();
                let exports = rng.gen_bool(habit.exports);
                let recent = self.calendar.at(day, at.0, at.1) >= recent_from;
                if exports && (habit.recent || !recent) {
                    let why = habit.justifications[rng.gen_range(0..habit.justifications.len())];
                    acts.push(Act::Export {
                        user: habit.user,
                        ask: Ask {
                            campaign: habit.campaign,
                            download: rng.gen_bool(0.9),
                            ..ask(rng.gen_range(3..=habit.most), habit.fields, why)
                        },
                    });
                }
                self.visit(habit.user, habit.ip, agent, day, at, acts);
            }
            self.at(day, 23, 55, Act::Checkpoint);
        }
    }

    fn incidents(&mut self) {
        let c = self.calendar;
        // A password-guessing bot at dawn; the assistant comes in later, after the lock.
        let day = c.workday_at_or_before(-85);
        for minute in 0..6 {
            self.at(
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
        self.at(day, 6, 20, Act::Detect);
        self.busy.push(("ventas.asistente", day));
        self.visit("ventas.asistente", OFFICE, EDGE, day, (10, 30), Vec::new());
        self.admin(day, (11, 0), vec![
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
        self.busy.push(("operaciones.ejecutivo", day));
        self.visit(
            "operaciones.ejecutivo",
            AIRPORT,
            WINDOWS,
            day,
            (10, 0),
            manifests,
        );
        let next = c.next_workday(day);
        self.admin(next, (9, 30), vec![
            Act::Move { kind: AlertKind::MassExport, subject: Subject::User("operaciones.ejecutivo"), to: AlertState::FalsoPositivo, note: Some("Manifiestos del feriado largo, confirmados con el supervisor de Operaciones."), action: Some(ActionTaken::ContactedUser) },
            Act::Account { username: "operaciones.ejecutivo", action: "lift_suspension", reason: "Falso positivo: manifiestos del feriado largo." },
        ]);

        // High season: the administrator lowers UNUSUAL_ACTIVITY, then puts it back.
        self.admin(
            c.workday_at_or_before(-62),
            (12, 0),
            vec![Act::RuleSeverity {
                kind: AlertKind::UnusualActivity,
                severity: AlertSeverity::Low,
            }],
        );
        let day = c.workday_at_or_before(-58);
        self.busy.push(("operaciones.supervisor", day));
        self.visit(
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
        self.admin(
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
        self.admin(
            c.workday_at_or_before(-48),
            (12, 0),
            vec![Act::RuleSeverity {
                kind: AlertKind::UnusualActivity,
                severity: AlertSeverity::Medium,
            }],
        );

        // Working from home, and saying so.
        let day = c.workday_at_or_before(-45);
        self.busy.push(("marketing.ejecutivo", day));
        self.visit(
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
        self.admin(
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
        self.busy.push(("ventas.supervisor", day));
        self.visit(
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
        self.admin(day, (10, 40), vec![
            Act::Move { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), to: AlertState::EnRevision, note: None, action: None },
            Act::Assign { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), to: super::ADMIN },
            Act::Account { username: "ventas.supervisor", action: "end_sessions", reason: "Sesión abierta desde una dirección desconocida." },
            Act::Move { kind: AlertKind::UnusualLocation, subject: Subject::User("ventas.supervisor"), to: AlertState::Resuelta, note: Some("Acceso no autorizado confirmado con la supervisora: contraseña cambiada."), action: Some(ActionTaken::PasswordReset) },
            Act::Comment { kind: AlertKind::ConcurrentSession, subject: Subject::User("ventas.supervisor"), note: "TI revisa su equipo por un posible malware; sigue en revisión hasta su informe." },
            Act::Account { username: "ventas.supervisor", action: "lift_suspension", reason: "Contraseña cambiada y sesiones cerradas; puede volver a exportar." },
        ]);

        // A phishing report: credential stuffing becomes CRITICAL for a while.
        self.admin(
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
            self.at(
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
        self.at(day, 2, 25, Act::Detect);
        self.admin(
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
        self.admin(
            c.workday_at_or_before(-10),
            (12, 0),
            vec![Act::RuleSeverity {
                kind: AlertKind::CredentialStuffing,
                severity: AlertSeverity::High,
            }],
        );

        // Still open: a Saturday night sign-in, a guessed password, a junior refused.
        self.visit(
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
            self.at(
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
        self.busy.push(("marketing.ejecutivo", before));
        self.visit(
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
        self.busy.push(("ventas.practicante", last));
        self.visit(
            "ventas.practicante",
            OFFICE,
            WINDOWS,
            last,
            (10, 0),
            refused,
        );
    }
}
