//! 行政区划: where a document's region lies. Guangdong's 21 prefecture-level cities and their
//! county-level divisions by GB/T 2260 code (`rules/regions/guangdong.yaml`), the cooperation
//! areas plans name, and the other provinces with their prefecture-level cities
//! (`rules/regions/elsewhere.yaml`), so that a name can be placed by the real hierarchy rather
//! than by its spelling.
//!
//! A region is read as a [`Resolution`]: in the province (the province itself, a city, a county
//! under its own city, a listed area), a county written under a city it does not belong to,
//! plainly outside the province, or not placeable from the list. Only the third is "outside":
//! a name the list does not know is never taken for one outside the province.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::document::{node::parse_pointer, yaml, Limits, Node};
use crate::error::InputError;
use crate::source::SourceFile;
use crate::text;
use crate::text::Text;

/// The province a pack's measure applies in (本省).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Province {
    /// GB/T 2260 code, `440000`.
    pub code: String,
    /// Full name, `广东省`.
    pub name: String,
    /// The name without 省 (自治区 …), `广东`.
    pub short: String,
}

/// A prefecture-level city (地级以上市).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct City {
    /// GB/T 2260 code, `440100`.
    pub code: String,
    /// Full name, `广州市`.
    pub name: String,
    /// The name without 市, `广州`.
    pub short: String,
}

/// What a county-level division is, by the last characters of its name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum CountyType {
    /// 市辖区 (…区).
    District,
    /// 县级市 (…市).
    CountyCity,
    /// 县 (…县).
    County,
    /// 自治县 (…自治县).
    AutonomousCounty,
}

impl CountyType {
    fn of(name: &str) -> Option<CountyType> {
        if name.ends_with("自治县") {
            Some(CountyType::AutonomousCounty)
        } else if name.ends_with('县') {
            Some(CountyType::County)
        } else if name.ends_with('区') {
            Some(CountyType::District)
        } else if name.ends_with('市') {
            Some(CountyType::CountyCity)
        } else {
            None
        }
    }

    /// The Chinese name of the type.
    pub fn name_zh(self) -> &'static str {
        match self {
            CountyType::District => "市辖区",
            CountyType::CountyCity => "县级市",
            CountyType::County => "县",
            CountyType::AutonomousCounty => "自治县",
        }
    }
}

/// A county-level division (县、自治县、县级市、市辖区).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct County {
    /// GB/T 2260 code, `440606`.
    pub code: String,
    /// Full name, `顺德区`.
    pub name: String,
    /// Its type.
    pub kind: CountyType,
    /// Index of its city in [`Divisions::cities`].
    pub city: usize,
}

/// A cooperation area or national new area (合作区、国家级新区): not an administrative division,
/// but a region plans are written for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Area {
    /// Its name, `横琴粤澳深度合作区`.
    pub name: String,
    /// Other names it goes by.
    pub also: Vec<String>,
    /// Indexes of the cities it lies in or is administered by.
    pub cities: Vec<usize>,
    /// The document that establishes it.
    pub source: String,
}

/// A province other than the pack's, with its prefecture-level divisions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OtherProvince {
    /// GB/T 2260 code, `430000`.
    pub code: String,
    /// Full name, `湖南省`.
    pub name: String,
    /// Short name, `湖南`.
    pub short: String,
    /// Its prefecture-level divisions: (code, name).
    pub cities: Vec<(String, String)>,
}

/// Where a data file came from, as it says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataSource {
    /// The file.
    pub file: String,
    /// Its `source`.
    pub source: String,
    /// Its `as_of` date.
    pub as_of: String,
}

