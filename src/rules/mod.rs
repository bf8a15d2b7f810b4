//! Stage 4 of the pipeline: **rules**. Each rule reads the models of the run and returns
//! [`Finding`]s: plain data, never output.

pub mod finding;

pub use finding::{Finding, Label, Severity};

use crate::model::Model;

/// What rules need besides the models.
#[derive(Clone, Debug)]
pub struct Context {
    /// The clock for expiry rules (Unix seconds).
    pub now: u64,
}

/// Runs every selected rule over the models of a run (`None` for files that did not parse).
pub fn run(models: &[Option<Model<'_>>], ctx: &Context) -> Vec<Finding> {
    let _ = (models, ctx);
    Vec::new()
}
