//! Citations: 第二十二条第（二）项 / Art. 22(2), rendered per PRODUCT.md's principle 3.

use serde::{Deserialize, Serialize};

use crate::measure::{chinese_number, Measure};

/// A place in the measure: article, and optionally paragraph (款), item (项), sub-item (目).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// 条.
    pub article: u32,
    /// 款, counted from 1 among the article's paragraphs.
    #[serde(default)]
    pub paragraph: Option<u32>,
    /// 项: （一） is 1.
    #[serde(default)]
    pub item: Option<u32>,
    /// 目, where the text numbers them.
    #[serde(default)]
    pub sub_item: Option<u32>,
}

impl Citation {
    /// Whether the measure has this place.
    pub fn exists_in(&self, measure: &Measure) -> bool {
        let Some(article) = measure.article(self.article) else {
            return false;
        };
        let paragraph = match self.paragraph {
            None => return self.item.is_none() && self.sub_item.is_none(),
            Some(p) => match article.paragraph(p) {
                Some(p) => p,
                None => return false,
            },
        };
        match self.item {
            None => self.sub_item.is_none(),
            Some(i) => i >= 1 && (i as usize) <= paragraph.items.len() && self.sub_item.is_none(),
        }
    }

    /// Chinese form; 第一款 is omitted when the article has one paragraph.
    pub fn zh(&self, measure: &Measure) -> String {
        let mut out = format!("第{}条", chinese_number(self.article));
        let single = measure
            .article(self.article)
            .is_none_or(|a| a.paragraphs.len() <= 1);
        if let Some(p) = self.paragraph {
            if !single {
                out.push_str(&format!("第{}款", chinese_number(p)));
            }
        }
        if let Some(i) = self.item {
            out.push_str(&format!("第（{}）项", chinese_number(i)));
        }
        if let Some(s) = self.sub_item {
            out.push_str(&format!("第{}目", chinese_number(s)));
        }
        out
    }

    /// English form: Art. 22(2), Art. 20 para. 1(4), Art. 39 para. 2.
    pub fn en(&self, measure: &Measure) -> String {
        let mut out = format!("Art. {}", self.article);
        let single = measure
            .article(self.article)
            .is_none_or(|a| a.paragraphs.len() <= 1);
        if let Some(p) = self.paragraph {
            if !single {
                out.push_str(&format!(" para. {p}"));
            }
        }
        if let Some(i) = self.item {
            out.push_str(&format!("({i})"));
        }
        if let Some(s) = self.sub_item {
            out.push_str(&format!(" sub-item {s}"));
        }
        out
    }

    /// The text of the cited paragraph (lead-in) and item, for modality and quote checks.
    pub fn scope_text(&self, measure: &Measure) -> Option<String> {
        let article = measure.article(self.article)?;
        match self.paragraph {
            None => Some(article.full_text()),
            Some(p) => {
                let paragraph = article.paragraph(p)?;
                let mut text = paragraph.text.clone();
                match self.item {
                    Some(i) => text.push_str(paragraph.items.get((i as usize).checked_sub(1)?)?),
                    None => paragraph.items.iter().for_each(|i| text.push_str(i)),
                }
                Some(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure() -> Measure {
        Measure::parse(include_str!("../rules/measure.txt"))
    }

    fn c(article: u32, paragraph: Option<u32>, item: Option<u32>) -> Citation {
        Citation {
            article,
            paragraph,
            item,
            sub_item: None,
        }
    }

    #[test]
    fn renders_per_product_principle_3() {
        let m = measure();
        assert_eq!(c(22, Some(1), Some(2)).zh(&m), "第二十二条第（二）项");
        assert_eq!(c(22, Some(1), Some(2)).en(&m), "Art. 22(2)");
        assert_eq!(c(39, Some(2), None).zh(&m), "第三十九条第二款");
        assert_eq!(c(39, Some(2), None).en(&m), "Art. 39 para. 2");
        assert_eq!(c(20, Some(1), Some(4)).zh(&m), "第二十条第一款第（四）项");
        assert_eq!(c(20, Some(1), Some(4)).en(&m), "Art. 20 para. 1(4)");
        assert_eq!(c(12, Some(1), None).zh(&m), "第十二条");
    }

    #[test]
    fn existence_follows_the_text() {
        let m = measure();
        assert!(c(22, Some(1), Some(13)).exists_in(&m));
        assert!(!c(22, Some(1), Some(14)).exists_in(&m));
        assert!(!c(22, Some(2), None).exists_in(&m));
        assert!(c(39, Some(2), None).exists_in(&m));
        assert!(!c(46, None, None).exists_in(&m));
    }
}
