//! Identity validators a Chinese reviewer expects: the 统一社会信用代码 (GB 32100-2015) and
//! Guangdong regions by name or GB/T 2260 code.

/// The 31 characters of the code's alphabet (no I, O, Z, S, V), in value order.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a 统一社会信用代码 is not valid, or `None` if it is.
pub fn credit_code_problem(code: &str) -> Option<&'static str> {
    let chars: Vec<char> = code.trim().chars().collect();
    if chars.len() != 18 {
        return Some("length");
    }
    let values: Option<Vec<u32>> = chars
        .iter()
        .map(|c| ALPHABET.find(*c).map(|i| i as u32))
        .collect();
    let Some(values) = values else {
        return Some("alphabet");
    };
    if !chars
        .get(2..8)
        .is_some_and(|d| d.iter().all(char::is_ascii_digit))
    {
        return Some("region");
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if values.get(17) != Some(&check) {
        return Some("check-digit");
    }
    None
}

/// Guangdong's 21 prefecture-level cities (地级以上市).
pub const GD_CITIES: [&str; 21] = [
    "广州", "深圳", "珠海", "汕头", "佛山", "韶关", "河源", "梅州", "惠州", "汕尾", "东莞", "中山",
    "江门", "阳江", "湛江", "茂名", "肇庆", "清远", "潮州", "揭阳", "云浮",
];

/// Whether `region` names Guangdong, one of its cities, or a county under a named city
/// (`佛山市顺德区`), optionally prefixed `广东省`; or is a GB/T 2260 code of Guangdong (44xxxx).
pub fn is_gd_region(region: &str) -> bool {
    let r = region.trim();
    if r.len() == 6 && r.starts_with("44") && r.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let r = r
        .strip_prefix("广东省")
        .map_or(r, |rest| if rest.is_empty() { "广东" } else { rest });
    if r == "广东" {
        return true;
    }
    GD_CITIES.iter().any(|city| {
        let Some(rest) = r.strip_prefix(city) else {
            return false;
        };
        let rest = rest.strip_prefix('市').unwrap_or(rest);
        rest.is_empty()
            || (rest.chars().count() <= 12
                && (rest.ends_with('区') || rest.ends_with('县') || rest.ends_with('市'))
                && !rest.chars().any(char::is_whitespace))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_by_gb_32100() {
        // Published codes of well-known organisations.
        assert_eq!(credit_code_problem("91440300708461136T"), None); // 腾讯科技（深圳）有限公司
        assert_eq!(
            credit_code_problem("91440300708461136U"),
            Some("check-digit")
        );
        assert_eq!(credit_code_problem("9144030070846113"), Some("length"));
        assert_eq!(credit_code_problem("91440300708461136I"), Some("alphabet"));
    }

    #[test]
    fn guangdong_regions() {
        for ok in [
            "广东省",
            "广州市",
            "佛山",
            "深圳市南山区",
            "广东省清远市英德市",
            "440604",
        ] {
            assert!(is_gd_region(ok), "{ok}");
        }
        for bad in [
            "长沙市",
            "430100",
            "南山区",
            "广西壮族自治区梧州市",
            "广东省外",
            "",
        ] {
            assert!(!is_gd_region(bad), "{bad}");
        }
    }
}
