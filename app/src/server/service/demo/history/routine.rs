//! Everyone's working days in the demo's history: the administrator looks at the dashboard
//! each morning; the others come in most days, sign in at their office, now and then
//! export a handful of contacts (within their quotas), and sign out.

use super::calendar::DAYS;
use super::script::*;
use super::{Act, Ask};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

/// The approved Marketing campaign its exports name.
const CAMPAIGN: &str = "Verano 2027";

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
            campaign: Some(CAMPAIGN),
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
            campaign: Some(CAMPAIGN),
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

pub(super) fn write(script: &mut Script) {
    let mut rng = ChaCha8Rng::seed_from_u64(90);
    let recent_from = script.calendar.end() - 2 * 86_400_000;
    for day in 1 - DAYS..=0 {
        if !script.calendar.is_workday(day) {
            continue;
        }
        // The administrator starts every working day with the dashboard.
        script.admin(day, (8, rng.gen_range(0..15)), Vec::new());
        for habit in habits() {
            if !rng.gen_bool(habit.visits) || script.busy.contains(&(habit.user, day)) {
                continue;
            }
            let at = (8 + rng.gen_range(0..2), rng.gen_range(0..20));
            let agent = habit.agents[rng.gen_range(0..habit.agents.len())];
            let mut acts = Vec::new();
            let exports = rng.gen_bool(habit.exports);
            let recent = script.calendar.at(day, at.0, at.1) >= recent_from;
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
            script.visit(habit.user, habit.ip, agent, day, at, acts);
        }
        script.at(day, 23, 55, Act::Checkpoint);
    }
}

/// The founding day: everyone but the intern takes the training and passes, and comes in
/// now and then until the working history starts (so their office is a known address when
/// it does). The intern tries once, days ago, and fails with 7 of 10: the one employee
/// without a certificate.
pub(super) fn founding(script: &mut Script) {
    let c = script.calendar;
    let founded = c.workday_at_or_before(super::FOUNDED);
    for (i, (user, ..)) in (0..).zip(crate::server::service::demo::DEMO_USERS) {
        let ip = if user.starts_with("operaciones.") {
            AIRPORT
        } else {
            OFFICE
        };
        if *user != "ventas.practicante" {
            let train = vec![Act::Train { user, pass: true }];
            script.visit(user, ip, WINDOWS, founded, (9, i * 3), train);
        }
        for day in [-160, -130, -100] {
            script.visit(
                user,
                ip,
                WINDOWS,
                c.workday_at_or_before(day),
                (9, i * 3),
                Vec::new(),
            );
        }
    }
    // Marketing's summer campaign, proposed and approved on the founding day: the one its
    // exports name.
    let propose = vec![Act::ProposeCampaign {
        user: "marketing.ejecutivo",
        name: CAMPAIGN,
        purpose: "Campaña de verano para clientes frecuentes con consentimiento de marketing",
    }];
    script.visit(
        "marketing.ejecutivo",
        OFFICE,
        WINDOWS,
        founded,
        (12, 0),
        propose,
    );
    let approve = vec![Act::ApproveCampaign {
        user: "marketing.supervisor",
        name: CAMPAIGN,
    }];
    script.visit(
        "marketing.supervisor",
        OFFICE,
        WINDOWS,
        founded,
        (12, 30),
        approve,
    );
    let tried = c.workday_at_or_before(-3);
    script.busy.push(("ventas.practicante", tried));
    let fail = vec![Act::Train {
        user: "ventas.practicante",
        pass: false,
    }];
    script.visit("ventas.practicante", OFFICE, WINDOWS, tried, (11, 0), fail);
}
