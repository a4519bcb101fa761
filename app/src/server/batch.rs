//! A group of write statements sent together. On SQLite they travel as one multi-statement
//! query (one hop to the database thread instead of one per statement, which dominates the
//! cost of a decision); PostgreSQL cannot take parameters in a multi-statement query, so
//! there they run one after the other. Either way they run inside the caller's transaction.

use super::Backend;
use sqlx::AnyConnection;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}

impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Self::Text(v.clone())
    }
}

/// One statement with `$1..$n` placeholders and its values.
#[derive(Debug, Clone)]
pub struct Statement {
    pub sql: &'static str,
    pub values: Vec<Value>,
}

/// Renumbers `$n` placeholders by `offset` (our SQL has no `$` anywhere else).
fn shift_placeholders(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n * 10 + d as usize;
                chars.next();
            }
            out.push_str(&format!("${}", n + offset));
        } else {
            out.push(c);
        }
    }
    out
}

fn bind<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: Vec<Value>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for v in values {
        query = match v {
            Value::Int(i) => query.bind(i),
            Value::Text(t) => query.bind(t),
            Value::Bytes(b) => query.bind(b),
        };
    }
    query
}

#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<Statement>,
}

impl Batch {
    pub fn push(&mut self, statement: Statement) -> &mut Self {
        self.statements.push(statement);
        self
    }

    /// Runs every statement; returns the rows they changed in total.
    pub async fn run(self, conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
        match Backend::of(conn) {
            Backend::Sqlite => {
                let mut sql = String::new();
                let mut values = Vec::new();
                for s in self.statements {
                    sql.push_str(&shift_placeholders(s.sql, values.len()));
                    sql.push_str(";\n");
                    values.extend(s.values);
                }
                Ok(bind(sqlx::query(&sql), values)
                    .execute(conn)
                    .await?
                    .rows_affected())
            }
            Backend::Postgres => {
                let mut changed = 0;
                for s in self.statements {
                    changed += bind(sqlx::query(s.sql), s.values)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                }
                Ok(changed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_shift_without_touching_the_rest() {
        assert_eq!(
            super::shift_placeholders("insert into t values ($1, $2, '$x', $10)", 3),
            "insert into t values ($4, $5, '$x', $13)"
        );
    }
}
