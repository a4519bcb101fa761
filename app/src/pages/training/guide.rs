//! The employee guide's text (seed 000 section 4, rewritten for the reader), in both
//! languages. Long-form content lives here rather than in the locale files: each section
//! is a title, a lead paragraph and its points.

use crate::i18n::Locale;

pub struct Section {
    /// The anchor (`/capacitacion#id`).
    pub id: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub points: &'static [&'static str],
}

pub fn sections(l: Locale) -> &'static [Section] {
    match l {
        Locale::en => EN,
        _ => ES,
    }
}

/// The confidentiality agreement: its lead and its five commitments.
pub fn agreement(l: Locale) -> (&'static str, &'static [&'static str]) {
    match l {
        Locale::en => (
            "By using Centinela and the customer contacts it holds, you agree to:",
            &[
                "Protect every piece of customer information you reach.",
                "Not disclose it to anyone outside the company, by any channel.",
                "Report any breach you notice, your own included.",
                "Follow every policy in this guide, including the export limits and approvals.",
                "Keep it confidential after you leave the company, too.",
            ],
        ),
        _ => (
            "Al usar Centinela y los contactos de clientes que guarda, te comprometes a:",
            &[
                "Proteger toda la información de clientes a la que tengas acceso.",
                "No divulgarla fuera de la empresa, por ningún medio.",
                "Reportar cualquier violación que notes, incluida la tuya.",
                "Cumplir todas las políticas de esta guía, incluidos los límites y las aprobaciones de exportación.",
                "Mantener la confidencialidad también después de dejar la empresa.",
            ],
        ),
    }
}

const ES: &[Section] = &[
    Section {
        id: "por-que",
        title: "Por qué importa",
        lead: "Cada contacto es una persona que nos confió sus datos. Esta guía te dice qué puedes hacer con ellos, qué nunca, y cómo cuidarlos.",
        points: &[
            "Proteger los datos de los clientes es parte de tu trabajo, no un trámite.",
            "Conoce tus límites y tus responsabilidades antes de exportar.",
            "Usa el sistema de forma eficiente y segura: casi nunca hace falta exportar.",
            "Evita violaciones de seguridad: todo queda registrado a tu nombre.",
        ],
    },
    Section {
        id: "si-puedes",
        title: "Lo que sí puedes hacer",
        lead: "Busca y consulta lo que tu trabajo necesita; exporta solo con un propósito claro.",
        points: &[
            "Buscar contactos para atender a clientes y ver la información que tu área necesita.",
            "Actualizar datos con autorización y agregar notas de seguimiento.",
            "Exportar para campañas aprobadas, eventos concretos o reportes, con una justificación válida.",
            "Ejemplo de justificación válida: «Exportar 50 contactos de clientes que visitaron Machu Picchu en 2024 para la campaña de email del nuevo tour a Huacachina».",
        ],
    },
    Section {
        id: "nunca",
        title: "Lo que nunca debes hacer",
        lead: "Estas acciones están prohibidas sin excepción:",
        points: &[
            "Exportar contactos para uso personal, o sin justificación.",
            "Compartir tu acceso (usuario, contraseña o sesión) con otra persona.",
            "Intentar superar los límites: dividir una exportación o pedírsela a un compañero.",
            "Copiar datos a dispositivos personales, enviarlos por WhatsApp personal o fotografiar la pantalla.",
        ],
    },
    Section {
        id: "consecuencias",
        title: "Consecuencias",
        lead: "Las violaciones tienen consecuencias crecientes:",
        points: &[
            "Primera violación: advertencia formal.",
            "Segunda violación: suspensión del acceso.",
            "Tercera violación: terminación del contrato.",
            "Robo de datos: acciones legales.",
        ],
    },
    Section {
        id: "casos",
        title: "Casos comunes",
        lead: "Lo correcto y lo incorrecto en las situaciones de todos los días:",
        points: &[
            "Necesitas llamar a clientes para un tour: búscalos en el sistema y llama desde ahí; no exportes la lista a tu celular.",
            "Marketing necesita una lista: exporta con la campaña indicada (por ejemplo, «Campaña Black Friday 2024»); nunca sin campaña.",
            "Un cliente pide sus datos: usa la función «Compartir con cliente»; nunca una captura por WhatsApp.",
            "Un compañero olvidó su contraseña: que llame a TI (anexo 1800); nunca le prestes la tuya ni tu sesión.",
        ],
    },
    Section {
        id: "limites",
        title: "Tus límites y las aprobaciones",
        lead: "Cada rol y cada área tiene límites por ventana móvil (24 horas, 7 días, 30 días). En «Mi uso» ves cuánto te queda y cuándo se libera.",
        points: &[
            "Practicante: 10 al día, 30 a la semana, 50 al mes; más de 10 en una exportación necesita aprobación.",
            "Asistente: 30 / 100 / 200; Ejecutivo: 50 / 200 / 500; Supervisor: 100 / 500 / 1000; Gerente: 200 / 1000 / 3000.",
            "Por encima del umbral de aprobación, o de una ventana, la exportación queda pendiente hasta que tu supervisor la apruebe. En Contabilidad, más de 50 contactos necesita además al gerente.",
            "Cada área exporta solo sus campos: Ventas nunca el pasaporte; Marketing solo contactos con consentimiento; Operaciones el pasaporte solo para manifiestos; Contabilidad los datos de facturación.",
            "La justificación tiene al menos 20 caracteres y un propósito (campaña, evento, seguimiento, reporte, auditoría, manifiesto…). Marketing nombra la campaña; Operaciones, el manifiesto.",
            "Para exportar necesitas un certificado vigente de esta capacitación (12 meses).",
        ],
    },
    Section {
        id: "cuenta",
        title: "La seguridad de tu cuenta",
        lead: "Tu cuenta es solo tuya: todo lo que se haga con ella queda a tu nombre.",
        points: &[
            "Contraseña de al menos 12 caracteres, combinando mayúsculas, minúsculas, números y símbolos (por ejemplo, SpiriT#2024$Tours!Peru).",
            "Cámbiala cada 90 días y no la compartas nunca, con nadie.",
            "Activa el doble factor (2FA) con una app autenticadora, como Google Authenticator, y guarda los códigos de respaldo en un lugar seguro.",
            "Si Centinela te pregunta «¿Fuiste tú?» por un acceso que no reconoces, responde «No fui yo»: Seguridad actúa de inmediato.",
        ],
    },
    Section {
        id: "reportar",
        title: "Cómo reportar un incidente",
        lead: "Si detectas algo sospechoso, no intentes resolverlo solo.",
        points: &[
            "Documenta lo que viste: fecha, hora, usuario y qué pasó.",
            "Avisa de inmediato a Seguridad: anexo 1911, correo de seguridad o el WhatsApp de Seguridad de la empresa.",
            "TI (anexo 1800) ayuda con contraseñas y equipos; RR. HH. (anexo 1500) con lo demás; tu supervisor figura en tu perfil.",
        ],
    },
    Section {
        id: "senales",
        title: "Señales de alerta",
        lead: "Reporta cuando veas:",
        points: &[
            "Un compañero exportando muchos contactos.",
            "Solicitudes extrañas de acceso o de datos.",
            "Correos que piden contraseñas.",
            "Accesos fuera del horario normal.",
        ],
    },
    Section {
        id: "guardian",
        title: "Guardián de Datos",
        lead: "Reconocemos a quienes cuidan los datos: seis meses con el certificado vigente y sin incidentes confirmados.",
        points: &[
            "El reconocimiento aparece en «Mi uso» y en la lista de capacitación de los administradores.",
            "Premios: bono trimestral, un día libre adicional y reconocimiento público.",
        ],
    },
];

const EN: &[Section] = &[
    Section {
        id: "por-que",
        title: "Why it matters",
        lead: "Every contact is a person who trusted us with their data. This guide tells you what you may do with it, what never, and how to look after it.",
        points: &[
            "Protecting customer data is part of your job, not paperwork.",
            "Know your limits and responsibilities before you export.",
            "Use the system efficiently and safely: you rarely need to export at all.",
            "Avoid security breaches: everything is recorded in your name.",
        ],
    },
    Section {
        id: "si-puedes",
        title: "What you may do",
        lead: "Look up and read what your work needs; export only for a clear purpose.",
        points: &[
            "Look up contacts to serve customers and see the information your department needs.",
            "Update data with authorisation and add follow-up notes.",
            "Export for approved campaigns, specific events or reports, with a valid justification.",
            "A valid justification: “Export 50 contacts of customers who visited Machu Picchu in 2024 for the email campaign of the new Huacachina tour”.",
        ],
    },
    Section {
        id: "nunca",
        title: "What you must never do",
        lead: "These are forbidden, without exception:",
        points: &[
            "Exporting contacts for personal use, or without a justification.",
            "Sharing your access (username, password or session) with anyone.",
            "Trying to get around the limits: splitting an export, or asking a colleague to do it.",
            "Copying data to personal devices, sending it over personal WhatsApp, or photographing the screen.",
        ],
    },
    Section {
        id: "consecuencias",
        title: "Consequences",
        lead: "Breaches have growing consequences:",
        points: &[
            "First breach: a formal warning.",
            "Second breach: access suspended.",
            "Third breach: contract terminated.",
            "Data theft: legal action.",
        ],
    },
    Section {
        id: "casos",
        title: "Common cases",
        lead: "Right and wrong in everyday situations:",
        points: &[
            "You need to call customers about a tour: look them up in the system and call from there; do not export the list to your phone.",
            "Marketing needs a list: export naming the campaign (for example “Black Friday 2024 campaign”); never without one.",
            "A customer asks for their data: use the “Share with customer” function; never a screenshot over WhatsApp.",
            "A colleague forgot their password: they call IT (extension 1800); never lend them yours or your session.",
        ],
    },
    Section {
        id: "limites",
        title: "Your limits and approvals",
        lead: "Each role and department has limits over rolling windows (24 hours, 7 days, 30 days). “My usage” shows what is left and when it frees up.",
        points: &[
            "Intern: 10 a day, 30 a week, 50 a month; more than 10 in one export needs approval.",
            "Assistant: 30 / 100 / 200; Executive: 50 / 200 / 500; Supervisor: 100 / 500 / 1000; Manager: 200 / 1000 / 3000.",
            "Above the approval threshold, or a window, the export waits until your supervisor approves it. In Accounting, more than 50 contacts also needs the manager.",
            "Each department exports its own fields only: Sales never the passport; Marketing only contacts who consented; Operations the passport only for manifests; Accounting the billing data.",
            "A justification has at least 20 characters and a purpose (campaign, event, follow-up, report, audit, manifest…). Marketing names the campaign; Operations, the manifest.",
            "Exporting needs a current certificate of this training (12 months).",
        ],
    },
    Section {
        id: "cuenta",
        title: "Keeping your account safe",
        lead: "Your account is yours alone: everything done with it is recorded in your name.",
        points: &[
            "A password of at least 12 characters mixing upper and lower case, digits and symbols (for example SpiriT#2024$Tours!Peru).",
            "Change it every 90 days and never share it, with anyone.",
            "Turn on two-factor authentication (2FA) with an authenticator app such as Google Authenticator, and keep the backup codes somewhere safe.",
            "If Centinela asks “Was this you?” about a sign-in you do not recognise, answer “It was not me”: Security acts at once.",
        ],
    },
    Section {
        id: "reportar",
        title: "How to report an incident",
        lead: "If you notice something suspicious, do not handle it alone.",
        points: &[
            "Write down what you saw: date, time, user and what happened.",
            "Tell Security at once: extension 1911, the security mailbox or the company's Security WhatsApp.",
            "IT (extension 1800) helps with passwords and equipment; HR (extension 1500) with the rest; your supervisor is on your profile.",
        ],
    },
    Section {
        id: "senales",
        title: "Warning signs",
        lead: "Report it when you see:",
        points: &[
            "A colleague exporting many contacts.",
            "Odd requests for access or data.",
            "Emails asking for passwords.",
            "Sign-ins outside normal hours.",
        ],
    },
    Section {
        id: "guardian",
        title: "Data Guardian",
        lead: "We recognise those who look after the data: six months with a current certificate and no confirmed incident.",
        points: &[
            "The recognition shows in “My usage” and in the administrators' training list.",
            "Rewards: a quarterly bonus, an extra day off and public recognition.",
        ],
    },
];