/// The administrative divisions a pack knows.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(into = "Listed", from = "Listed")]
pub struct Divisions {
    /// The province the measure applies in, once its file is loaded.
    pub province: Option<Province>,
    /// Its prefecture-level cities, in code order.
    pub cities: Vec<City>,
    /// Its county-level divisions, in code order.
    pub counties: Vec<County>,
    /// Cooperation areas and new areas.
    pub areas: Vec<Area>,
    /// The other provinces.
    pub elsewhere: Vec<OtherProvince>,
    /// The files the data came from.
    pub sources: Vec<DataSource>,
    by_code: HashMap<String, Code>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The divisions without their indexes, as a pre-compiled pack stores them.
#[derive(serde::Serialize, serde::Deserialize)]
struct Listed {
    province: Option<Province>,
    cities: Vec<City>,
    counties: Vec<County>,
    areas: Vec<Area>,
    elsewhere: Vec<OtherProvince>,
    sources: Vec<DataSource>,
}

impl From<Divisions> for Listed {
    fn from(d: Divisions) -> Listed {
        Listed {
            province: d.province,
            cities: d.cities,
            counties: d.counties,
            areas: d.areas,
            elsewhere: d.elsewhere,
            sources: d.sources,
        }
    }
}

impl From<Listed> for Divisions {
    /// The indexes rebuilt as `add_home` builds them (the lists were checked when loaded).
    fn from(l: Listed) -> Divisions {
        let mut by_code = HashMap::new();
        for (i, c) in l.cities.iter().enumerate() {
            by_code.insert(c.code.clone(), Code::City(i));
        }
        for (i, c) in l.counties.iter().enumerate() {
            by_code.insert(c.code.clone(), Code::County(i));
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in l.counties.iter().enumerate() {
            by_name.entry(c.name.clone()).or_default().push(i);
        }
        Divisions {
            province: l.province,
            cities: l.cities,
            counties: l.counties,
            areas: l.areas,
            elsewhere: l.elsewhere,
            sources: l.sources,
            by_code,
            by_name,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Code {
    City(usize),
    County(usize),
}

/// A place in the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The province as a whole.
    Province(&'a Province),
    /// A prefecture-level city.
    City(&'a City),
    /// A county-level division, with its city.
    County(&'a County, &'a City),
    /// A cooperation area or new area.
    Area(&'a Area),
}

/// How far a place reaches, for comparing with a document's stated level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// 省级.
    Province,
    /// 地级以上市.
    City,
    /// 县级 (县、自治县、县级市、市辖区).
    County,
}

impl Place<'_> {
    /// The tier of an administrative division; `None` for an area, which has no tier of its own.
    pub fn tier(&self) -> Option<Tier> {
        match self {
            Place::Province(_) => Some(Tier::Province),
            Place::City(_) => Some(Tier::City),
            Place::County(..) => Some(Tier::County),
            Place::Area(_) => None,
        }
    }

    /// `河源市连平县（441623）` and the like.
    pub fn describe(&self) -> String {
        match self {
            Place::Province(p) => format!("{}（{}）", p.name, p.code),
            Place::City(c) => format!("{}（{}）", c.name, c.code),
            Place::County(c, city) => format!("{}{}（{}）", city.name, c.name, c.code),
            Place::Area(a) => a.name.clone(),
        }
    }
}

/// Why a region cannot be placed from the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unplaced<'a> {
    /// A code of the province's range that is not in the list.
    UnknownCode(String),
    /// A city followed by a name that is not one of its counties or areas.
    UnknownUnder(&'a City, String),
    /// A bare county name that several cities have.
    Ambiguous(String, Vec<&'a City>),
    /// A name the list does not know.
    Unknown(String),
}

/// A region, read against the divisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// In the province.
    Within(Place<'a>),
    /// A county (or area) written under a city it does not belong to (`广州市连平县`).
    WrongCity {
        /// The city written.
        written: &'a City,
        /// The county or area named after it.
        place: Place<'a>,
        /// The cities it belongs to.
        belongs: Vec<&'a City>,
    },
    /// Plainly outside the province: another province, one of its cities, or its code.
    Outside {
        /// The province it lies in.
        province: &'a OtherProvince,
        /// The city named, when one was.
        city: Option<&'a str>,
    },
    /// Not placeable from the list.
    Unplaced(Unplaced<'a>),
}

/// Spaces of any width removed, full-width letters and digits folded to ASCII: `广东省 佛山市`,
/// `４４０６０６` read as `广东省佛山市`, `440606`.
pub fn normalize(region: &str) -> String {
    region
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvince {
    code: String,
    name: String,
    short: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCity {
    code: String,
    name: String,
    counties: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    name: String,
    #[serde(default)]
    also: Vec<String>,
    cities: Vec<String>,
    source: String,
}

/// `regions/guangdong.yaml`: the province the measure applies in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHome {
    source: String,
    as_of: String,
    province: RawProvince,
    cities: Vec<RawCity>,
    #[serde(default)]
    areas: Vec<RawArea>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOtherProvince {
    code: String,
    name: String,
    short: String,
    cities: BTreeMap<String, String>,
}

/// `regions/elsewhere.yaml`: the other provinces.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElsewhere {
    source: String,
    as_of: String,
    provinces: Vec<RawOtherProvince>,
}

fn is_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

static BUILTIN: OnceLock<Divisions> = OnceLock::new();

impl Divisions {
    /// Record `divisions` as the built-in pack's, when they come from its pre-compiled form
    /// (so that [`Divisions::builtin`] need not read the YAML again). Only the first call counts.
    pub fn preset_builtin(divisions: &Divisions) {
        let _ = BUILTIN.set(divisions.clone());
    }

    /// The divisions of the built-in pack (for tests and [`crate::eval::Context::fixed`]).
    pub fn builtin() -> &'static Divisions {
        BUILTIN.get_or_init(|| {
            let mut divisions = Divisions::default();
            for (name, text) in crate::embedded::RULES {
                if name.starts_with("regions/") {
                    let file = SourceFile::new(format!("rules/{name}"), *text);
                    // The built-in pack's own tests hold these files to load clean.
                    let _ = divisions.add_file(&file);
                }
            }
            divisions
        })
    }

    /// Load one file of `regions/`: the province's list (it has `province:`) or the other
    /// provinces' (`provinces:`). Codes, their ranges and names are checked; every problem is
    /// located in the file.
    pub fn add_file(&mut self, file: &Arc<SourceFile>) -> Result<(), Vec<InputError>> {
        let root = yaml::parse(file, Limits::default()).map_err(|e| vec![e])?;
        let has = |key: &str| root.entry(key).is_some();
        if has("province") {
            self.add_home(file, &root)
        } else if has("provinces") {
            self.add_elsewhere(file, &root)
        } else {
            Err(vec![InputError::at(
                "pdao::regions",
                file,
                root.locate(&[]),
                text!(
                    "区划文件须有 province（本省的市、县）或 provinces（外省）",
                    "a regions file needs province (the province's cities and counties) or provinces (the other provinces)"
                ),
            )])
        }
    }

    fn add_home(&mut self, file: &Arc<SourceFile>, root: &Node) -> Result<(), Vec<InputError>> {
        let at = |pointer: &str| root.locate(&parse_pointer(root, pointer));
        let err = |pointer: &str, message: Text| {
            InputError::at("pdao::regions", file, at(pointer), message)
        };
        let raw: RawHome = serde_json::from_value(root.to_json()).map_err(|e| {
            vec![err(
                "",
                text!("区划文件格式不符：{}", "malformed regions file: {}", e),
            )]
        })?;
        if self.province.is_some() {
            return Err(vec![err(
                "/province",
                text!(
                    "规则包中已有本省的区划文件",
                    "the pack already has the province's regions file"
                ),
            )]);
        }
        let mut errors = Vec::new();
        let p = &raw.province;
        if !is_code(&p.code) || !p.code.ends_with("0000") {
            errors.push(err(
                "/province/code",
                text!(
                    "省级代码应为六位数字、以 0000 结尾：{}",
                    "a province code is six digits ending 0000: {}",
                    p.code
                ),
            ));
        }
        let prefix = p.code.get(..2).unwrap_or_default().to_string();
        let mut cities = Vec::new();
        let mut counties = Vec::new();
        let mut by_code: HashMap<String, Code> = HashMap::new();
        for (i, c) in raw.cities.iter().enumerate() {
            let here = format!("/cities/{i}");
            if !is_code(&c.code) || !c.code.starts_with(&prefix) || !c.code.ends_with("00") {
                errors.push(err(
                    &format!("{here}/code"),
                    text!(
                        "地级代码应为 {}xx00：{}",
                        "a city code is {}xx00: {}",
                        prefix,
                        c.code
                    ),
                ));
            }
            if by_code.insert(c.code.clone(), Code::City(i)).is_some() {
                errors.push(err(
                    &format!("{here}/code"),
                    text!("代码 {} 重复", "code {} is listed twice", c.code),
                ));
            }
            let short = c.name.strip_suffix('市').unwrap_or(&c.name).to_string();
            cities.push(City {
                code: c.code.clone(),
                name: c.name.clone(),
                short,
            });
            for (code, name) in &c.counties {
                let pointer = format!("{here}/counties/{code}");
                let city_prefix = c.code.get(..4).unwrap_or_default();
                if !is_code(code) || !code.starts_with(city_prefix) || code.ends_with("00") {
                    errors.push(err(
                        &pointer,
                        text!(
                            "{} 的县级代码应为 {}xx：{}",
                            "a county code under {} is {}xx: {}",
                            c.name,
                            city_prefix,
                            code
                        ),
                    ));
                }
                let Some(kind) = CountyType::of(name) else {
                    errors.push(err(
                        &pointer,
                        text!(
                            "县级行政区名称应以 区、县、市 结尾：{}",
                            "a county-level name ends in 区, 县 or 市: {}",
                            name
                        ),
                    ));
                    continue;
                };
                if by_code
                    .insert(code.clone(), Code::County(counties.len()))
                    .is_some()
                {
                    errors.push(err(
                        &pointer,
                        text!("代码 {} 重复", "code {} is listed twice", code),
                    ));
                }
                counties.push(County {
                    code: code.clone(),
                    name: name.clone(),
                    kind,
                    city: i,
                });
            }
        }
        let mut areas = Vec::new();
        for (i, a) in raw.areas.iter().enumerate() {
            let mut indexes = Vec::new();
            for (j, code) in a.cities.iter().enumerate() {
                match by_code.get(code) {
                    Some(Code::City(c)) => indexes.push(*c),
                    _ => errors.push(err(
                        &format!("/areas/{i}/cities/{j}"),
                        text!(
                            "{} 不是本省地级以上市的代码",
                            "{} is not the code of one of the province's cities",
                            code
                        ),
                    )),
                }
            }
            areas.push(Area {
                name: a.name.clone(),
                also: a.also.clone(),
                cities: indexes,
                source: a.source.clone(),
            });
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in counties.iter().enumerate() {
            by_name.entry(c.name.clone()).or_default().push(i);
        }
        // A city, a county and an area sharing a name would make the name mean two places.
        let mut names: HashMap<&str, &str> = HashMap::new();
        for (i, c) in cities.iter().enumerate() {
            for n in [&c.name, &c.short] {
                if names.insert(n, "city").is_some() {
                    errors.push(err(
                        &format!("/cities/{i}/name"),
                        text!("名称 {} 重复", "the name {} is used twice", n),
                    ));
                }
            }
        }
        for (i, a) in areas.iter().enumerate() {
            for n in std::iter::once(&a.name).chain(&a.also) {
                if names.insert(n, "area").is_some() || by_name.contains_key(n) {
                    errors.push(err(
                        &format!("/areas/{i}"),
                        text!(
                            "名称 {} 已指另一处",
                            "the name {} already names another place",
                            n
                        ),
                    ));
                }
            }
        }
        for c in &counties {
            if names.contains_key(c.name.as_str()) {
                errors.push(err(
                    "/cities",
                    text!(
                        "县级行政区名称 {} 与市或合作区同名",
                        "the county-level name {} is also a city's or an area's",
                        c.name
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.province = Some(Province {
            code: p.code.clone(),
            name: p.name.clone(),
            short: p.short.clone(),
        });
        self.cities = cities;
        self.counties = counties;
        self.areas = areas;
        self.by_code = by_code;
        self.by_name = by_name;
        self.sources.push(DataSource {
            file: file.name().to_string(),
            source: raw.source.trim().to_string(),
            as_of: raw.as_of,
        });
        Ok(())
    }

    fn add_elsewhere(
        &mut self,
        file: &Arc<SourceFile>,
        root: &Node,
    ) -> Result<(), Vec<InputError>> {
        let at = |pointer: &str| root.locate(&parse_pointer(root, pointer));
        let err = |pointer: &str, message: Text| {
            InputError::at("pdao::regions", file, at(pointer), message)
        };
        let raw: RawElsewhere = serde_json::from_value(root.to_json()).map_err(|e| {
            vec![err(
                "",
                text!("区划文件格式不符：{}", "malformed regions file: {}", e),
            )]
        })?;
        let mut errors = Vec::new();
        let mut provinces = Vec::new();
        for (i, p) in raw.provinces.into_iter().enumerate() {
            if !is_code(&p.code) || !p.code.ends_with("0000") {
                errors.push(err(
                    &format!("/provinces/{i}/code"),
                    text!(
                        "省级代码应为六位数字、以 0000 结尾：{}",
                        "a province code is six digits ending 0000: {}",
                        p.code
                    ),
                ));
            }
            let prefix = p.code.get(..2).unwrap_or_default().to_string();
            for code in p.cities.keys() {
                if !is_code(code) || !code.starts_with(&prefix) {
                    errors.push(err(
                        &format!("/provinces/{i}/cities/{code}"),
                        text!(
                            "{} 的地级代码应以 {} 开头：{}",
                            "a city code of {} starts with {}: {}",
                            p.name,
                            prefix,
                            code
                        ),
                    ));
                }
            }
            provinces.push(OtherProvince {
                code: p.code,
                name: p.name,
                short: p.short,
                cities: p.cities.into_iter().collect(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.elsewhere.extend(provinces);
        self.sources.push(DataSource {
            file: file.name().to_string(),
            source: raw.source.trim().to_string(),
            as_of: raw.as_of,
        });
        Ok(())
    }

    /// The city at `index`.
    fn city(&self, index: usize) -> Option<&City> {
        self.cities.get(index)
    }

    /// Checks that need the province's file and the other provinces' together: no other
    /// province may share the province's code range, and no name of the province may be read
    /// as one outside it. Returned as messages, for the pack loader to locate.
    pub fn conflicts(&self) -> Vec<Text> {
        let mut out = Vec::new();
        let Some(home) = &self.province else {
            return out;
        };
        for p in &self.elsewhere {
            if p.code.get(..2) == home.code.get(..2) {
                out.push(text!(
                    "外省 {} 的代码与本省相同",
                    "{}'s code is the province's own",
                    p.name
                ));
            }
        }
        let names = self
            .cities
            .iter()
            .flat_map(|c| [c.name.clone(), c.short.clone()])
            .chain(self.counties.iter().map(|c| c.name.clone()))
            .chain(
                self.areas
                    .iter()
                    .flat_map(|a| std::iter::once(a.name.clone()).chain(a.also.iter().cloned())),
            );
        for name in names {
            if let Some(Resolution::Outside { province, .. }) = self.outside(&name) {
                out.push(text!(
                    "本省的 {} 会被读作{}的地名",
                    "the province's {} would read as a place in {}",
                    name,
                    province.name
                ));
            }
        }
        out
    }

    /// Read `region` as a document writes it: a name (`广东省佛山市顺德区`, `连平县`, `佛山`), or a
    /// GB/T 2260 code. Blank text is [`Unplaced::Unknown`].
    pub fn resolve(&self, region: &str) -> Resolution<'_> {
        let text = normalize(region);
        let Some(home) = &self.province else {
            return Resolution::Unplaced(Unplaced::Unknown(text));
        };
        if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
            return self.resolve_code(home, text);
        }
        let after_home = text
            .strip_prefix(home.name.as_str())
            .or_else(|| text.strip_prefix(home.short.as_str()));
        let rest = after_home.unwrap_or(&text);
        if after_home.is_some() && rest.is_empty() {
            return Resolution::Within(Place::Province(home));
        }
        if let Some(found) = self.resolve_within(rest) {
            return found;
        }
        if after_home.is_none() {
            if let Some(outside) = self.outside(&text) {
                return outside;
            }
        }
        Resolution::Unplaced(Unplaced::Unknown(text))
    }

    fn resolve_code<'a>(&'a self, home: &'a Province, code: String) -> Resolution<'a> {
        if code == home.code {
            return Resolution::Within(Place::Province(home));
        }
        match self.by_code.get(&code) {
            Some(Code::City(i)) => {
                if let Some(city) = self.city(*i) {
                    return Resolution::Within(Place::City(city));
                }
            }
            Some(Code::County(i)) => {
                if let Some((county, city)) = self
                    .counties
                    .get(*i)
                    .and_then(|c| Some((c, self.city(c.city)?)))
                {
                    return Resolution::Within(Place::County(county, city));
                }
            }
            None => {}
        }
        if is_code(&code) && code.get(..2) != home.code.get(..2) {
            if let Some(province) = self
                .elsewhere
                .iter()
                .find(|p| p.code.get(..2) == code.get(..2))
            {
                let city = province
                    .cities
                    .iter()
                    .find(|(c, _)| c.get(..4) == code.get(..4))
                    .map(|(_, name)| name.as_str());
                return Resolution::Outside { province, city };
            }
        }
        Resolution::Unplaced(Unplaced::UnknownCode(code))
    }

    /// `rest` is what follows the province's name, if it was written: a county, an area, a
    /// city, or a city followed by a county or area. `None`: none of these.
    fn resolve_within<'a>(&'a self, rest: &str) -> Option<Resolution<'a>> {
        if let Some(found) = self.bare(rest) {
            return Some(found);
        }
        for city in &self.cities {
            if rest == city.name || rest == city.short {
                return Some(Resolution::Within(Place::City(city)));
            }
        }
        for (i, city) in self.cities.iter().enumerate() {
            let Some(tail) = rest
                .strip_prefix(city.name.as_str())
                .or_else(|| rest.strip_prefix(city.short.as_str()))
            else {
                continue;
            };
            return Some(match self.bare(tail) {
                Some(Resolution::Within(place)) => self.under(i, city, place),
                // A bare name several cities share is fine once its city is written.
                Some(Resolution::Unplaced(Unplaced::Ambiguous(_, _))) => {
                    match self
                        .by_name
                        .get(tail)
                        .into_iter()
                        .flatten()
                        .find_map(|c| self.counties.get(*c).filter(|county| county.city == i))
                    {
                        Some(county) => Resolution::Within(Place::County(county, city)),
                        None => self.wrong_city(city, tail),
                    }
                }
                _ => Resolution::Unplaced(Unplaced::UnknownUnder(city, tail.to_string())),
            });
        }
        None
    }

    /// A county or area written after `city`.
    fn under<'a>(&'a self, index: usize, city: &'a City, place: Place<'a>) -> Resolution<'a> {
        let belongs: Vec<usize> = match place {
            Place::County(county, _) => vec![county.city],
            Place::Area(area) => area.cities.clone(),
            _ => return Resolution::Unplaced(Unplaced::UnknownUnder(city, String::new())),
        };
        if belongs.contains(&index) {
            return Resolution::Within(match place {
                Place::County(county, _) => Place::County(county, city),
                other => other,
            });
        }
        Resolution::WrongCity {
            written: city,
            place,
            belongs: belongs.iter().filter_map(|i| self.city(*i)).collect(),
        }
    }

    /// A name several cities share, written after a city that has none of it.
    fn wrong_city<'a>(&'a self, city: &'a City, name: &str) -> Resolution<'a> {
        let all: Vec<&County> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|i| self.counties.get(*i))
            .collect();
        match all.first().and_then(|c| Some((*c, self.city(c.city)?))) {
            Some((county, its_city)) => Resolution::WrongCity {
                written: city,
                place: Place::County(county, its_city),
                belongs: all.iter().filter_map(|c| self.city(c.city)).collect(),
            },
            None => Resolution::Unplaced(Unplaced::UnknownUnder(city, name.to_string())),
        }
    }

    /// A county or area named alone.
    fn bare<'a>(&'a self, name: &str) -> Option<Resolution<'a>> {
        if let Some(indexes) = self.by_name.get(name) {
            let counties: Vec<&County> = indexes
                .iter()
                .filter_map(|i| self.counties.get(*i))
                .collect();
            return Some(match counties.as_slice() {
                [county] => Resolution::Within(Place::County(county, self.city(county.city)?)),
                _ => Resolution::Unplaced(Unplaced::Ambiguous(
                    name.to_string(),
                    counties.iter().filter_map(|c| self.city(c.city)).collect(),
                )),
            });
        }
        self.areas
            .iter()
            .find(|a| a.name == name || a.also.iter().any(|n| n == name))
            .map(|a| Resolution::Within(Place::Area(a)))
    }

    /// Plainly another province: its full name first (`湖南省…`, `广西壮族自治区…`), its short
    /// name alone or before one of its cities (`湖南`, `湖南长沙市`), or one of its cities
    /// (`长沙市…`, `长沙`). A short name followed by anything else is not taken for it: 河南岸 is
    /// a 街道 in 惠州.
    fn outside<'a>(&'a self, text: &str) -> Option<Resolution<'a>> {
        let city_in = |p: &'a OtherProvince, s: &str| -> Option<&'a str> {
            p.cities.iter().find_map(|(_, name)| {
                let short = name.strip_suffix('市').filter(|s| !s.is_empty());
                (s.starts_with(name.as_str()) || short == Some(s)).then_some(name.as_str())
            })
        };
        for province in &self.elsewhere {
            if let Some(rest) = text.strip_prefix(province.name.as_str()) {
                let city = city_in(province, rest);
                return Some(Resolution::Outside { province, city });
            }
            if text == province.short {
                return Some(Resolution::Outside {
                    province,
                    city: None,
                });
            }
            if let Some(rest) = text.strip_prefix(province.short.as_str()) {
                if let Some(city) = city_in(province, rest) {
                    return Some(Resolution::Outside {
                        province,
                        city: Some(city),
                    });
                }
            }
        }
        for province in &self.elsewhere {
            if let Some(city) = city_in(province, text) {
                return Some(Resolution::Outside {
                    province,
                    city: Some(city),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn divisions() -> &'static Divisions {
        Divisions::builtin()
    }

    fn within(region: &str) -> Place<'static> {
        match divisions().resolve(region) {
            Resolution::Within(place) => place,
            other => panic!("{region}: {other:?}"),
        }
    }

    #[test]
    fn the_list_has_guangdongs_21_cities_and_122_counties() {
        let d = divisions();
        assert_eq!(d.cities.len(), 21);
        assert_eq!(d.cities.first().map(|c| c.code.as_str()), Some("440100"));
        assert_eq!(d.cities.last().map(|c| c.name.as_str()), Some("云浮市"));
        assert_eq!(d.counties.len(), 122);
        let count = |t: CountyType| d.counties.iter().filter(|c| c.kind == t).count();
        assert_eq!(count(CountyType::District), 65);
        assert_eq!(count(CountyType::CountyCity), 20);
        assert_eq!(count(CountyType::County), 34);
        assert_eq!(count(CountyType::AutonomousCounty), 3);
        let autonomous: Vec<&str> = d
            .counties
            .iter()
            .filter(|c| c.kind == CountyType::AutonomousCounty)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            autonomous,
            ["乳源瑶族自治县", "连山壮族瑶族自治县", "连南瑶族自治县"]
        );
        for city in ["东莞市", "中山市"] {
            let i = d.cities.iter().position(|c| c.name == city).expect(city);
            assert!(
                d.counties.iter().all(|c| c.city != i),
                "{city} has no counties"
            );
        }
        assert!(d.elsewhere.len() >= 33, "the other provinces are loaded");
        assert!(d.conflicts().is_empty(), "{:?}", d.conflicts());
    }

    #[test]
    fn every_county_is_in_guangdong_by_name_with_its_city_and_by_code() {
        let d = divisions();
        for county in &d.counties {
            let city = d.city(county.city).expect("city");
            for written in [
                format!("{}{}", city.name, county.name),
                format!("{}{}", city.short, county.name),
                format!("广东省{}{}", city.name, county.name),
                county.code.clone(),
                county.name.clone(),
            ] {
                assert_eq!(within(&written), Place::County(county, city), "{written}");
            }
        }
    }

    #[test]
    fn every_county_under_another_city_names_its_own() {
        let d = divisions();
        for county in &d.counties {
            for (i, other) in d.cities.iter().enumerate() {
                if i == county.city {
                    continue;
                }
                match d.resolve(&format!("{}{}", other.name, county.name)) {
                    Resolution::WrongCity {
                        written, belongs, ..
                    } => {
                        assert_eq!(written, other);
                        assert_eq!(belongs, vec![d.city(county.city).expect("city")]);
                    }
                    found => panic!("{}{}: {found:?}", other.name, county.name),
                }
            }
        }
    }

    #[test]
    fn the_province_and_its_cities_in_every_spelling() {
        for region in ["广东省", "广东", " 广东省 ", "440000"] {
            assert!(matches!(within(region), Place::Province(_)), "{region}");
        }
        for city in &divisions().cities {
            for written in [
                city.name.clone(),
                city.short.clone(),
                format!("广东省{}", city.name),
                format!("广东{}", city.short),
                city.code.clone(),
            ] {
                assert_eq!(within(&written), Place::City(city), "{written}");
            }
        }
    }

    #[test]
    fn spellings_with_spaces_and_full_width_digits() {
        assert!(matches!(
            within("广东省　广州市 天河区"),
            Place::County(c, _) if c.name == "天河区"
        ));
        assert!(matches!(
            within("４４０６０６"),
            Place::County(c, _) if c.name == "顺德区"
        ));
    }

    #[test]
    fn the_counties_a_prefix_match_called_outside_guangdong() {
        for (region, city) in [
            ("连平县", "河源市"),
            ("新丰县", "韶关市"),
            ("乳源瑶族自治县", "韶关市"),
            ("连南瑶族自治县", "清远市"),
            ("连山壮族瑶族自治县", "清远市"),
        ] {
            assert!(
                matches!(within(region), Place::County(_, c) if c.name == city),
                "{region}"
            );
        }
    }

    #[test]
    fn areas_with_their_cities() {
        assert!(matches!(within("横琴粤澳深度合作区"), Place::Area(_)));
        assert!(matches!(within("珠海市横琴粤澳深度合作区"), Place::Area(_)));
        assert!(matches!(
            within("广东省前海深港现代服务业合作区"),
            Place::Area(_)
        ));
        assert!(matches!(within("南沙新区"), Place::Area(_)));
        assert!(matches!(within("汕尾市深汕特别合作区"), Place::Area(_)));
        assert!(matches!(within("深圳市深汕特别合作区"), Place::Area(_)));
        assert!(matches!(
            within("广州市南沙区"),
            Place::County(c, _) if c.code == "440115"
        ));
        assert!(matches!(
            divisions().resolve("广州市横琴粤澳深度合作区"),
            Resolution::WrongCity { belongs, .. } if belongs[0].name == "珠海市"
        ));
    }

    #[test]
    fn a_county_under_the_wrong_city_names_the_right_one() {
        for (region, right) in [("广州市连平县", "河源市"), ("河源市天河区", "广州市")]
        {
            match divisions().resolve(region) {
                Resolution::WrongCity { belongs, .. } => assert_eq!(belongs[0].name, right),
                other => panic!("{region}: {other:?}"),
            }
        }
    }

    #[test]
    fn plainly_outside_guangdong() {
        for (region, province) in [
            ("长沙市", "湖南省"),
            ("长沙", "湖南省"),
            ("长沙市岳麓区", "湖南省"),
            ("湖南省长沙市", "湖南省"),
            ("湖南省某某县", "湖南省"),
            ("湖南", "湖南省"),
            ("湖南长沙市", "湖南省"),
            ("梧州市", "广西壮族自治区"),
            ("广西壮族自治区梧州市", "广西壮族自治区"),
            ("430100", "湖南省"),
            ("110105", "北京市"),
            ("北京市朝阳区", "北京市"),
            ("香港特别行政区", "香港特别行政区"),
        ] {
            match divisions().resolve(region) {
                Resolution::Outside { province: p, .. } => assert_eq!(p.name, province),
                other => panic!("{region}: {other:?}"),
            }
        }
    }

    #[test]
    fn names_it_cannot_place_are_never_outside() {
        for region in [
            "河源市某某县",
            "441699",
            "440101",
            "南山",
            "河南岸",
            "朝阳区",
            "广东省外",
            "广东省长沙市",
            "990000",
            "4406",
            "",
        ] {
            assert!(
                matches!(divisions().resolve(region), Resolution::Unplaced(_)),
                "{region}: {:?}",
                divisions().resolve(region)
            );
        }
        assert!(matches!(
            divisions().resolve("河源市某某县"),
            Resolution::Unplaced(Unplaced::UnknownUnder(c, rest)) if c.name == "河源市" && rest == "某某县"
        ));
    }

    #[test]
    fn a_bare_name_two_cities_share_needs_its_city() {
        let mut d = divisions().clone();
        // No two cities of Guangdong share a county name today; make one to see the rule.
        let second = County {
            code: "441399".into(),
            name: "天河区".into(),
            kind: CountyType::District,
            city: d
                .cities
                .iter()
                .position(|c| c.name == "惠州市")
                .expect("惠州"),
        };
        d.by_name
            .entry(second.name.clone())
            .or_default()
            .push(d.counties.len());
        d.counties.push(second);
        assert!(matches!(
            d.resolve("天河区"),
            Resolution::Unplaced(Unplaced::Ambiguous(_, cities)) if cities.len() == 2
        ));
        assert!(matches!(
            d.resolve("惠州市天河区"),
            Resolution::Within(Place::County(c, city)) if c.code == "441399" && city.name == "惠州市"
        ));
        assert!(matches!(
            d.resolve("河源市天河区"),
            Resolution::WrongCity { belongs, .. } if belongs.len() == 2
        ));
    }
}
