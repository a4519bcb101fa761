//! Localised names for departments, roles and account states.

use crate::i18n::*;
use crate::types::{Department, Role, UserStatus};

pub fn department(locale: Locale, d: Department) -> &'static str {
    match d {
        Department::Ventas => td_string!(locale, department.ventas),
        Department::Marketing => td_string!(locale, department.marketing),
        Department::Operaciones => td_string!(locale, department.operaciones),
        Department::Contabilidad => td_string!(locale, department.contabilidad),
        Department::Direccion => td_string!(locale, department.direccion),
    }
}

pub fn role(locale: Locale, r: Role) -> &'static str {
    match r {
        Role::Intern => td_string!(locale, role.intern),
        Role::Assistant => td_string!(locale, role.assistant),
        Role::Executive => td_string!(locale, role.executive),
        Role::Supervisor => td_string!(locale, role.supervisor),
        Role::Manager => td_string!(locale, role.manager),
        Role::Director => td_string!(locale, role.director),
        Role::Admin => td_string!(locale, role.admin),
    }
}

pub fn status(locale: Locale, s: UserStatus) -> &'static str {
    match s {
        UserStatus::Active => td_string!(locale, status.active),
        UserStatus::Locked => td_string!(locale, status.locked),
        UserStatus::Blocked => td_string!(locale, status.blocked),
    }
}
