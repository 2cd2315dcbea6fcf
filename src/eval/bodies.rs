//! What an organ's name shows: whether it is a data authority (数据主管部门), and at which level and
//! in which area of Guangdong it stands. Used by the `body` check (Art. 11 para. 3, 13 para. 1,
//! 17: “县级以上数据主管部门”, “本级”).
//!
//! A name is judged only by what it plainly says: a body whose name shows no level (a company, a
//! central unit, a county named without its city) is never reported, since a wrong error costs
//! more than a missed one.

use crate::region::Divisions;
use crate::terms::{fold, split_notes};

/// GB/T 2260 city codes (first four digits) of Guangdong's 21 cities.
const CITY_CODES: [(&str, &str); 21] = [
    ("4401", "广州"),
    ("4402", "韶关"),
    ("4403", "深圳"),
    ("4404", "珠海"),
    ("4405", "汕头"),
    ("4406", "佛山"),
    ("4407", "江门"),
    ("4408", "湛江"),
    ("4409", "茂名"),
    ("4412", "肇庆"),
    ("4413", "惠州"),
    ("4414", "梅州"),
    ("4415", "汕尾"),
    ("4416", "河源"),
    ("4417", "阳江"),
    ("4418", "清远"),
    ("4419", "东莞"),
    ("4420", "中山"),
    ("4451", "潮州"),
    ("4452", "揭阳"),
    ("4453", "云浮"),
];

/// Where a document's region, or an organ's name, stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    /// 广东省.
    Province,
    /// A prefecture-level city (its name without 市).
    City(String),
    /// A county under a city: the city, and what follows it (the county's name, when known).
    County(String, Option<String>),
}

impl Area {
    /// How the area reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Area::Province => "广东省（省级）".to_string(),
            Area::City(c) => format!("{c}市（地级以上市）"),
            Area::County(c, Some(k)) => format!("{c}市{k}（县级）"),
            Area::County(c, None) => format!("{c}市下辖县区（县级）"),
        }
    }
}

/// The city a text starts with (after an optional 广东省), and what follows it (市 dropped).
fn city_prefix(text: &str) -> Option<(&'static str, &str)> {
    let text = text.strip_prefix("广东省").unwrap_or(text);
    Divisions::builtin().cities.iter().find_map(|city| {
        let rest = text.strip_prefix(city.short.as_str())?;
        Some((city.short.as_str(), rest.strip_prefix('市').unwrap_or(rest)))
    })
}

/// The area a document's `region` names: 广东省, a city, a county written after its city, or a
/// 44xxxx code. `None` for anything else (other provinces, a county written alone): no level is
/// compared then.
pub fn region_area(region: &str) -> Option<Area> {
    // A region the 行政区划 cannot place in the province (written under the wrong city, unknown)
    // is Art. 2's finding; no level is compared with it (one defect, one finding).
    if !matches!(
        crate::region::Divisions::builtin().resolve(region),
        crate::region::Resolution::Within(_)
    ) {
        return None;
    }
    let r = fold(region);
    if r.len() == 6 && r.starts_with("44") && r.bytes().all(|b| b.is_ascii_digit()) {
        let city = CITY_CODES
            .iter()
            .find(|(code, _)| r.starts_with(code))
            .map(|(_, c)| c.to_string());
        return match (r.get(2..), city) {
            (Some("0000"), _) => Some(Area::Province),
            (_, Some(c)) if r.ends_with("00") => Some(Area::City(c)),
            (_, Some(c)) => Some(Area::County(c, None)),
            _ => None,
        };
    }
    if r == "广东省" || r == "广东" {
        return Some(Area::Province);
    }
    let (city, rest) = city_prefix(&r)?;
    if rest.is_empty() {
        Some(Area::City(city.to_string()))
    } else {
        Some(Area::County(city.to_string(), Some(rest.to_string())))
    }
}

