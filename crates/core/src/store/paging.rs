//! One page of a list: how many rows, from where.

/// A page request. The limit is clamped to `1..=MAX_LIMIT`, so no input can ask for everything
/// at once or for nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u32,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 1000;
    pub const DEFAULT_LIMIT: u32 = 50;

    pub fn new(limit: u32, offset: u32) -> Self {
        Self { limit, offset }
    }

    pub(crate) fn sql_limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, Self::MAX_LIMIT))
    }

    pub(crate) fn sql_offset(&self) -> i64 {
        i64::from(self.offset)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(Self::DEFAULT_LIMIT, 0)
    }
}
