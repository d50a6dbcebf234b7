//! A fast non-cryptographic hasher for the in-memory indexes (the multiply-rotate hash rustc
//! uses). The keys are ids this store generated (UUIDs, ISO codes, graph indices), not input an
//! attacker chooses freely, so the standard SipHash's flood resistance buys nothing here while
//! its cost shows in a start-up that hashes millions of keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The hasher of [`FastMap`].
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keyed_by_strings_and_pairs_work() {
        let mut map: FastMap<String, u32> = FastMap::default();
        for i in 0..1000u32 {
            map.insert(format!("0190{i:032x}"), i);
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get(&format!("0190{:032x}", 7)), Some(&7));
        let mut pairs: FastMap<(u32, u32), u32> = FastMap::default();
        pairs.insert((1, 2), 3);
        assert_eq!(pairs.get(&(1, 2)), Some(&3));
        assert_eq!(pairs.get(&(2, 1)), None);
    }
}
