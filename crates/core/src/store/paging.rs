//! One page of a list: how many rows, from where.

/// A page request. The limit is clamped to `1..=MAX_LIMIT`, so no input can ask for everything
/// at once or for nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u32,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = crate::pages::MAX;
    pub const DEFAULT_LIMIT: u32 = crate::pages::DEFAULT;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_clamped_to_the_page_bounds() {
        assert_eq!(PageRequest::new(0, 0).sql_limit(), 1);
        assert_eq!(
            PageRequest::new(crate::pages::MAX + 1, 0).sql_limit(),
            i64::from(crate::pages::MAX)
        );
        assert_eq!(PageRequest::new(u32::MAX, 0).sql_limit(), 1000);
        assert_eq!(PageRequest::default().limit, crate::pages::DEFAULT);
    }
}
