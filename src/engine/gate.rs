//! One pass over a text that tells which of several patterns occur in it, so that only those
//! are run for their matches and captures. Short texts (news briefs, ACLED notes) pay mostly
//! per-pattern fixed costs; a set of patterns scans once.

use regex::{Regex, RegexSet, SetMatches};

/// The patterns of a group, compiled together as a set.
#[derive(Debug)]
pub struct Gate(Option<RegexSet>);

/// Which of a gate's patterns occur in one text.
#[derive(Debug)]
pub struct Present(Option<SetMatches>);

impl Gate {
    /// A gate over `patterns`, in order: `Present::has(i)` answers for `patterns[i]`.
    pub fn new(patterns: &[&Regex]) -> Gate {
        // The patterns are already compiled, so the set compiles too; were it ever refused (a
        // size limit), every pattern is reported present and simply runs, as without a gate.
        Gate(RegexSet::new(patterns.iter().map(|p| p.as_str())).ok())
    }

    pub fn scan(&self, text: &str) -> Present {
        Present(self.0.as_ref().map(|set| set.matches(text)))
    }
}

impl Present {
    /// True when pattern `i` matches somewhere in the text (or when the gate could not tell).
    pub fn has(&self, i: usize) -> bool {
        self.0.as_ref().is_none_or(|m| m.matched(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_exactly_the_patterns_that_match() {
        let (a, b, c) = (
            Regex::new(r"\bkilled\b").unwrap(),
            Regex::new(r"\d+ km").unwrap(),
            Regex::new(r"de $").unwrap(),
        );
        let gate = Gate::new(&[&a, &b, &c]);
        let present = gate.scan("two were killed 30 km away");
        assert_eq!(
            [present.has(0), present.has(1), present.has(2)],
            [true, true, false]
        );
        let present = gate.scan("pres de ");
        assert_eq!(
            [present.has(0), present.has(1), present.has(2)],
            [false, false, true]
        );
    }
}
