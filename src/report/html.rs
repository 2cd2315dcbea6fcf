//! The reviewer's report: one self-contained HTML file (inline CSS, no script, no network: a
//! Content-Security-Policy forbids every fetch), printable to A4. Findings are grouped by
//! document, then by article, with the article's full text beside them (cited paragraphs and
//! items marked); review items are checklists with boxes to tick and a sign-off line;
//! excused findings stay, marked with their exception's reason, approver and 批复文号. Every
//! string from a document or file name is escaped ([`super::markup::escape`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::markup::escape;
use super::Summary;
use crate::checker::FileOutcome;
use crate::citation::Citation;
use crate::measure::chinese_number;
use crate::outcome::{Entry, Outcome, Suppression};
use crate::rules::{Pack, RuleBody};
use crate::severity::Severity;
use crate::text::{Lang, Text};

const STYLE: &str = r#"
:root { --error:#b3261e; --warning:#8a5a00; --info:#1f5fa8; --review:#5b3c99; --muted:#5f6368; --line:#d7dade; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif; color:#1b1b1f; margin:0 auto; max-width:1180px; padding:24px; line-height:1.55; font-size:14px; }
h1 { font-size:24px; margin:0 0 4px; } h2 { font-size:19px; margin:28px 0 8px; border-bottom:2px solid #1b1b1f; padding-bottom:4px; }
h3 { font-size:16px; margin:0 0 8px; } h4 { font-size:13px; margin:0 0 6px; color:var(--muted); }
.meta { color:var(--muted); margin:0; }
table { border-collapse:collapse; width:100%; margin:8px 0 16px; font-size:13px; }
th, td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
th { background:#f3f4f6; } td.n { text-align:right; font-variant-numeric:tabular-nums; }
tr.total td { font-weight:bold; background:#fafafa; }
.doc-head { display:flex; flex-wrap:wrap; gap:4px 16px; align-items:baseline; }
.doc-head code { color:var(--muted); }
.group { display:grid; grid-template-columns:minmax(0,3fr) minmax(0,2fr); gap:16px; border-top:1px solid var(--line); padding:12px 0; }
.article-text { background:#f7f7f9; border-left:3px solid #9aa0a6; padding:8px 12px; font-size:12.5px; }
.article-text p { margin:0 0 4px; } .article-text p.item { padding-left:1.5em; }
.article-text mark { background:#fff1a8; padding:0 1px; }
.finding { border:1px solid var(--line); border-left:5px solid var(--muted); border-radius:4px; padding:8px 12px; margin:0 0 10px; break-inside:avoid; }
.finding.error { border-left-color:var(--error); } .finding.warning { border-left-color:var(--warning); }
.finding.info { border-left-color:var(--info); } .finding.review { border-left-color:var(--review); }
.finding.excused { opacity:.78; border-style:dashed; }
.sev { display:inline-block; font-size:12px; font-weight:bold; color:#fff; border-radius:3px; padding:0 6px; margin-right:6px; background:var(--muted); }
.sev.error { background:var(--error); } .sev.warning { background:var(--warning); } .sev.info { background:var(--info); } .sev.review { background:var(--review); }
.sev.excused { background:#fff; color:#1b1b1f; border:1px solid #1b1b1f; }
.rule { font-family:ui-monospace,"DejaVu Sans Mono",monospace; font-size:12.5px; }
.msg { font-weight:bold; margin:4px 0 2px; } .detail { white-space:pre-wrap; margin:2px 0; }
.loc { color:var(--muted); font-size:12px; margin:2px 0; word-break:break-all; }
.quote { margin:4px 0; color:#333; } .help { margin:2px 0; }
pre.src { background:#f3f4f6; padding:4px 8px; margin:4px 0; white-space:pre-wrap; word-break:break-all; font-size:12px; }
ul.checklist { list-style:none; padding-left:0; margin:6px 0; } ul.checklist li { margin:2px 0; }
ul.checklist input { margin-right:6px; width:15px; height:15px; vertical-align:-2px; }
.signoff { margin-top:8px; color:var(--muted); font-size:12.5px; }
.exception { background:#f1f8f3; border:1px solid #b7d7c0; padding:4px 8px; margin:6px 0 2px; font-size:12.5px; }
.exception.expired { background:#fdecea; border-color:#f1b8b2; }
.status-applied { color:#1e6b34; } .status-expired { color:var(--error); font-weight:bold; } .status-unused { color:var(--warning); }
.errors li { margin-bottom:4px; }
footer { margin-top:32px; color:var(--muted); font-size:12px; border-top:1px solid var(--line); padding-top:8px; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width:none; padding:0; font-size:10pt; }
  h2 { break-after:avoid; } .group { grid-template-columns:minmax(0,3fr) minmax(0,2fr); break-inside:auto; }
  .finding, tr, .article-text { break-inside:avoid; }
  section.document { break-before:page; }
  a { color:inherit; text-decoration:none; }
}
"#;

struct Labels {
    title: &'static str,
    summary: &'static str,
    by_article: &'static str,
    document: &'static str,
    kind: &'static str,
    file: &'static str,
    error: &'static str,
    warning: &'static str,
    info: &'static str,
    review: &'static str,
    excused: &'static str,
    total: &'static str,
    article: &'static str,
    text_of: &'static str,
    under: &'static str,
    fix: &'static str,
    exceptions: &'static str,
    reason: &'static str,
    approver: &'static str,
    approval: &'static str,
    expires: &'static str,
    status: &'static str,
    recorded: &'static str,
    never: &'static str,
    not_checked: &'static str,
    clean: &'static str,
    reviewer: &'static str,
    baseline: &'static str,
    no_exceptions: &'static str,
}

const ZH: Labels = Labels {
    title: "公共数据资源授权运营合规审核报告",
    summary: "摘要",
    by_article: "按条文汇总",
    document: "文书",
    kind: "类型",
    file: "文件",
    error: "错误",
    warning: "警告",
    info: "提示",
    review: "待审核",
    excused: "例外",
    total: "合计",
    article: "条文",
    text_of: "原文",
    under: "依据",
    fix: "修改",
    exceptions: "例外记录",
    reason: "理由",
    approver: "批准机关",
    approval: "批复文号",
    expires: "有效期至",
    status: "状态",
    recorded: "记录位置",
    never: "未定",
    not_checked: "未能检查的输入",
    clean: "本文书未发现问题。",
    reviewer: "审核人：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿　　结论：□ 通过　□ 不通过",
    baseline: "基线",
    no_exceptions: "本次检查没有例外记录。",
};

const EN: Labels = Labels {
    title: "Compliance review report: public data authorized operation",
    summary: "Summary",
    by_article: "By article",
    document: "Document",
    kind: "Kind",
    file: "File",
    error: "Errors",
    warning: "Warnings",
    info: "Infos",
    review: "Review",
    excused: "Excused",
    total: "Total",
    article: "Article",
    text_of: "Text",
    under: "Under",
    fix: "Fix",
    exceptions: "Exception records",
    reason: "Reason",
    approver: "Approved by",
    approval: "Approval no.",
    expires: "Expires",
    status: "Status",
    recorded: "Recorded at",
    never: "none",
    not_checked: "Inputs that could not be checked",
    clean: "No findings in this document.",
    reviewer: "Reviewer: ____________    Date: ____________    Decision: □ accepted  □ rejected",
    baseline: "Baseline",
    no_exceptions: "No exception records in this run.",
};

#[derive(Default, Clone, Copy)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
    review: usize,
    excused: usize,
}

impl Counts {
    fn add(&mut self, e: &Entry<'_>) {
        if e.suppressed.is_some() {
            self.excused += 1;
            return;
        }
        match e.finding.severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
            Severity::Review => self.review += 1,
        }
    }

    fn plus(self, o: Counts) -> Counts {
        Counts {
            error: self.error + o.error,
            warning: self.warning + o.warning,
            info: self.info + o.info,
            review: self.review + o.review,
            excused: self.excused + o.excused,
        }
    }

    fn cells(&self) -> String {
        [
            self.error,
            self.warning,
            self.info,
            self.review,
            self.excused,
        ]
        .iter()
        .map(|n| format!("<td class=\"n\">{n}</td>"))
        .collect()
    }
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => s.name(),
    }
}

fn article_heading(pack: &Pack, n: u32, lang: Lang) -> String {
    let title = pack
        .measure
        .article(n)
        .map(|a| a.title.as_str())
        .unwrap_or("");
    match lang {
        Lang::Zh => format!("第{}条【{}】", chinese_number(n), title),
        Lang::En => format!("Art. {n} 【{title}】"),
    }
}

/// The article's text, one paragraph or item per line, the cited ones marked.
fn article_text(pack: &Pack, n: u32, cited: &BTreeSet<Citation>) -> String {
    let Some(article) = pack.measure.article(n) else {
        return String::new();
    };
    let whole = cited.iter().any(|c| c.paragraph.is_none());
    let mut out = String::new();
    for (pi, p) in article.paragraphs.iter().enumerate() {
        let pn = pi as u32 + 1;
        let para_cited = whole
            || cited
                .iter()
                .any(|c| c.paragraph == Some(pn) && c.item.is_none());
        let mark = |text: &str, on: bool| {
            if on {
                format!("<mark>{}</mark>", escape(text))
            } else {
                escape(text)
            }
        };
        let _ = writeln!(out, "<p>{}</p>", mark(&p.text, para_cited));
        for (ii, item) in p.items.iter().enumerate() {
            let item_cited = para_cited
                || cited
                    .iter()
                    .any(|c| c.paragraph == Some(pn) && c.item == Some(ii as u32 + 1));
            let _ = writeln!(out, "<p class=\"item\">{}</p>", mark(item, item_cited));
        }
    }
    out
}

fn finding_html(
    out: &mut String,
    e: &Entry<'_>,
    outcome: &Outcome,
    pack: &Pack,
    lang: Lang,
    l: &Labels,
) {
    let f = e.finding;
    let sev = f.severity.name();
    let class = if e.suppressed.is_some() {
        format!("finding {sev} excused")
    } else {
        format!("finding {sev}")
    };
    let citation = match lang {
        Lang::Zh => &f.citation_zh,
        Lang::En => &f.citation_en,
    };
    let _ = writeln!(
        out,
        "<article class=\"{class}\" data-rule=\"{}\" data-severity=\"{sev}\">",
        escape(&f.rule)
    );
    let _ = write!(
        out,
        "<div><span class=\"sev {sev}\">{}</span>",
        severity_label(f.severity, lang)
    );
    if e.suppressed.is_some() {
        let _ = write!(out, "<span class=\"sev excused\">{}</span>", l.excused);
    }
    let _ = writeln!(
        out,
        "<span class=\"rule\">{}</span> · {}</div>",
        escape(&f.rule),
        escape(citation)
    );
    let _ = writeln!(out, "<p class=\"msg\">{}</p>", escape(f.message.get(lang)));
    let review_points: Vec<&Text> = match pack.rule(&f.rule).map(|r| &r.body) {
        Some(RuleBody::Review { confirm, .. }) if f.severity == Severity::Review => {
            confirm.iter().collect()
        }
        _ => Vec::new(),
    };
    if review_points.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"detail\">{}</p>",
            escape(f.detail.get(lang))
        );
    }
    let end = f.file.position(f.span.end);
    let _ = writeln!(
        out,
        "<p class=\"loc\">{}:{}:{}–{}:{} · <code>{}</code></p>",
        escape(f.file.name()),
        f.position.line,
        f.position.column,
        end.line,
        end.column,
        escape(if f.pointer.is_empty() {
            "/"
        } else {
            &f.pointer
        })
    );
    for r in &f.related {
        let _ = writeln!(
            out,
            "<p class=\"loc related\">↔ {}:{}:{} · <code>{}</code> · {} — {}</p>",
            escape(r.file.name()),
            r.position.line,
            r.position.column,
            escape(if r.pointer.is_empty() {
                "/"
            } else {
                &r.pointer
            }),
            escape(&r.document),
            escape(r.label.get(lang))
        );
    }
    let source_line = f.file.line_excerpt(f.span.start);
    if !source_line.trim().is_empty() {
        let _ = writeln!(
            out,
            "<pre class=\"src\">{:>4} │ {}</pre>",
            f.position.line,
            escape(&source_line)
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"quote\">{}：{} “{}”</p>",
        l.under,
        escape(citation),
        escape(&f.quote)
    );
    if !review_points.is_empty() {
        out.push_str("<ul class=\"checklist\">\n");
        for p in review_points {
            let _ = writeln!(
                out,
                "<li><label><input type=\"checkbox\"> {}</label></li>",
                escape(p.get(lang))
            );
        }
        out.push_str("</ul>\n");
        let _ = writeln!(out, "<p class=\"signoff\">{}</p>", l.reviewer);
    } else {
        let _ = writeln!(
            out,
            "<p class=\"help\">{}：{}</p>",
            l.fix,
            escape(f.help.get(lang))
        );
    }
    if e.suppressed.is_none() {
        for x in outcome.exceptions.iter().filter(|x| {
            matches!(
                x.status,
                crate::exceptions::ExceptionStatus::Expired
                    | crate::exceptions::ExceptionStatus::Refused
            ) && x.record.covers(f)
        }) {
            let r = &x.record;
            let why = match (&x.refusal, lang) {
                (Some(why), Lang::Zh) => format!("不予适用：{}", why.zh),
                (Some(why), Lang::En) => format!("does not apply: {}", why.en),
                (None, Lang::Zh) => format!(
                    "已于 {} 到期，不再适用",
                    r.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
                (None, Lang::En) => format!(
                    "expired on {} and no longer applies",
                    r.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
            };
            let _ = writeln!(
                out,
                "<p class=\"exception expired\">{}</p>",
                escape(&match lang {
                    Lang::Zh => format!(
                        "例外{}（{}，批准：{}，记录于 {}）",
                        why,
                        r.reason,
                        r.approver,
                        r.location()
                    ),
                    Lang::En => format!(
                        "The exception {} ({}; approved by {}; recorded at {})",
                        why,
                        r.reason,
                        r.approver,
                        r.location()
                    ),
                })
            );
        }
    }
    if let Some(s) = e.suppressed {
        match (&s.by, outcome.exception_of(s)) {
            (Suppression::Exception(_), Some(x)) => {
                let r = &x.record;
                let _ = writeln!(
                    out,
                    "<p class=\"exception\">{}：{}<br>{}：{}　{}：{}　{}：{}<br>{}：{}</p>",
                    l.reason,
                    escape(&r.reason),
                    l.approver,
                    escape(&r.approver),
                    l.approval,
                    escape(r.document.as_deref().unwrap_or("—")),
                    l.expires,
                    r.expires
                        .map_or_else(|| l.never.to_string(), |d| d.to_string()),
                    l.recorded,
                    escape(&r.location())
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "<p class=\"exception\">{}</p>",
                    match lang {
                        Lang::Zh => "基线中已有的发现，不计入本次结果。",
                        Lang::En => "Known from the baseline; not counted in this run.",
                    }
                );
            }
        }
    }
    out.push_str("</article>\n");
}

/// Render a run as a self-contained HTML report.
pub fn render(outcome: &Outcome, pack: &Pack, lang: Lang) -> String {
    let l = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"pdao {}\">\n<title>{} · {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        if lang == Lang::Zh { "zh-CN" } else { "en" },
        env!("CARGO_PKG_VERSION"),
        l.title,
        outcome.as_of,
        STYLE
    );
    let s = Summary::of(&outcome.run);
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", l.title);
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}：《{}》（{}，{}）· pdao {} · {}：{} · --fail-on {}</p>\n</header>",
        l.under,
        escape(&pack.info.title),
        escape(&pack.info.status),
        escape(&pack.info.published),
        env!("CARGO_PKG_VERSION"),
        match lang {
            Lang::Zh => "判定日期",
            Lang::En => "as of",
        },
        outcome.as_of,
        outcome.fail_on.name()
    );

    // Per document and per article counts.
    let mut docs: Vec<(&crate::checker::FileReport, Vec<Entry<'_>>)> = Vec::new();
    for file in &outcome.run.files {
        if matches!(file.outcome, FileOutcome::Checked { .. }) {
            docs.push((file, outcome.entries(file)));
        }
    }
    let _ = writeln!(out, "<section id=\"summary\">\n<h2>{}</h2>", l.summary);
    let _ = writeln!(
        out,
        "<p>{}</p>",
        match lang {
            Lang::Zh => format!(
                "共 {} 个文件，检查 {} 份文书；{} 个错误，{} 个警告，{} 个提示，{} 项待审核，{} 项例外或基线不计入；{} 个输入未能检查。",
                s.files, s.documents, s.errors, s.warnings, s.infos, s.reviews, outcome.suppressed.len(), s.failed
            ),
            Lang::En => format!(
                "{} files, {} documents checked: {} errors, {} warnings, {} infos, {} review items, {} excused by exceptions or the baseline; {} inputs could not be checked.",
                s.files, s.documents, s.errors, s.warnings, s.infos, s.reviews, outcome.suppressed.len(), s.failed
            ),
        }
    );
    let head = format!(
        "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        l.error, l.warning, l.info, l.review, l.excused
    );
    let _ = writeln!(
        out,
        "<table class=\"summary\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th>{head}</tr></thead>\n<tbody>",
        l.document, l.kind, l.file
    );
    let mut total = Counts::default();
    let mut by_article: BTreeMap<u32, Counts> = BTreeMap::new();
    for (i, (file, entries)) in docs.iter().enumerate() {
        let FileOutcome::Checked { kind, id, .. } = &file.outcome else {
            continue;
        };
        let mut c = Counts::default();
        for e in entries {
            c.add(e);
            by_article
                .entry(e.finding.citation.article)
                .or_default()
                .add(e);
        }
        total = total.plus(c);
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#doc-{}\">{}</a></td><td>{}</td><td>{}</td>{}</tr>",
            i + 1,
            escape(id),
            match lang {
                Lang::Zh => kind.title_zh(),
                Lang::En => kind.name(),
            },
            escape(&file.name),
            c.cells()
        );
    }
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td colspan=\"3\">{}</td>{}</tr>\n</tbody>\n</table>",
        l.total,
        total.cells()
    );
    if !by_article.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table class=\"by-article\">\n<thead><tr><th>{}</th>{head}</tr></thead>\n<tbody>",
            l.by_article, l.article
        );
        for (n, c) in &by_article {
            let _ = writeln!(
                out,
                "<tr><td>{}</td>{}</tr>",
                escape(&article_heading(pack, *n, lang)),
                c.cells()
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");

    let notes = crate::decisions::notes(outcome);
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"decisions\">\n<h2>{}</h2>\n<ul class=\"errors\">",
            match lang {
                Lang::Zh => "本次检查的决定（策略、配置、例外与基线）",
                Lang::En => "What decided this run (policy, configuration, exceptions, baseline)",
            }
        );
        for n in &notes {
            let _ = writeln!(out, "<li>{}</li>", escape(n.text.get(lang)));
        }
        out.push_str("</ul>\n</section>\n");
    }

    let errors: Vec<_> = outcome.run.input_errors().collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"errors\">\n<h2>{}</h2>\n<ul class=\"errors\">",
            l.not_checked
        );
        for e in errors {
            let pos = e
                .position()
                .map(|p| format!(":{}:{}", p.line, p.column))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li><code>{}</code> {}{} — {}</li>",
                escape(e.code),
                escape(e.file.name()),
                pos,
                escape(e.message.get(lang))
            );
        }
        out.push_str("</ul>\n</section>\n");
    }

    for (i, (file, entries)) in docs.iter().enumerate() {
        let FileOutcome::Checked { kind, id, .. } = &file.outcome else {
            continue;
        };
        let _ = writeln!(
            out,
            "<section class=\"document\" id=\"doc-{}\">\n<h2>{}：{}</h2>\n<p class=\"doc-head\"><span>{}</span><code>{}</code></p>",
            i + 1,
            l.document,
            escape(id),
            match lang {
                Lang::Zh => format!("{}（{}）", kind.title_zh(), kind.name()),
                Lang::En => format!("{} ({})", kind.name(), kind.title_zh()),
            },
            escape(&file.name)
        );
        if entries.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", l.clean);
        }
        let mut groups: BTreeMap<u32, Vec<&Entry<'_>>> = BTreeMap::new();
        for e in entries {
            groups
                .entry(e.finding.citation.article)
                .or_default()
                .push(e);
        }
        for (n, group) in groups {
            let heading = article_heading(pack, n, lang);
            let cited: BTreeSet<Citation> = group.iter().map(|e| e.finding.citation).collect();
            let _ = writeln!(
                out,
                "<div class=\"group\" data-article=\"{n}\">\n<div class=\"findings\">\n<h3>{}</h3>",
                escape(&heading)
            );
            for e in group {
                finding_html(&mut out, e, outcome, pack, lang, l);
            }
            let _ = writeln!(
                out,
                "</div>\n<aside class=\"article-text\">\n<h4>{}{}</h4>\n{}</aside>\n</div>",
                escape(&heading),
                l.text_of,
                article_text(pack, n, &cited)
            );
        }
        out.push_str("</section>\n");
    }

    let _ = writeln!(
        out,
        "<section id=\"exceptions\">\n<h2>{}</h2>",
        l.exceptions
    );
    if outcome.exceptions.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", l.no_exceptions);
    } else {
        let _ = writeln!(
            out,
            "<table class=\"exceptions\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            match lang {
                Lang::Zh => "规则",
                Lang::En => "Rule",
            },
            l.document,
            l.reason,
            l.approver,
            l.approval,
            l.expires,
            l.status,
            l.recorded
        );
        for x in &outcome.exceptions {
            let r = &x.record;
            let status = match lang {
                Lang::Zh => x.status.name_zh(),
                Lang::En => x.status.name(),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"rule\">{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"status-{}\">{}（{}）</td><td>{}</td></tr>",
                escape(&r.rule),
                escape(&r.target_text()),
                r.pointer
                    .as_deref()
                    .map(|p| format!(" <code>{}</code>", escape(p)))
                    .unwrap_or_default(),
                escape(&r.reason),
                escape(&r.approver),
                escape(r.document.as_deref().unwrap_or("—")),
                r.expires.map_or_else(|| l.never.to_string(), |d| d.to_string()),
                x.status.name(),
                status,
                x.matched,
                escape(&r.location())
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
    if let Some(b) = &outcome.baseline {
        let _ = writeln!(
            out,
            "<section id=\"baseline\">\n<h2>{}</h2>\n<p>{}</p>\n</section>",
            l.baseline,
            escape(&match lang {
                Lang::Zh => format!(
                    "基线 {}：{} 项已知发现不计入，{} 项基线记录已不再出现。",
                    b.file, b.matched, b.fixed
                ),
                Lang::En => format!(
                    "Baseline {}: {} known findings not counted; {} entries no longer occur.",
                    b.file, b.matched, b.fixed
                ),
            })
        );
    }
    let _ = writeln!(
        out,
        "<footer>pdao {} · {} · {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        escape(&pack.info.name),
        outcome.as_of
    );
    out
}
