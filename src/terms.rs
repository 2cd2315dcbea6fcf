//! How a document's words are matched against the words of a rule: folding of width, spaces and
//! punctuation, bracketed notes, and an article's glossary of synonyms (`terms:` in its rule file).
//!
//! Documents name things in many ways that mean the same: `公共治理,公益事业` for
//! `公共治理、公益事业`, `有限责任公司（自然人投资或控股）` (the type printed on a business licence)
//! for `有限责任公司`, `最高人民法院失信被执行人名单` for `失信被执行人名单`. A rule that read only
//! the exact words would report an error where the law sees none. Matching therefore:
//! 1. folds full-width forms to half-width and drops spaces and separating punctuation
//!    ([`fold`]); a decimal point between digits, `%` and comparison signs are kept, since they
//!    change what a text says;
//! 2. reads a bracketed part — `（…）`, `(…)`, `【…】`, `[…]`, `〔…〕` — as a note on the name
//!    before it ([`split_notes`]): the name is matched without its notes, and a note can still
//!    make a value forbidden (`谈判（单一来源）`);
//! 3. takes the synonyms an article's rule file lists for a term, each with its basis, so that
//!    a reviewer can read and contest every equivalence; a term marked `head` also names every
//!    value whose last words it is (Chinese compounds are head-final: `有限责任公司分公司` is a
//!    分公司, `产品运营人员` is a 运营人员).

use std::collections::HashMap;

/// Whether `c` separates words without changing what they say.
fn separator(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '\''
            | '`'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '/'
            | '\\'
            | '|'
            | '_'
            | '-'
            | '~'
            | '·'
            | '、'
            | '。'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '〖'
            | '〗'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '…'
            | '—'
            | '–'
            | '〜'
            | '・'
    )
}

/// Full-width forms to half-width; the ideographic space to a space.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// A text as matching compares it: half-width, without spaces or separating punctuation (a `.`
/// is kept between two digits: `3.5` is not `35`).
pub fn fold(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(half_width).collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() || separator(c) {
            continue;
        }
        if c == '.' {
            let digit_before = i
                .checked_sub(1)
                .and_then(|j| chars.get(j))
                .is_some_and(char::is_ascii_digit);
            let digit_after = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if !(digit_before && digit_after) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A name and its bracketed notes: `省一体化…平台（广州市分节点）` → (`省一体化…平台`,
/// `["广州市分节点"]`). Unbalanced brackets are left in the name.
pub fn split_notes(text: &str) -> (String, Vec<String>) {
    let open = |c: char| matches!(c, '(' | '[' | '【' | '〔' | '〖');
    let close = |c: char| matches!(c, ')' | ']' | '】' | '〕' | '〗');
    let chars: Vec<char> = text.chars().map(half_width).collect();
    let mut main = String::new();
    let mut notes = Vec::new();
    let mut depth = 0usize;
    let mut note = String::new();
    let mut pending = String::new();
    for c in chars {
        if open(c) {
            if depth > 0 {
                note.push(c);
            } else {
                pending.clear();
            }
            pending.push(c);
            depth += 1;
        } else if close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                notes.push(std::mem::take(&mut note));
                pending.clear();
            } else {
                note.push(c);
                pending.push(c);
            }
        } else if depth > 0 {
            note.push(c);
            pending.push(c);
        } else {
            main.push(c);
        }
    }
    // An opening bracket never closed: it was not a note.
    if depth > 0 {
        main.push_str(&pending);
    }
    (main, notes)
}

/// One entry of an article's glossary: a term of the rules and the words that name it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Term {
    /// The term as the rules write it (an `enum` value or forbidden value).
    pub term: String,
    /// Other words for it.
    pub synonyms: Vec<String>,
    /// The term (or a synonym) also names every value it ends.
    pub head: bool,
    /// Why these words name the same thing.
    pub basis: String,
}

/// An article's glossary, folded for matching.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(into = "Vec<Term>", from = "Vec<Term>")]
pub struct Glossary {
    /// Folded term → (folded forms, head), built on first use.
    entries: std::sync::OnceLock<HashMap<String, (Vec<String>, bool)>>,
    /// The entries as written.
    pub terms: Vec<Term>,
}

