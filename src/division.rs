//! Where an organisation or a region sits among Guangdong's administrative divisions, read from
//! the prefix of its name (广东省…, 广州市…, 广州市天河区…) or a GB/T 2260 code, so that “同级”,
//! “本级” and “省” can be compared. Only names that say where they belong are placed: a name
//! without such a prefix (a company, an abbreviation) is not placed, and nothing is concluded.

/// A level of government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// 省级: the province.
    Province,
    /// 地级以上市.
    City,
    /// 县级: a county, county-level city or district.
    County,
}

impl Level {
    /// The level's name, Chinese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Level::Province => ("省级", "provincial"),
            Level::City => ("地级以上市", "city"),
            Level::County => ("县级", "county"),
        }
    }
}

/// Where a name or region sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its level.
    pub level: Level,
    /// The prefecture-level city (for a city or a county), when the name says it.
    pub city: Option<&'static str>,
    /// The county's own name (for a county), when the name says it.
    pub county: Option<String>,
}

impl Place {
    /// How the place reads in a message, Chinese and English.
    pub fn describe(&self) -> (String, String) {
        match self.level {
            Level::Province => (
                "广东省（省级）".into(),
                "the province (provincial level)".into(),
            ),
            Level::City => {
                let city = self.city.map_or("地级以上市".into(), |c| format!("{c}市"));
                (
                    format!("{city}（地级以上市）"),
                    format!("{city} (city level)"),
                )
            }
            Level::County => {
                let city = self.city.map_or(String::new(), |c| format!("{c}市"));
                let name = format!("{city}{}", self.county.as_deref().unwrap_or("某县（区）"));
                (format!("{name}（县级）"), format!("{name} (county level)"))
            }
        }
    }

    /// Whether two places are different governments: another level, or the same level in
    /// another city or county. Unknown parts are not held against either side.
    pub fn differs_from(&self, other: &Place) -> bool {
        if self.level != other.level {
            return true;
        }
        let both =
            |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(a), Some(b)) if a != b);
        match self.level {
            Level::Province => false,
            Level::City => both(self.city, other.city),
            Level::County => {
                both(self.city, other.city) || both(self.county.as_deref(), other.county.as_deref())
            }
        }
    }
}

/// Characters before 区 that make it an ordinary word (园区, 社区, 小区 …), not a district.
const NOT_DISTRICT: [char; 13] = [
    '园', '社', '小', '片', '景', '街', '校', '营', '商', '库', '税', '厂', '矿',
];

/// Characters that end an organ's name (局, 委, 厅 …) and so never stand inside a county's name.
const ORGAN_WORDS: [char; 10] = ['局', '委', '厅', '办', '部', '院', '会', '署', '司', '处'];

/// The county at the start of `rest` (what follows a city), e.g. `天河区` in `天河区政务服务数据管理局`.
/// A county's own name has 2 to 8 characters before its 区, 县 or 市 (乳源瑶族自治县, 连山壮族瑶族自治县);
/// 市场, 城市, 园区 and the like are words, not counties.
fn county_at_start(rest: &str) -> Option<String> {
    let chars: Vec<char> = rest.chars().collect();
    let (i, c) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| matches!(c, '区' | '县' | '市'))?;
    // A county's name is made of ideographs, none of them an organ's word: in
    // `交通运输局（市交通局）` the 市 is not the end of a county's name.
    let name_char = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c) && !ORGAN_WORDS.contains(c);
    if !chars.iter().take(i).all(name_char) {
        return None;
    }
    if !(2..=8).contains(&i) {
        return None;
    }
    let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
    let after = chars.get(i + 1).copied();
    let word = match c {
        '区' => before.is_some_and(|b| NOT_DISTRICT.contains(&b)),
        '市' => after == Some('场') || matches!(before, Some('城' | '超' | '都')),
        _ => false,
    };
    (!word).then(|| chars.iter().take(i + 1).collect())
}

/// The place named by the start of `rest` after `广东省` (or nothing after it).
fn after_province(rest: &str) -> Option<Place> {
    match after_city(rest) {
        Some(p) => Some(p),
        None if gd_cities().any(|c| rest.starts_with(c)) => None,
        None => Some(Place {
            level: Level::Province,
            city: None,
            county: None,
        }),
    }
}

/// A name that starts with one of the 21 cities: `广州市…` (an organisation must write 市), or a
/// bare `广州` / `佛山顺德区` that is a region and nothing else.
fn after_city(text: &str) -> Option<Place> {
    let city = gd_cities().find(|c| text.starts_with(*c))?;
    let rest = text.get(city.len()..).unwrap_or_default();
    let (rest, wrote_shi) = match rest.strip_prefix('市') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let county = county_at_start(rest);
    if !wrote_shi {
        // Without 市, 中山大学 or 广州地铁集团 is not the city: only a bare region is read.
        let whole_county = county
            .as_ref()
            .is_some_and(|c| c.chars().count() == rest.chars().count());
        if !(rest.is_empty() || whole_county) {
            return None;
        }
    }
    Some(match county {
        Some(county) => Place {
            level: Level::County,
            city: Some(city),
            county: Some(county),
        },
        None => Place {
            level: Level::City,
            city: Some(city),
            county: None,
        },
    })
}

