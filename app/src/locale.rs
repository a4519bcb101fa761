//! Which language a request speaks. The UI stores the choice in a cookie (the switch in the
//! header sets it); without one, Centinela speaks Spanish (Peru), whatever the browser says.
//! On the server the middleware puts the request's locale in a task-local, so that error
//! messages are written in the user's language without threading it through every call.

use crate::i18n::Locale;

/// The cookie leptos_i18n reads and writes for the chosen language.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The locale of the request being handled (set by the server's middleware).
    pub static REQUEST_LOCALE: Locale;
}

/// The locale of the current request on the server; the default (Spanish) elsewhere.
pub fn current_request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        REQUEST_LOCALE.try_with(|l| *l).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
}

/// The code a locale is stored and sent as (`es-PE`, `en`).
pub fn code(locale: Locale) -> &'static str {
    leptos_i18n::Locale::as_str(locale)
}

/// Reads the locale cookie out of a `Cookie` header value.
pub fn locale_from_cookie_header(header: &str) -> Locale {
    chosen_in_cookie_header(header).unwrap_or_default()
}

/// The locale a `Cookie` header value carries, if it carries a valid one.
pub fn chosen_in_cookie_header(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| value.trim().parse::<Locale>().ok())
}

/// A message about `n` things, in the singular when `n` is 1 and in the plural otherwise
/// (Spanish and English share that rule): `plural!(l, n, ns.key_1 | ns.key_n, count = n)`.
/// The keys end in `_1` and `_n`: leptos_i18n's own plurals (`_one`, `_other`) would bring
/// ICU's rules for every language into the front end.
#[macro_export]
macro_rules! plural {
    ($l:expr, $n:expr, $($one:ident).+ | $($many:ident).+ $(, $arg:ident = $val:expr)* $(,)?) => {
        if $n == 1 {
            $crate::i18n::td_string!($l, $($one).+ $(, $arg = $val)*).to_string()
        } else {
            $crate::i18n::td_string!($l, $($many).+ $(, $arg = $val)*).to_string()
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_unless_the_cookie_says_english() {
        assert_eq!(locale_from_cookie_header(""), Locale::default());
        assert_eq!(
            locale_from_cookie_header("a=b; i18n_pref_locale=en"),
            Locale::en
        );
        assert_eq!(
            locale_from_cookie_header("i18n_pref_locale=xx"),
            Locale::default()
        );
    }

    #[test]
    fn a_count_of_one_reads_in_the_singular() {
        use crate::i18n::Locale;
        let days =
            |l: Locale, n: i64| crate::plural!(l, n, dashboard.days_1 | dashboard.days_n, n = n);
        assert_eq!(days(Locale::es_PE, 1), "1 día");
        assert_eq!(days(Locale::es_PE, 2), "2 días");
        assert_eq!(days(Locale::es_PE, 0), "0 días");
        assert_eq!(days(Locale::en, 1), "1 day");
        assert_eq!(days(Locale::en, 3), "3 days");
    }
}
