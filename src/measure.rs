//! The measure's text, split into chapters, articles (条), paragraphs (款) and items (项), so that
//! citations can be checked, quotes found and `pdao explain` can show an article in full.

use serde::Serialize;

/// One 款 of an article, with the 项 that belong to it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Paragraph {
    /// The paragraph's own text (the lead-in, for a paragraph with items).
    pub text: String,
    /// The items （一）（二）… in order.
    pub items: Vec<String>,
}

/// One 条.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Article {
    /// 第 N 条.
    pub number: u32,
    /// The 【…】 heading.
    pub title: String,
    /// 第 N 章.
    pub chapter: u32,
    /// The chapter's name.
    pub chapter_title: String,
    /// Its paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
}

impl Article {
    /// The article's full text, one paragraph or item per line.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        for p in &self.paragraphs {
            out.push_str(&p.text);
            out.push('\n');
            for item in &p.items {
                out.push_str(item);
                out.push('\n');
            }
        }
        out
    }

    /// The paragraph numbered `n` (from 1).
    pub fn paragraph(&self, n: u32) -> Option<&Paragraph> {
        self.paragraphs.get((n as usize).checked_sub(1)?)
    }
}

/// The whole measure.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Measure {
    /// Its articles, in order.
    pub articles: Vec<Article>,
}

impl Measure {
    /// Split the measure's text. Lines before the first chapter heading (the call for comments)
    /// are skipped.
    pub fn parse(text: &str) -> Measure {
        let mut articles: Vec<Article> = Vec::new();
        let mut chapter = 0;
        let mut chapter_title = String::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some((n, rest)) = numbered_heading(line, '章') {
                chapter = n;
                chapter_title = rest.trim().to_string();
                continue;
            }
            if chapter == 0 {
                continue;
            }
            if let Some((n, rest)) = numbered_heading(line, '条') {
                let title = rest
                    .trim()
                    .trim_start_matches('【')
                    .trim_end_matches('】')
                    .to_string();
                articles.push(Article {
                    number: n,
                    title,
                    chapter,
                    chapter_title: chapter_title.clone(),
                    paragraphs: Vec::new(),
                });
                continue;
            }
            let Some(article) = articles.last_mut() else {
                continue;
            };
            let is_item = line.starts_with(['(', '（']) && item_number(line).is_some();
            match (is_item, article.paragraphs.last_mut()) {
                (true, Some(paragraph)) => paragraph.items.push(line.to_string()),
                _ => article.paragraphs.push(Paragraph {
                    text: line.to_string(),
                    items: Vec::new(),
                }),
            }
        }
        Measure { articles }
    }

    /// Article `n`.
    pub fn article(&self, n: u32) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == n)
    }
}

/// `第十八条【方案内容】` → (18, "【方案内容】"); the marker char is 条 or 章.
fn numbered_heading(line: &str, marker: char) -> Option<(u32, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find(marker)?;
    let numeral = rest.get(..end)?;
    let n = parse_chinese_number(numeral)?;
    let after = rest.get(end + marker.len_utf8()..)?;
    if marker == '条' && !after.trim_start().starts_with('【') {
        return None;
    }
    Some((n, after))
}

/// The number of an item line `(十二)…`.
pub fn item_number(line: &str) -> Option<u32> {
    let rest = line.strip_prefix(['(', '（'])?;
    let end = rest.find([')', '）'])?;
    parse_chinese_number(rest.get(..end)?)
}

/// 一 … 九十九.
pub fn parse_chinese_number(s: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d != '十' => digit(*d),
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// 1 … 99 in Chinese numerals.
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let d = |i: u32| DIGITS.get(i as usize).copied().unwrap_or("");
    match n {
        0..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n % 10)),
        _ if n.is_multiple_of(10) => format!("{}十", d(n / 10)),
        _ => format!("{}十{}", d(n / 10), d(n % 10)),
    }
}

/// Fold a text for quote matching: full-width forms to half-width, whitespace removed.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\u{3000}' => None,
            c if c.is_whitespace() => None,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = include_str!("../rules/measure.txt");

    #[test]
    fn all_45_articles_with_their_structure() {
        let m = Measure::parse(SOURCE);
        assert_eq!(m.articles.len(), 45);
        let numbers: Vec<u32> = m.articles.iter().map(|a| a.number).collect();
        assert_eq!(numbers, (1..=45).collect::<Vec<_>>());
        let a22 = m.article(22).expect("22");
        assert_eq!(a22.title, "运营协议内容");
        assert_eq!(a22.chapter, 3);
        assert_eq!(a22.paragraphs.len(), 1);
        assert_eq!(a22.paragraphs[0].items.len(), 13);
        let a20 = m.article(20).expect("20");
        assert_eq!(a20.paragraphs.len(), 2);
        assert_eq!(a20.paragraphs[0].items.len(), 5);
        let a39 = m.article(39).expect("39");
        assert_eq!(a39.paragraphs.len(), 2);
        assert_eq!(a39.paragraphs[0].items.len(), 7);
        assert_eq!(m.article(18).expect("18").paragraphs[0].items.len(), 12);
        assert_eq!(m.article(4).expect("4").paragraphs.len(), 6);
        assert_eq!(m.article(11).expect("11").title, "授权运营范围");
        assert_eq!(m.article(45).expect("45").chapter, 6);
    }

    #[test]
    fn numerals_and_folding() {
        for n in 1..=99 {
            assert_eq!(parse_chinese_number(&chinese_number(n)), Some(n));
        }
        assert_eq!(fold("运营期限，原则上 最长"), "运营期限,原则上最长");
    }
}
