//! The organisation model: departments, roles (by seniority) and account status.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The five departments of the company (SPEC "Organisation model").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    Ventas,
    Marketing,
    Operaciones,
    Contabilidad,
    Direccion,
}

impl Department {
    pub const ALL: [Department; 5] = [
        Self::Ventas,
        Self::Marketing,
        Self::Operaciones,
        Self::Contabilidad,
        Self::Direccion,
    ];

    /// The code stored in the database and used in usernames (`ventas.ejecutivo`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Ventas => "ventas",
            Self::Marketing => "marketing",
            Self::Operaciones => "operaciones",
            Self::Contabilidad => "contabilidad",
            Self::Direccion => "direccion",
        }
    }
}

/// Roles in increasing seniority (SPEC "Organisation model", seed 000 section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Intern,
    Assistant,
    Executive,
    Supervisor,
    Manager,
    Director,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Intern,
        Self::Assistant,
        Self::Executive,
        Self::Supervisor,
        Self::Manager,
        Self::Director,
        Self::Admin,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Intern => "intern",
            Self::Assistant => "assistant",
            Self::Executive => "executive",
            Self::Supervisor => "supervisor",
            Self::Manager => "manager",
            Self::Director => "director",
            Self::Admin => "admin",
        }
    }
}

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    /// Locked until a point in time (for example after repeated failed sign-ins).
    Locked,
    /// Blocked by an administrator or an automatic response, with a reason.
    Blocked,
}

impl UserStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Locked => "locked",
            Self::Blocked => "blocked",
        }
    }
}

/// Returned when a stored code is not one we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}

macro_rules! from_code {
    ($ty:ty) => {
        impl FromStr for $ty {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::ALL
                    .into_iter()
                    .find(|v| v.code() == s)
                    .ok_or_else(|| UnknownCode(s.to_owned()))
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [Self::Active, Self::Locked, Self::Blocked];
}

from_code!(Department);
from_code!(Role);
from_code!(UserStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for d in Department::ALL {
            assert_eq!(d.code().parse::<Department>(), Ok(d));
        }
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(r));
        }
        assert!("jefe".parse::<Role>().is_err());
    }

    #[test]
    fn roles_are_ordered_by_seniority() {
        assert!(Role::Intern < Role::Executive && Role::Director < Role::Admin);
    }
}
