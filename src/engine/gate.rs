//! One pass over a text that tells which of several patterns occur in it, so that only those
//! are run for their matches and captures. Short texts (news briefs, ACLED notes) pay mostly
//! per-pattern fixed costs; a set of patterns scans once.

use regex::{Regex, RegexSet, SetMatches};

/// A group of patterns named by the keys `K` (an enum), compiled together as a set.
#[derive(Debug)]
pub struct Gate<K: 'static> {
    set: Option<RegexSet>,
    keys: &'static [K],
}

/// Which of a gate's patterns occur in one text.
#[derive(Debug)]
pub struct Present<K: 'static> {
    matches: Option<SetMatches>,
    keys: &'static [K],
}

impl<K: Copy + PartialEq> Gate<K> {
    /// A gate over the pattern of each key; `pattern` names a key's pattern, so the two can
    /// never fall out of step.
    pub fn new(keys: &'static [K], pattern: impl Fn(K) -> &'static Regex) -> Gate<K> {
        // The patterns are already compiled, so the set compiles too; were it ever refused (a
        // size limit), every pattern is reported present and simply runs, as without a gate.
        let set = RegexSet::new(keys.iter().map(|&k| pattern(k).as_str())).ok();
        Gate { set, keys }
    }

    pub fn scan(&self, text: &str) -> Present<K> {
        Present {
            matches: self.set.as_ref().map(|set| set.matches(text)),
            keys: self.keys,
        }
    }
}

impl<K: Copy + PartialEq> Present<K> {
    /// True when the key's pattern matches somewhere in the text (or when the gate could not
    /// tell).
    pub fn has(&self, key: K) -> bool {
        let Some(i) = self.keys.iter().position(|&k| k == key) else {
            return true;
        };
        self.matches.as_ref().is_none_or(|m| m.matched(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static KILLED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bkilled\b").unwrap());
    static KM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+ km").unwrap());
    static OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"de $").unwrap());

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Word {
        Killed,
        Km,
        Of,
    }

    fn pattern(word: Word) -> &'static Regex {
        match word {
            Word::Killed => &KILLED,
            Word::Km => &KM,
            Word::Of => &OF,
        }
    }

    #[test]
    fn reports_exactly_the_patterns_that_match() {
        // Listed out of declaration order: the keys, not their order, name the patterns.
        let gate = Gate::new(&[Word::Of, Word::Killed, Word::Km], pattern);
        let present = gate.scan("two were killed 30 km away");
        let all = |p: &Present<Word>| [Word::Killed, Word::Km, Word::Of].map(|w| p.has(w));
        assert_eq!(all(&present), [true, true, false]);
        assert_eq!(all(&gate.scan("pres de ")), [false, false, true]);
    }
}