/// Where an organ stands by its name: a provincial organ (广东省…, 省…) or one named after a
/// city (广州市…). `None` when the name shows no area, or names a company (公司, 集团), whose
/// place is not a matter of administrative level.
pub fn body_area(name: &str) -> Option<(Area, String)> {
    let (main, _) = split_notes(name);
    let n = fold(&main);
    if n.contains("公司") || n.contains("集团") {
        return None;
    }
    if let Some((city, rest)) = city_prefix(&n) {
        return Some((Area::City(city.to_string()), rest.to_string()));
    }
    if let Some(rest) = n.strip_prefix("广东省").or_else(|| n.strip_prefix('省')) {
        return Some((Area::Province, rest.to_string()));
    }
    None
}

/// Why an organ named `name` is not of the document's `area`, when its name shows it.
pub fn other_level(name: &str, area: &Area) -> Option<String> {
    let (body, rest) = body_area(name)?;
    let differs = match (area, &body) {
        (Area::Province, Area::Province) => false,
        (Area::City(c), Area::City(b)) => c != b,
        (Area::County(c, county), Area::City(b)) => {
            c != b
                || county.as_ref().is_some_and(|k| {
                    let core = k
                        .trim_end_matches("自治县")
                        .trim_end_matches(['区', '县', '市']);
                    !core.is_empty() && !rest.contains(core)
                })
        }
        _ => true,
    };
    differs.then(|| match &body {
        Area::City(b) if matches!(area, Area::County(..)) && area_city(area) == Some(b) => {
            format!("{b}市本级")
        }
        other => other.describe(),
    })
}

fn area_city(area: &Area) -> Option<&String> {
    match area {
        Area::City(c) | Area::County(c, _) => Some(c),
        Area::Province => None,
    }
}

/// Whether `name` (or one of its notes: an organ with two names, 加挂牌子) shows a data
/// authority: a bureau (…局) whose name speaks of data (政务服务和数据管理局, 政务服务数据管理局,
/// 数据局).
pub fn is_data_authority(name: &str) -> bool {
    let (main, notes) = split_notes(name);
    std::iter::once(main).chain(notes).any(|part| {
        let n = fold(&part);
        n.ends_with('局') && n.contains("数据")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(region_area("广东省"), Some(Area::Province));
        assert_eq!(region_area("广州市"), Some(Area::City("广州".into())));
        assert_eq!(
            region_area("佛山市顺德区"),
            Some(Area::County("佛山".into(), Some("顺德区".into())))
        );
        assert_eq!(region_area("440100"), Some(Area::City("广州".into())));
        assert_eq!(region_area("440000"), Some(Area::Province));
        assert_eq!(
            region_area("440606"),
            Some(Area::County("佛山".into(), None))
        );
        assert_eq!(region_area("湖南省长沙市"), None);
        assert_eq!(region_area("顺德区"), None);
    }

    #[test]
    fn levels_by_name() {
        let gz = Area::City("广州".into());
        assert!(other_level("广东省交通运输厅", &gz).is_some());
        assert!(other_level("广东省政务服务和数据管理局", &gz).is_some());
        assert!(other_level("深圳市政务服务和数据管理局", &gz).is_some());
        assert!(other_level("广州市交通运输局", &gz).is_none());
        assert!(other_level("广州数据集团有限公司", &Area::Province).is_none());
        assert!(other_level("国家数据局", &gz).is_none());
        let shunde = region_area("佛山市顺德区").expect("county");
        assert!(other_level("佛山市顺德区政务服务数据管理局", &shunde).is_none());
        assert!(other_level("顺德区政务服务数据管理局", &shunde).is_none());
        assert!(other_level("佛山市政务服务数据管理局", &shunde).is_some());
        assert!(other_level("广州市城市管理和综合执法局", &gz).is_none());
        assert!(other_level("广州市政务服务和数据管理局", &Area::Province).is_some());
        assert!(other_level("省政务服务和数据管理局", &Area::Province).is_none());
    }

    #[test]
    fn data_authorities_by_name() {
        assert!(is_data_authority("广州市政务服务和数据管理局"));
        assert!(is_data_authority("佛山市政务服务数据管理局"));
        assert!(is_data_authority("国家数据局"));
        assert!(is_data_authority(
            "某县发展和改革局（某县政务服务数据管理局）"
        ));
        assert!(!is_data_authority("广州市工业和信息化局"));
        assert!(!is_data_authority("广州市交通运输局"));
        assert!(!is_data_authority("广东省大数据中心"));
    }
}
