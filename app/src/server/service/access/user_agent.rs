//! User agents parsed into browser, operating system and device type (woothee).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedUserAgent {
    pub browser: String,
    pub os: String,
    /// desktop, mobile, tablet, bot or other.
    pub device: String,
}

pub fn parse(user_agent: &str) -> ParsedUserAgent {
    let Some(result) = woothee::parser::Parser::new().parse(user_agent) else {
        return ParsedUserAgent {
            browser: "desconocido".into(),
            os: "desconocido".into(),
            device: "other".into(),
        };
    };
    let device = match (result.category, result.os) {
        (_, "iPad") => "tablet",
        ("pc", _) => "desktop",
        ("smartphone" | "mobilephone", _) => "mobile",
        ("crawler", _) => "bot",
        _ => "other",
    };
    let browser = if result.version.is_empty() || result.version == "UNKNOWN" {
        result.name.to_string()
    } else {
        format!("{} {}", result.name, result.version)
    };
    ParsedUserAgent {
        browser,
        os: result.os.to_string(),
        device: device.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_agents() {
        let chrome = parse(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        );
        assert!(chrome.browser.starts_with("Chrome"));
        assert_eq!(chrome.os, "Linux");
        assert_eq!(chrome.device, "desktop");
        let iphone = parse(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(iphone.device, "mobile");
        assert_eq!(parse("curl/8.0").device, "other");
    }
}