impl From<Vec<Term>> for Glossary {
    fn from(terms: Vec<Term>) -> Glossary {
        Glossary::new(terms)
    }
}

impl From<Glossary> for Vec<Term> {
    fn from(glossary: Glossary) -> Vec<Term> {
        glossary.terms
    }
}

impl Glossary {
    /// The glossary of `terms`.
    pub fn new(terms: Vec<Term>) -> Glossary {
        Glossary {
            entries: std::sync::OnceLock::new(),
            terms,
        }
    }

    fn entries(&self) -> &HashMap<String, (Vec<String>, bool)> {
        self.entries.get_or_init(|| {
            self.terms
                .iter()
                .map(|t| {
                    let mut forms = vec![fold(&t.term)];
                    forms.extend(t.synonyms.iter().map(|s| fold(s)));
                    forms.retain(|f| !f.is_empty());
                    (fold(&t.term), (forms, t.head))
                })
                .collect()
        })
    }

    /// Whether the (already split) name `name` names `value`.
    fn names_folded(&self, name: &str, value: &str) -> bool {
        if name.is_empty() {
            return false;
        }
        let folded = fold(value);
        match self.entries().get(&folded) {
            Some((forms, head)) => forms
                .iter()
                .any(|f| name == f || (*head && name.ends_with(f.as_str()))),
            None => name == folded,
        }
    }

    /// Whether the document's `text` names the rule's `value`: its name (without notes) is the
    /// value or one of the value's synonyms (or ends in one, for a `head` term).
    pub fn names(&self, text: &str, value: &str) -> bool {
        let (main, _) = split_notes(text);
        self.names_folded(&fold(&main), value)
    }

    /// Whether the document's `text` names `value` in its name or in one of its notes (for
    /// forbidden values: `谈判（单一来源）` is a single-source procurement).
    pub fn names_anywhere(&self, text: &str, value: &str) -> bool {
        let (main, notes) = split_notes(text);
        std::iter::once(main)
            .chain(notes)
            .any(|part| self.names_folded(&fold(&part), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(vec![
            Term {
                term: "分公司".into(),
                synonyms: vec![],
                head: true,
                basis: String::new(),
            },
            Term {
                term: "资金".into(),
                synonyms: vec!["资金实力".into()],
                head: false,
                basis: String::new(),
            },
        ])
    }

    #[test]
    fn folding_keeps_what_changes_the_meaning() {
        assert_eq!(fold("公共治理、公益事业"), fold("公共治理,公益事业"));
        assert_eq!(
            fold("注册资本不低于人民币 5000 万元"),
            fold("注册资本不低于人民币5000万元。")
        );
        assert_eq!(fold("ＡＢＣ　１２"), "ABC12");
        assert_ne!(fold("3.5 亿元"), fold("35 亿元"));
        assert_ne!(fold("不低于 5%"), fold("不低于 5"));
        assert_eq!(fold("“三重一大”决策机制"), fold("三重一大决策机制"));
    }

    #[test]
    fn notes_are_split_off_the_name() {
        let (main, notes) = split_notes("省一体化公共数据资源授权运营平台（广州市分节点）");
        assert_eq!(main, "省一体化公共数据资源授权运营平台");
        assert_eq!(notes, vec!["广州市分节点".to_string()]);
        let (main, notes) = split_notes("有限责任公司(自然人投资或控股(外资))");
        assert_eq!(main, "有限责任公司");
        assert_eq!(notes.len(), 1);
        assert_eq!(split_notes("未闭合（括号").0, "未闭合(括号");
    }

    #[test]
    fn synonyms_heads_and_notes() {
        let g = glossary();
        assert!(g.names("资金实力", "资金"));
        assert!(g.names("资 金", "资金"));
        assert!(!g.names("资金管理", "资金"));
        assert!(g.names("有限责任公司分公司", "分公司"));
        assert!(!g.names("有限责任公司分公司", "有限责任公司"));
        assert!(g.names("有限责任公司（自然人投资或控股）", "有限责任公司"));
        assert!(g.names_anywhere("有限责任公司（分公司）", "分公司"));
        assert!(!g.names("有限责任公司（分公司）", "分公司"));
        assert!(!g.names("", "分公司"));
    }
}
