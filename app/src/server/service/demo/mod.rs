//! The demo organisation: one user per `<departamento>.<rol>` that the product's stories
//! need (plus `admin`), with supervisors linked, and thousands of deterministic, realistic
//! Peruvian contacts. Seeding twice changes nothing.

use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::contacts::{self, NewContact};
use crate::server::repo::users::{self, NewUser};
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::contacts as contact_rules;
use crate::types::audit::{AuditAction, Outcome};
use crate::types::{Department, Role};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

pub mod history;
mod names;

/// How many contacts the demo holds.
pub const DEMO_CONTACTS: usize = 6_000;

/// (username, full name, department, role, supervisor's username)
pub const DEMO_USERS: &[(&str, &str, Department, Role, Option<&str>)] = &[
    (
        "direccion.director",
        "Carmen Rosa Villanueva Paz",
        Department::Direccion,
        Role::Director,
        None,
    ),
    (
        "direccion.subdirector",
        "Mónica Alejandra Espinoza Tello",
        Department::Direccion,
        Role::Director,
        Some("direccion.director"),
    ),
    (
        "admin",
        "Jorge Luis Salas Medina",
        Department::Direccion,
        Role::Admin,
        Some("direccion.director"),
    ),
    (
        "ventas.gerente",
        "Ricardo Alonso Benavides Ugarte",
        Department::Ventas,
        Role::Manager,
        Some("direccion.director"),
    ),
    (
        "ventas.supervisor",
        "Patricia Elena Núñez Cárdenas",
        Department::Ventas,
        Role::Supervisor,
        Some("ventas.gerente"),
    ),
    (
        "ventas.ejecutivo",
        "Luis Miguel Quispe Huamán",
        Department::Ventas,
        Role::Executive,
        Some("ventas.supervisor"),
    ),
    (
        "ventas.asistente",
        "Rosa María Flores Condori",
        Department::Ventas,
        Role::Assistant,
        Some("ventas.supervisor"),
    ),
    (
        "ventas.practicante",
        "Diego Armando Castillo Rojas",
        Department::Ventas,
        Role::Intern,
        Some("ventas.supervisor"),
    ),
    (
        "marketing.supervisor",
        "Andrea Sofía Paredes León",
        Department::Marketing,
        Role::Supervisor,
        Some("direccion.director"),
    ),
    (
        "marketing.ejecutivo",
        "Gabriel Ernesto Mendoza Ríos",
        Department::Marketing,
        Role::Executive,
        Some("marketing.supervisor"),
    ),
    (
        "operaciones.supervisor",
        "Héctor Raúl Mamani Apaza",
        Department::Operaciones,
        Role::Supervisor,
        Some("direccion.director"),
    ),
    (
        "operaciones.ejecutivo",
        "Milagros Isabel Torres Ccopa",
        Department::Operaciones,
        Role::Executive,
        Some("operaciones.supervisor"),
    ),
    (
        "contabilidad.gerente",
        "Fernando José Aguilar Vega",
        Department::Contabilidad,
        Role::Manager,
        Some("direccion.director"),
    ),
    (
        "contabilidad.ejecutivo",
        "Claudia Beatriz Ramos Salazar",
        Department::Contabilidad,
        Role::Executive,
        Some("contabilidad.gerente"),
    ),
];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub users_created: usize,
    pub contacts_created: u64,
    /// Written only for a new organisation (see [`history`]).
    pub history: history::HistoryReport,
}

/// Creates whatever part of the demo organisation is missing. A new organisation (none of
/// its users exists yet) is created 90 days ago and lives through its [`history`] up to now.
pub async fn seed(state: &AppState, password: &str) -> Result<SeedReport, AppError> {
    let mut missing = Vec::new();
    {
        let mut conn = state.db.conn().await?;
        for user in DEMO_USERS {
            if users::id_by_username(&mut conn, user.0).await?.is_none() {
                missing.push(*user);
            }
        }
    }
    // Hash before taking the write lock: argon2 is deliberately slow.
    let mut hashed = Vec::with_capacity(missing.len());
    for user in &missing {
        hashed.push((*user, state.passwords.hash(password.to_owned()).await?));
    }
    let generated = generate_contacts(state, DEMO_CONTACTS)?;
    let end = state.clock.now_ms();
    let fresh = missing.len() == DEMO_USERS.len();
    let past = history::in_the_past(state, end);
    let state = if fresh { &past } else { state };

    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut report = SeedReport::default();
    for ((username, full_name, department, role, _), hash) in &hashed {
        let email = format!("{}@centinela.example.pe", username.replace('.', "_"));
        let new = NewUser {
            username,
            full_name,
            email: &email,
            department: department.code(),
            role: role.code(),
            password_hash: hash,
        };
        if users::insert_user_if_absent(&mut tx, &new, now)
            .await?
            .is_some()
        {
            report.users_created += 1;
        }
    }
    for (username, _, _, _, supervisor) in DEMO_USERS {
        let (Some(id), Some(boss)) = (users::id_by_username(&mut tx, username).await?, supervisor)
        else {
            continue;
        };
        let boss_id = users::id_by_username(&mut tx, boss).await?;
        users::set_supervisor(&mut tx, id, boss_id, now).await?;
    }
    let sellers = sellers(&mut tx).await?;
    let with_owner: Vec<NewContact> = generated
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.assigned_to = sellers.get(i % sellers.len().max(1)).copied();
            c
        })
        .collect();
    report.contacts_created =
        contacts::insert_contacts_if_absent(&mut tx, &with_owner, now).await?;
    if report.users_created > 0 || report.contacts_created > 0 {
        let event = NewEvent::new(AuditAction::DemoSeeded, Outcome::Success)
            .actor(None, "system")
            .details(json!({
                "users_created": report.users_created,
                "contacts_created": report.contacts_created,
            }));
        audit::append(&mut tx, now, event).await?;
    }
    tx.commit().await?;
    if fresh {
        report.history = history::write(state, end).await?;
    }
    Ok(report)
}

