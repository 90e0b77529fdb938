//! What a generation did: counts, stage timings, warnings.

use std::time::Duration;

use crate::diagnostics::Warning;

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
    /// Lines of generated code.
    pub lines: usize,
    /// Stage timings.
    pub timings: StageTimings,
    /// Warnings, in the order found.
    pub warnings: Vec<Warning>,
    /// Operations with pagination streams.
    pub paginated: Vec<String>,
}