/// Where `text` (an organisation's name, a region, or a GB/T 2260 code 44xxxx) sits, or `None`
/// when its name does not say.
pub fn place(text: &str) -> Option<Place> {
    // A bracketed note is a second name or an aside (`广州市交通运输局（市交通局）`): the level
    // is read from the name before it.
    let t = text.trim();
    let t = match t.find(['（', '(']) {
        Some(i) if i > 0 => t[..i].trim_end(),
        _ => t,
    };
    if t.len() == 6 && t.starts_with("44") && t.bytes().all(|b| b.is_ascii_digit()) {
        let level = match (t.get(2..4), t.get(4..6)) {
            (Some("00"), Some("00")) => Level::Province,
            (_, Some("00")) => Level::City,
            _ => Level::County,
        };
        return Some(Place {
            level,
            city: None,
            county: None,
        });
    }
    if let Some(rest) = t.strip_prefix("广东省") {
        return after_province(rest);
    }
    // 省政务服务和数据管理局, 省发展改革委: in a Guangdong document, the province.
    if let Some(rest) = t.strip_prefix('省') {
        if !rest.is_empty() && !rest.starts_with('市') {
            return after_province(rest);
        }
        return None;
    }
    after_city(t)
}

/// Guangdong's prefecture-level cities by short name (广州 …), from the built-in 行政区划.
fn gd_cities() -> impl Iterator<Item = &'static str> {
    crate::region::Divisions::builtin()
        .cities
        .iter()
        .map(|c| c.short.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(name: &str) -> Option<Level> {
        place(name).map(|p| p.level)
    }

    #[test]
    fn a_bracketed_second_name_is_not_read_as_a_county() {
        let p = place("广州市交通运输局（市交通局）").expect("placed");
        assert_eq!(p.level, Level::City);
        assert_eq!(level("广州市交通运输局(市交通局)"), Some(Level::City));
        assert_eq!(level("广州市交通局市场处"), Some(Level::City));
        assert_eq!(
            level("广州市天河区政务服务数据管理局（区政数局）"),
            Some(Level::County)
        );
    }

    #[test]
    fn names_are_placed_by_their_prefix() {
        assert_eq!(level("广东省政务服务和数据管理局"), Some(Level::Province));
        assert_eq!(level("广东省发展和改革委员会"), Some(Level::Province));
        assert_eq!(level("省政务服务和数据管理局"), Some(Level::Province));
        assert_eq!(level("广东省"), Some(Level::Province));
        assert_eq!(level("广州市政务服务和数据管理局"), Some(Level::City));
        assert_eq!(level("广州市发展和改革委员会"), Some(Level::City));
        assert_eq!(level("广州市城市管理和综合执法局"), Some(Level::City));
        assert_eq!(level("广州市市场监督管理局"), Some(Level::City));
        assert_eq!(level("广州市"), Some(Level::City));
        assert_eq!(level("佛山"), Some(Level::City));
        assert_eq!(level("广州市天河区政务服务数据管理局"), Some(Level::County));
        assert_eq!(level("韶关市乳源瑶族自治县财政局"), Some(Level::County));
        assert_eq!(
            level("清远市连山壮族瑶族自治县交通运输局"),
            Some(Level::County)
        );
        assert_eq!(level("广东省清远市英德市"), Some(Level::County));
        assert_eq!(level("佛山顺德区"), Some(Level::County));
        assert_eq!(level("440000"), Some(Level::Province));
        assert_eq!(level("440100"), Some(Level::City));
        assert_eq!(level("440106"), Some(Level::County));
    }

    #[test]
    fn names_that_do_not_say_are_not_placed() {
        for name in [
            "中山大学附属第一医院",
            "广州地铁集团有限公司",
            "天河区政务服务数据管理局",
            "市发展改革委",
            "广州穗行数据科技有限公司",
            "",
        ] {
            assert_eq!(place(name), None, "{name}");
        }
        // Words are not districts: the city is what is known.
        assert_eq!(level("广州市科技园区管理委员会"), Some(Level::City));
        assert_eq!(level("广州市社区服务中心"), Some(Level::City));
    }

    #[test]
    fn another_level_or_another_city_differs() {
        let p = |n: &str| place(n).unwrap();
        assert!(p("广东省政务服务和数据管理局").differs_from(&p("广州市交通运输局")));
        assert!(p("广州市天河区政务服务数据管理局").differs_from(&p("广州市交通运输局")));
        assert!(p("深圳市政务服务和数据管理局").differs_from(&p("广州市交通运输局")));
        assert!(!p("广州市政务服务和数据管理局").differs_from(&p("广州市交通运输局")));
        assert!(!p("广州市").differs_from(&p("广州市财政局")));
        assert!(!p("440100").differs_from(&p("广州市财政局")));
        assert!(p("佛山市南海区财政局").differs_from(&p("佛山市顺德区交通运输局")));
    }
}
