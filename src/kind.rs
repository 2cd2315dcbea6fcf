//! The document kinds of PRODUCT.md's table: a closed set.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A kind of document pdao knows (`kind:` in the document).
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
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// 授权运营实施方案 (Art. 17–19).
    ImplementationPlan,
    /// 运营机构选定：征集公告、评审、公示 (Art. 10, 20).
    OperatorSelection,
    /// 授权运营申请 (Art. 4, 21).
    OperatorApplication,
    /// 授权运营协议 (Art. 22, 23).
    OperatingAgreement,
    /// 授权运营目录 (Art. 9, 11, 12).
    DataCatalog,
    /// 用数申请 (Art. 13, 24, 25).
    DataUseRequest,
    /// 产品和服务审核 (Art. 25–29).
    ProductReview,
    /// 年度运营报告 (Art. 35–37).
    AnnualReport,
    /// 协议终止与退出 (Art. 23, 39).
    Termination,
}

impl Kind {
    /// Every kind, in the order of PRODUCT.md's table.
    pub const ALL: [Kind; 9] = [
        Kind::ImplementationPlan,
        Kind::OperatorSelection,
        Kind::OperatorApplication,
        Kind::OperatingAgreement,
        Kind::DataCatalog,
        Kind::DataUseRequest,
        Kind::ProductReview,
        Kind::AnnualReport,
        Kind::Termination,
    ];

    /// The name written in documents.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ImplementationPlan => "implementation-plan",
            Kind::OperatorSelection => "operator-selection",
            Kind::OperatorApplication => "operator-application",
            Kind::OperatingAgreement => "operating-agreement",
            Kind::DataCatalog => "data-catalog",
            Kind::DataUseRequest => "data-use-request",
            Kind::ProductReview => "product-review",
            Kind::AnnualReport => "annual-report",
            Kind::Termination => "termination",
        }
    }

    /// The Chinese name of the document.
    pub fn title_zh(self) -> &'static str {
        match self {
            Kind::ImplementationPlan => "授权运营实施方案",
            Kind::OperatorSelection => "运营机构选定",
            Kind::OperatorApplication => "授权运营申请",
            Kind::OperatingAgreement => "授权运营协议",
            Kind::DataCatalog => "授权运营目录",
            Kind::DataUseRequest => "用数申请",
            Kind::ProductReview => "产品和服务审核",
            Kind::AnnualReport => "年度运营报告",
            Kind::Termination => "协议终止与退出",
        }
    }

    /// The article a document of this kind chiefly answers to.
    pub fn main_article(self) -> u32 {
        match self {
            Kind::ImplementationPlan => 18,
            Kind::OperatorSelection => 20,
            Kind::OperatorApplication => 21,
            Kind::OperatingAgreement => 22,
            Kind::DataCatalog => 11,
            Kind::DataUseRequest => 24,
            Kind::ProductReview => 26,
            Kind::AnnualReport => 37,
            Kind::Termination => 39,
        }
    }

    /// The kind named `name`, exactly.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The known kind closest to a misspelt `name`, if one is close.
    pub fn suggest(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .map(|k| (edit_distance(name, k.name()), k))
            .filter(|(d, _)| *d <= 3)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Levenshtein distance, for did-you-mean hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (prev + cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_typos_get_suggestions() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
        assert_eq!(
            Kind::suggest("operating-agrement"),
            Some(Kind::OperatingAgreement)
        );
        assert_eq!(Kind::suggest("Deployment"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
