//! # fortilint
//!
//! A linter and repair tool for FortiOS (FortiGate) configuration backups, centred on
//! FortiToken two-factor authentication.
//!
//! The pipeline, one module per stage; each stage depends only on the stages before it:
//!
//! ```text
//! source ──▶ parse ──▶ model ──▶ rules ──▶ fix ──▶ report
//!  bytes      lossless   typed      findings   plan,     human, concise,
//!  sniffed,   statement  views of   (data)     script,   JSON, SARIF,
//!  UTF-8      tree with  tokens,               patch,    GitHub
//!  checked    spans      users, …              diff
//! ```
//!
//! * [`source`]: reads a file with a bound, refuses what is not FortiOS CLI text (encrypted,
//!   YAML, JSON, binary, invalid UTF-8, empty, truncated) with a located reason.
//! * [`parse`]: a pest grammar (`grammar/fortios.pest`) recognises statements; a stack builds
//!   the nesting. Every node keeps its byte span; the spans tile the input exactly. The
//!   two-level mode lets a validating scanner skip the bodies of blocks the model does not
//!   read (`parse::blocks::MODEL_BLOCKS`) and lower the few lines outside them, so pest parses
//!   only the model's blocks; `fix` uses the full parse.
//! * [`model`]: header facts, scopes (global, each VDOM) and typed views of tokens, users,
//!   admins and the system objects that FortiToken depends on; the one masking policy for
//!   secrets (`model::secrets`).
//! * [`rules`]: one file per rule; each returns findings as plain data.
//! * [`fix`]: one remediation plan per file, rendered as a FortiOS CLI script and as span
//!   edits on the original text (diff, in-place rewrite), checked by a small CLI interpreter.
//! * [`report`]: renders parse errors, inventories and findings; never inspects the tree.
//! * [`cli`]: argument parsing and the commands; the binary is a thin wrapper around it.
//! * `testing`: the invariants of the whole pipeline that the fuzz targets and property tests
//!   check (leak, injection, replay, settle).

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod fix;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
#[doc(hidden)]
pub mod testing;
