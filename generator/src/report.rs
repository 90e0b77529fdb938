//! What a generation did: counts, stage timings, warnings.

use std::time::Duration;

use crate::diagnostics::Warning;
use crate::untyped::Untyped;

/// Per-stage wall-clock times.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimings {
    /// Parse and normalize.
    pub parse: Duration,
    /// Build the model.
    pub model: Duration,
    /// Emit and format.
    pub emit: Duration,
}

impl StageTimings {
    /// The sum of all stages.
    pub fn total(&self) -> Duration {
        self.parse + self.model + self.emit
    }
}

/// A summary of one generation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The spec's label.
    pub spec: String,
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Structurally identical types merged into one (not counted in `types`).
    pub deduplicated_types: usize,
    /// Per-tag cargo features generated (0 when the output is not gated).
    pub tag_features: usize,
    /// Lines of generated code.
    pub lines: usize,
    /// Stage timings.
    pub timings: StageTimings,
    /// Warnings, in the order found.
    pub warnings: Vec<Warning>,
    /// Operations with pagination streams: `(operationId, rule)`, the rule
    /// being `x-pagination (token|offset)` or the inference rule that matched
    /// (`cursor (…)`, `offset (…)`, `link (…)`).
    pub paginated: Vec<(String, String)>,
    /// Fields, aliases and variants typed as a JSON value, and why (see [`crate::untyped`]).
    pub untyped: Vec<Untyped>,
}
