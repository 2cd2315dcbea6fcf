//! Identity validators a Chinese reviewer expects: the 统一社会信用代码 (GB 32100-2015). Regions
//! are read by the real hierarchy in [`crate::region`].

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
}
