//! 适用范围 as a gate (Art. 2 “本省行政区域内……适用本办法”). A document that the pack's scope
//! rule (`scope: true`) fails with an error lies outside the measure: it is judged by that rule
//! alone. No other rule applies to it, its schema findings are not reported (each would cite an
//! article of a measure that does not govern it), and the cross-document rules of the other
//! documents neither read it nor require it (see [`super::crossdoc::DocSet::rule_out`]).
//! Errors that stop a file from being read at all (syntax, duplicate keys, an unknown kind) are
//! not findings and are reported as before.

use super::primitives::Context;
use super::rule_findings;
use crate::document::Document;
use crate::finding::Finding;
use crate::rules::Pack;
use crate::severity::Severity;

/// The findings of the pack's scope rules on `doc`.
pub fn scope_findings(pack: &Pack, doc: &Document, ctx: &Context) -> Vec<Finding> {
    pack.rules_for(doc.kind)
        .filter(|r| r.scope)
        .flat_map(|r| rule_findings(pack, r, doc, ctx))
        .collect()
}

/// Whether these scope findings put the document outside the measure: one of them is an error.
pub fn rules_out(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Whether `doc` lies outside the measure.
pub fn is_outside(pack: &Pack, doc: &Document, ctx: &Context) -> bool {
    rules_out(&scope_findings(pack, doc, ctx))
}
