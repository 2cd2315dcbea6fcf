//! The `region` and `region_level` primitives: a document's region read against the pack's
//! 行政区划 ([`crate::region::Divisions`]), one question per primitive so that each outcome can
//! be its own rule (outside the province, under the wrong city, not placeable, a level that
//! does not fit).

use super::primitives::{Context, Failure};
use crate::document::{Node, Step, Value};
use crate::region::{Place, Resolution, Unplaced};
use crate::rules::check::{RegionTest, TierNames};
use crate::text;
use crate::text::Text;

/// The region's text, unless absent or blank (presence is `required`'s job).
fn written(node: Option<&Node>) -> Option<String> {
    let node = node?;
    match &node.value {
        Value::Str(_) | Value::Int(_) => {
            Some(node.display()).filter(|s| !crate::region::normalize(s).is_empty())
        }
        _ => None,
    }
}

fn names(cities: &[&crate::region::City]) -> String {
    cities
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn why_unplaced(shown: &str, why: &Unplaced) -> Text {
    match why {
        Unplaced::UnknownCode(code) => text!(
            "`{}` 不是所收录的 GB/T 2260 行政区划代码",
            "`{}` is not a GB/T 2260 code in the list",
            code
        ),
        Unplaced::UnknownUnder(city, rest) => text!(
            "{}下没有名为 `{}` 的县（市、区）或合作区",
            "{} has no county, county-level city, district or area named `{}`",
            city.name,
            rest
        ),
        Unplaced::Ambiguous(name, cities) => text!(
            "`{}` 是 {} 都有的县级行政区名，须写明所属市",
            "`{}` is a county-level name that {} all have: write its city",
            name,
            names(cities)
        ),
        Unplaced::Unknown(_) => text!(
            "`{}` 不在所收录的广东省行政区划中",
            "`{}` is not among the listed divisions of Guangdong",
            shown
        ),
    }
}

/// `region: { path, is }` at `abs`.
pub fn region(abs: Vec<Step>, node: Option<&Node>, is: RegionTest, ctx: &Context) -> Vec<Failure> {
    let Some(shown) = written(node) else {
        return Vec::new();
    };
    let detail = match (is, ctx.regions.resolve(&shown)) {
        (RegionTest::InProvince, Resolution::Outside { province, city }) => match city {
            Some(city) => text!(
                "`{}`：{}属于{}，不在广东省行政区域内",
                "`{}`: {} is in {}, not in Guangdong",
                shown,
                city,
                province.name
            ),
            None => text!(
                "`{}` 属于{}，不在广东省行政区域内",
                "`{}` is in {}, not in Guangdong",
                shown,
                province.name
            ),
        },
        (
            RegionTest::UnderItsCity,
            Resolution::WrongCity {
                written,
                place,
                belongs,
            },
        ) => {
            let name = match place {
                Place::County(county, _) => county.name.as_str(),
                Place::Area(area) => area.name.as_str(),
                _ => "",
            };
            let code = match place {
                Place::County(county, _) => format!("（{}）", county.code),
                _ => String::new(),
            };
            text!(
                "{}{}属于{}，不属于{}",
                "{}{} belongs to {}, not to {}",
                name,
                code,
                names(&belongs),
                written.name
            )
        }
        (RegionTest::Known, Resolution::Unplaced(why)) => why_unplaced(&shown, &why),
        _ => return Vec::new(),
    };
    vec![Failure::new(abs, detail)]
}

/// `region_level`: the level at `level_abs` names the tier of the region's place.
pub fn region_level(
    region: Option<&Node>,
    level_abs: Vec<Step>,
    level: Option<&Node>,
    levels: &TierNames,
    ctx: &Context,
) -> Vec<Failure> {
    let (Some(shown), Some(stated)) = (written(region), level.and_then(Node::as_str)) else {
        return Vec::new();
    };
    let stated = stated.trim();
    // A level outside the three is the level rule's finding (Art. 17), not a contradiction.
    if levels.tier(stated).is_none() {
        return Vec::new();
    }
    let Resolution::Within(place) = ctx.regions.resolve(&shown) else {
        return Vec::new();
    };
    let Some(tier) = place.tier() else {
        return Vec::new();
    };
    let expected = levels.of(tier);
    if expected == stated {
        return Vec::new();
    }
    let what = match place {
        Place::Province(_) => text!("省级区域", "the province as a whole"),
        Place::City(_) => text!("地级以上市", "a prefecture-level city"),
        Place::County(county, _) => Text::new(
            format!("县级行政区（{}）", county.kind.name_zh()),
            format!("a county-level division ({})", county.kind.name_zh()),
        ),
        Place::Area(_) => return Vec::new(),
    };
    vec![Failure::new(
        level_abs,
        Text::new(
            format!(
                "层级写作 {stated}，但区域 `{shown}` 是{}：{}，层级应为 {expected}",
                what.zh,
                place.describe()
            ),
            format!(
                "the level is {stated}, but the region `{shown}` is {}: {}; its level is {expected}",
                what.en,
                place.describe()
            ),
        ),
    )]
}
