//! No-repeat draws: `/quote` shows every quote of a pool once in a channel before any repeats.
//!
//! A bag per (channel, pool) remembers which quotes of the pool were drawn. Invariants:
//! - within one pool and one library generation, a channel sees every quote once before it
//!   sees any twice, and a refilled bag never starts with the quote that ended the last round
//!   (unless the pool holds a single quote);
//! - a bag drawn against another library generation or another pool size starts afresh, so an
//!   index never points past the pool;
//! - memory is bounded: past `capacity` bags, the one used least recently is dropped;
//! - the lock is a `std::sync::Mutex` held only for a draw, never across an `.await`.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use rand::Rng;

/// The no-repeat bags of every channel and pool.
#[derive(Debug)]
pub struct QuoteBag<K> {
    inner: Mutex<Inner<K>>,
    capacity: usize,
}

#[derive(Debug)]
struct Inner<K> {
    bags: HashMap<K, Bag>,
    clock: u64,
}

#[derive(Debug)]
struct Bag {
    generation: u64,
    used: Vec<bool>,
    last: Option<usize>,
    touched: u64,
}

impl Bag {
    fn new(generation: u64, len: usize) -> Bag {
        Bag {
            generation,
            used: vec![false; len],
            last: None,
            touched: 0,
        }
    }
}

impl<K: Hash + Eq + Clone> QuoteBag<K> {
    /// Bags for at most `capacity` (channel, pool) keys at once.
    pub fn new(capacity: usize) -> Self {
        QuoteBag {
            inner: Mutex::new(Inner {
                bags: HashMap::new(),
                clock: 0,
            }),
            capacity: capacity.max(1),
        }
    }

    /// Draws an index into a pool of `pool_len` quotes; `None` when the pool is empty.
    pub fn draw(
        &self,
        key: K,
        generation: u64,
        pool_len: usize,
        rng: &mut impl Rng,
    ) -> Option<usize> {
        if pool_len == 0 {
            return None;
        }
        // A poisoned lock only means another draw panicked; the bags are still usable.
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.clock += 1;
        let now = inner.clock;
        if !inner.bags.contains_key(&key) && inner.bags.len() >= self.capacity {
            let oldest = inner
                .bags
                .iter()
                .min_by_key(|(_, b)| b.touched)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.bags.remove(&k);
            }
        }
        let bag = inner
            .bags
            .entry(key)
            .or_insert_with(|| Bag::new(generation, pool_len));
        if bag.generation != generation || bag.used.len() != pool_len {
            *bag = Bag::new(generation, pool_len);
        }
        bag.touched = now;
        let mut left: Vec<usize> = (0..pool_len).filter(|&i| !bag.used[i]).collect();
        if left.is_empty() {
            bag.used.iter_mut().for_each(|u| *u = false);
            left = (0..pool_len).filter(|&i| Some(i) != bag.last).collect();
            if left.is_empty() {
                left.push(0);
            }
        }
        let pick = left[rng.random_range(0..left.len())];
        bag.used[pick] = true;
        bag.last = Some(pick);
        Some(pick)
    }

    /// How many bags are kept.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .bags
            .len()
    }

    /// Whether no bag is kept (no quote drawn yet, in any channel).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(7)
    }

    #[test]
    fn every_quote_once_before_any_repeats() {
        let bag = QuoteBag::new(10);
        let mut rng = rng();
        for round in 0..5 {
            let drawn: HashSet<usize> = (0..12)
                .map(|_| bag.draw("chan", 1, 12, &mut rng).unwrap())
                .collect();
            assert_eq!(drawn.len(), 12, "round {round} repeated a quote");
        }
    }

    #[test]
    fn a_new_round_does_not_start_with_the_last_quote() {
        let bag = QuoteBag::new(10);
        let mut rng = rng();
        let mut last = None;
        for _ in 0..200 {
            let q = bag.draw(1u64, 1, 3, &mut rng).unwrap();
            assert_ne!(Some(q), last, "the same quote twice in a row");
            last = Some(q);
        }
        // A pool of one can only repeat.
        assert_eq!(bag.draw(2u64, 1, 1, &mut rng), Some(0));
        assert_eq!(bag.draw(2u64, 1, 1, &mut rng), Some(0));
    }

    #[test]
    fn channels_and_pools_are_independent() {
        let bag = QuoteBag::new(10);
        let mut rng = rng();
        let a: HashSet<usize> = (0..4)
            .map(|_| bag.draw(("a", 0), 1, 4, &mut rng).unwrap())
            .collect();
        let b: HashSet<usize> = (0..4)
            .map(|_| bag.draw(("b", 0), 1, 4, &mut rng).unwrap())
            .collect();
        let c: HashSet<usize> = (0..4)
            .map(|_| bag.draw(("a", 1), 1, 4, &mut rng).unwrap())
            .collect();
        assert_eq!((a.len(), b.len(), c.len()), (4, 4, 4));
    }

    #[test]
    fn a_reload_or_a_new_pool_size_starts_afresh_and_stays_in_range() {
        let bag = QuoteBag::new(10);
        let mut rng = rng();
        for _ in 0..9 {
            bag.draw(0u8, 1, 10, &mut rng);
        }
        // The pool shrank: indices stay inside it.
        for _ in 0..20 {
            assert!(bag.draw(0u8, 1, 3, &mut rng).unwrap() < 3);
        }
        // A new generation of the same size: a whole round again.
        let drawn: HashSet<usize> = (0..3)
            .map(|_| bag.draw(0u8, 2, 3, &mut rng).unwrap())
            .collect();
        assert_eq!(drawn.len(), 3);
        assert_eq!(bag.draw(0u8, 2, 0, &mut rng), None);
    }

    #[test]
    fn the_least_recently_used_bag_goes_first() {
        let bag = QuoteBag::new(2);
        let mut rng = rng();
        bag.draw(1, 1, 5, &mut rng);
        bag.draw(2, 1, 5, &mut rng);
        bag.draw(1, 1, 5, &mut rng);
        bag.draw(3, 1, 5, &mut rng); // evicts 2
        assert_eq!(bag.len(), 2);
        // Bag 1 kept its state: three more draws complete a round of five without repeats.
        let mut seen = HashSet::new();
        let inner = bag.inner.lock().unwrap();
        assert!(inner.bags.contains_key(&1) && inner.bags.contains_key(&3));
        for (i, used) in inner.bags[&1].used.iter().enumerate() {
            if *used {
                seen.insert(i);
            }
        }
        assert_eq!(seen.len(), 2);
    }
}
