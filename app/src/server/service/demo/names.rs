//! Word lists and small generators for realistic Peruvian demo contacts.

use crate::types::contact::TOUR_DESTINATIONS as DESTINATIONS;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

const FIRST_F: &[&str] = &[
    "María", "Rosa", "Lucía", "Carmen", "Ana", "Sofía", "Valeria", "Camila", "Milagros",
    "Gabriela", "Fiorella", "Daniela", "Patricia", "Claudia", "Jimena", "Andrea", "Karina",
    "Yesenia", "Maribel", "Gladys", "Elena", "Isabel", "Flor", "Nathaly", "Rocío",
];
const FIRST_M: &[&str] = &[
    "José",
    "Luis",
    "Juan",
    "Carlos",
    "Jorge",
    "Miguel",
    "Diego",
    "Alonso",
    "Renzo",
    "Sebastián",
    "Mateo",
    "Piero",
    "Bruno",
    "Christian",
    "Víctor",
    "Raúl",
    "César",
    "Óscar",
    "Walter",
    "Percy",
    "Eduardo",
    "Fernando",
    "Hugo",
    "Javier",
    "Marco",
];
const SURNAMES: &[&str] = &[
    "Quispe",
    "Flores",
    "Sánchez",
    "Rodríguez",
    "García",
    "Rojas",
    "Mamani",
    "Huamán",
    "Vásquez",
    "Chávez",
    "Ramos",
    "Torres",
    "Díaz",
    "Castillo",
    "Mendoza",
    "Gonzales",
    "López",
    "Pérez",
    "Vargas",
    "Espinoza",
    "Ramírez",
    "Cruz",
    "Gutiérrez",
    "Fernández",
    "Álvarez",
    "Ccopa",
    "Condori",
    "Apaza",
    "Ticona",
    "Huanca",
    "Salazar",
    "Romero",
    "Herrera",
    "Medina",
    "Aguilar",
    "Paredes",
    "Silva",
    "Castro",
    "Cárdenas",
    "Ruiz",
    "Palomino",
    "Zevallos",
    "Cáceres",
    "Villanueva",
    "Ugarte",
    "Luna",
    "Benavides",
    "Tello",
];
/// (city, weight): Lima is where most customers live.
const CITIES: &[(&str, u32)] = &[
    ("Lima", 40),
    ("Arequipa", 9),
    ("Cusco", 9),
    ("Trujillo", 7),
    ("Chiclayo", 6),
    ("Piura", 5),
    ("Iquitos", 3),
    ("Huancayo", 4),
    ("Puno", 3),
    ("Tacna", 3),
    ("Ica", 4),
    ("Cajamarca", 3),
    ("Huaraz", 2),
    ("Ayacucho", 2),
];
const FOREIGN: &[(&str, &str)] = &[
    ("Santiago", "Chile"),
    ("Bogotá", "Colombia"),
    ("Buenos Aires", "Argentina"),
    ("Madrid", "España"),
    ("Miami", "Estados Unidos"),
    ("Quito", "Ecuador"),
    ("La Paz", "Bolivia"),
    ("São Paulo", "Brasil"),
];
pub const DIETS: &[&str] = &[
    "Vegetariano",
    "Vegano",
    "Sin gluten",
    "Alergia a mariscos",
    "Sin lactosa",
    "Alergia al maní",
    "Dieta baja en sodio",
];
pub const CONDITIONS: &[&str] = &[
    "Asma",
    "Diabetes tipo 2",
    "Hipertensión",
    "Antecedente de mal de altura",
    "Alergia a la penicilina",
    "Movilidad reducida",
];
pub const NOTES: &[&str] = &[
    "Cliente frecuente; prefiere hoteles boutique.",
    "Reclamo previo por retraso de traslado, resuelto.",
    "Solicita factura a nombre de su empresa.",
    "Viaja con niños pequeños; pedir asientos juntos.",
    "Interesado en paquetes de lujo para aniversario.",
    "No contactar antes de las 10:00.",
    "Referido por agencia aliada de Arequipa.",
];
const STREETS: &[&str] = &[
    "Av. Arequipa",
    "Av. Larco",
    "Jr. de la Unión",
    "Av. Javier Prado Este",
    "Calle Mercaderes",
    "Av. Ejército",
    "Av. El Sol",
    "Jr. Pizarro",
    "Av. Bolognesi",
    "Calle Santa Catalina",
    "Av. Grau",
    "Jr. Lima",
];
const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.es",
    "gmail.com",
    "icloud.com",
];
const CHANNELS: &[&str] = &["email", "whatsapp", "llamada", "sms"];

pub struct Person {
    first: &'static str,
    paternal: &'static str,
    maternal: &'static str,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {} {}", self.first, self.paternal, self.maternal)
    }
}

fn one(rng: &mut ChaCha8Rng, items: &[&'static str]) -> &'static str {
    items.choose(rng).copied().unwrap_or_default()
}

pub fn person(rng: &mut ChaCha8Rng) -> Person {
    let first = if rng.gen_bool(0.5) {
        one(rng, FIRST_F)
    } else {
        one(rng, FIRST_M)
    };
    Person {
        first,
        paternal: one(rng, SURNAMES),
        maternal: one(rng, SURNAMES),
    }
}

pub fn city_and_country(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    if rng.gen_bool(0.07) {
        return FOREIGN.choose(rng).copied().unwrap_or(("Lima", "Perú"));
    }
    let total: u32 = CITIES.iter().map(|c| c.1).sum();
    let mut roll = rng.gen_range(0..total);
    for (city, weight) in CITIES {
        if roll < *weight {
            return (city, "Perú");
        }
        roll -= weight;
    }
    ("Lima", "Perú")
}

/// Lowercase ASCII for email local parts ("Núñez" -> "nunez").
fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'Á' => Some('a'),
            'é' | 'É' => Some('e'),
            'í' | 'Í' => Some('i'),
            'ó' | 'Ó' => Some('o'),
            'ú' | 'Ú' | 'ü' => Some('u'),
            'ñ' | 'Ñ' => Some('n'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

pub fn email(rng: &mut ChaCha8Rng, p: &Person, index: usize) -> String {
    format!(
        "{}.{}{}@{}",
        ascii_fold(p.first),
        ascii_fold(p.paternal),
        index % 97,
        one(rng, EMAIL_DOMAINS)
    )
}

pub fn address(rng: &mut ChaCha8Rng, city: &str) -> String {
    format!(
        "{} {}, {}",
        one(rng, STREETS),
        rng.gen_range(100..3000),
        city
    )
}

pub fn preferences(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(1..=3);
    let mut chosen: Vec<&str> = CHANNELS.choose_multiple(rng, n).copied().collect();
    chosen.sort_unstable();
    chosen.join(",")
}

pub fn destinations(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(0..=3);
    DESTINATIONS
        .choose_multiple(rng, n)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn payments(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(1..=4);
    let items: Vec<serde_json::Value> = (0..n)
        .map(|_| {
            serde_json::json!({
                "date": format!("2026-{:02}-{:02}", rng.gen_range(1..=10), rng.gen_range(1..=28)),
                "amount_pen": rng.gen_range(180..9_800),
                "method": one(rng, &["tarjeta", "transferencia", "yape", "efectivo"]),
            })
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

pub fn bank_account(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {:03}-{:08}-0-{:02}",
        one(rng, &["BCP", "BBVA", "Interbank", "Scotiabank"]),
        rng.gen_range(100..999),
        rng.gen_range(0..100_000_000),
        rng.gen_range(10..99)
    )
}