async fn sellers(conn: &mut sqlx::AnyConnection) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for name in ["ventas.ejecutivo", "ventas.asistente", "ventas.supervisor"] {
        if let Some(id) = users::id_by_username(conn, name).await? {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A DNI: eight digits.
fn dni(rng: &mut ChaCha8Rng) -> String {
    format!("{:08}", rng.gen_range(10_000_000..80_000_000))
}

/// A RUC for a natural person: `10` + DNI + SUNAT's modulo-11 check digit.
pub fn ruc_from_dni(dni: &str) -> String {
    let body = format!("10{dni}");
    let weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = match 11 - (sum % 11) {
        10 => 0,
        11 => 1,
        d => d,
    };
    format!("{body}{check}")
}

/// Whether a RUC's check digit is right.
pub fn ruc_is_valid(ruc: &str) -> bool {
    ruc.len() == 11
        && ruc.chars().all(|c| c.is_ascii_digit())
        && ruc_from_dni(&ruc[2..10])[10..] == ruc[10..]
        && &ruc[..2] == "10"
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// Deterministic contacts: the same seed gives the same people on every machine.
pub fn generate_contacts(state: &AppState, count: usize) -> Result<Vec<NewContact>, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let person = names::person(&mut rng);
        let (city, country) = names::city_and_country(&mut rng);
        let foreign = country != "Perú";
        let dni = dni(&mut rng);
        let (document_type, document_number) = if foreign {
            (
                "CE",
                format!("{:09}", rng.gen_range(100_000_000..999_999_999u32)),
            )
        } else if rng.gen_bool(0.15) {
            ("RUC", ruc_from_dni(&dni))
        } else {
            ("DNI", dni)
        };
        let has_transactions = rng.gen_bool(0.45);
        let passport = (foreign || rng.gen_bool(0.3)).then(|| {
            format!(
                "{}{:07}",
                pick(&mut rng, &["P", "U", "A"]),
                rng.gen_range(0..10_000_000)
            )
        });
        let passport_number_enc = passport.map(|p| state.cipher.encrypt(&p)).transpose()?;
        let full_name = person.full_name();
        let email = names::email(&mut rng, &person, i);
        let phone = format!(
            "+51 9{:02} {:03} {:03}",
            rng.gen_range(0..100),
            rng.gen_range(0..1000),
            rng.gen_range(0..1000)
        );
        let search_text = contact_rules::search_text(&full_name, &email, &phone, &document_number);
        out.push(NewContact {
            reference: format!("C-{:05}", i + 1),
            billing_address: names::address(&mut rng, city),
            full_name,
            email,
            phone,
            city: city.to_owned(),
            country: country.to_owned(),
            communication_preferences: names::preferences(&mut rng),
            marketing_consent: rng.gen_bool(0.55),
            tour_destinations: names::destinations(&mut rng),
            active_reservation: rng.gen_bool(0.25),
            dietary_restrictions: rng
                .gen_bool(0.15)
                .then(|| pick(&mut rng, names::DIETS).to_owned()),
            document_type: document_type.to_owned(),
            document_number,
            payment_history: has_transactions.then(|| names::payments(&mut rng)),
            has_transactions,
            passport_number_enc,
            medical_conditions: rng
                .gen_bool(0.08)
                .then(|| pick(&mut rng, names::CONDITIONS).to_owned()),
            bank_account: rng.gen_bool(0.2).then(|| names::bank_account(&mut rng)),
            internal_notes: rng
                .gen_bool(0.3)
                .then(|| pick(&mut rng, names::NOTES).to_owned()),
            assigned_to: None,
            search_text,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruc_check_digits_follow_sunat() {
        // 10 + 46027897: weights 5,4,3,2,7,6,5,4,3,2 give 149; 11 - 149 % 11 = 5.
        assert_eq!(ruc_from_dni("46027897"), "10460278975");
        assert!(ruc_is_valid("10460278975"));
        assert!(!ruc_is_valid("10460278974"));
    }

    #[test]
    fn every_required_demo_user_is_there_with_a_known_supervisor() {
        let names: Vec<&str> = DEMO_USERS.iter().map(|u| u.0).collect();
        for required in [
            "ventas.practicante",
            "ventas.asistente",
            "ventas.ejecutivo",
            "ventas.supervisor",
            "ventas.gerente",
            "marketing.ejecutivo",
            "marketing.supervisor",
            "operaciones.ejecutivo",
            "operaciones.supervisor",
            "contabilidad.ejecutivo",
            "contabilidad.gerente",
            "direccion.director",
            "admin",
        ] {
            assert!(names.contains(&required), "{required} missing");
        }
        for (_, _, _, _, boss) in DEMO_USERS {
            if let Some(boss) = boss {
                assert!(names.contains(boss), "{boss} is not a demo user");
            }
        }
    }
}
