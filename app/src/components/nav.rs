//! The navigation: each role sees only what it may use, and only pages that exist.

use crate::i18n::*;
use crate::types::{Department, Role, SessionUser};
use leptos::prelude::*;
use leptos_router::components::A;

/// One entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavItem {
    Home,
    Usage,
    Contacts,
    Export,
    Training,
    Approvals,
    Campaigns,
    Alerts,
    Audit,
    Users,
    Policies,
    Rules,
    Reports,
}

impl NavItem {
    pub fn href(self) -> &'static str {
        match self {
            Self::Home => "/",
            Self::Usage => "/mi-uso",
            Self::Contacts => "/contactos",
            Self::Export => "/exportar",
            Self::Training => "/capacitacion",
            Self::Approvals => "/aprobaciones",
            Self::Campaigns => "/campanas",
            Self::Alerts => "/alertas",
            Self::Audit => "/auditoria",
            Self::Users => "/usuarios",
            Self::Policies => "/politicas",
            Self::Rules => "/reglas",
            Self::Reports => "/reportes",
        }
    }
}

/// What `user` may reach from the menu. The server enforces the same rules on every call.
pub fn nav_items(user: &SessionUser) -> Vec<NavItem> {
    let mut items = vec![
        NavItem::Home,
        NavItem::Usage,
        NavItem::Contacts,
        NavItem::Export,
        NavItem::Training,
    ];
    if user.role >= Role::Supervisor || user.has_reports {
        items.push(NavItem::Approvals);
    }
    if user.department == Department::Marketing || user.is_admin() {
        items.push(NavItem::Campaigns);
    }
    if user.is_admin() {
        items.extend([
            NavItem::Alerts,
            NavItem::Audit,
            NavItem::Users,
            NavItem::Policies,
            NavItem::Rules,
            NavItem::Reports,
        ]);
    }
    items
}

#[component]
pub fn MainNav(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let links = nav_items(&user)
        .into_iter()
        .map(|item| {
            let label = move || match item {
                NavItem::Home => t_string!(i18n, nav.home),
                NavItem::Usage => t_string!(i18n, nav.usage),
                NavItem::Contacts => t_string!(i18n, nav.contacts),
                NavItem::Export => t_string!(i18n, nav.export),
                NavItem::Training => t_string!(i18n, nav.training),
                NavItem::Approvals => t_string!(i18n, nav.approvals),
                NavItem::Campaigns => t_string!(i18n, nav.campaigns),
                NavItem::Alerts => t_string!(i18n, nav.alerts),
                NavItem::Audit => t_string!(i18n, nav.audit),
                NavItem::Users => t_string!(i18n, nav.users),
                NavItem::Policies => t_string!(i18n, nav.policies),
                NavItem::Rules => t_string!(i18n, nav.rules),
                NavItem::Reports => t_string!(i18n, nav.reports),
            };
            view! { <li><A href=item.href() exact=true>{label}</A></li> }
        })
        .collect_view();
    view! {
        <nav class="main-nav" aria-label=move || t_string!(i18n, nav.main)>
            <ul>{links}</ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> SessionUser {
        SessionUser {
            id: 1,
            username: "x".into(),
            full_name: "X".into(),
            department: Department::Ventas,
            role,
            supervisor: None,
            has_reports: false,
            session_started_at: 0,
            session_ip: "127.0.0.1".into(),
            locale: "es-PE".into(),
        }
    }

    #[test]
    fn only_administrators_see_the_user_directory() {
        let employee = vec![
            NavItem::Home,
            NavItem::Usage,
            NavItem::Contacts,
            NavItem::Export,
            NavItem::Training,
        ];
        assert_eq!(nav_items(&user(Role::Executive)), employee);
        let mut approver = employee.clone();
        approver.push(NavItem::Approvals);
        assert_eq!(nav_items(&user(Role::Director)), approver);
        assert!(nav_items(&user(Role::Admin)).contains(&NavItem::Users));
        assert!(nav_items(&user(Role::Admin)).contains(&NavItem::Audit));
        assert!(!nav_items(&user(Role::Director)).contains(&NavItem::Audit));
        assert!(nav_items(&user(Role::Admin)).contains(&NavItem::Alerts));
        assert!(!nav_items(&user(Role::Supervisor)).contains(&NavItem::Alerts));
    }
}
