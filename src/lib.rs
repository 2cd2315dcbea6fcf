//! pdao: the 《广东省公共数据资源授权运营管理办法（征求意见稿）》 as code.
//!
//! Rules (one YAML file per article) are loaded into a [`rules::Pack`]; documents are parsed
//! with spans kept ([`document`]); [`eval`] checks them and yields [`finding::Finding`]s, each
//! citing its article, paragraph and item; [`report`] renders them. [`Checker`] ties these
//! together for library users and the `pdao` binary.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod baseline;
pub mod calendar;
pub mod checker;
pub mod citation;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod dates;
pub mod decisions;
pub mod division;
pub mod document;
pub mod error;
pub mod eval;
pub mod exceptions;
pub mod finding;
pub mod identity;
pub mod inputs;
pub mod kind;
pub mod measure;
pub mod outcome;
pub mod placeholder;
pub mod region;
pub mod report;
pub mod rules;
pub mod schema;
pub mod severity;
pub mod source;
pub mod template;
pub mod terms;
pub mod text;
pub mod visible;

pub use checker::{Checker, FileOutcome, FileReport, RunReport};

/// The built-in rule pack and schemas, embedded at build time.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
