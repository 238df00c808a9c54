//! Containers that keep the stage's largest tables cheap at a million stories: maps split into
//! shards (so that no single table is rehashed whole as it grows) and vectors in chunks that
//! never move (so that growing them never copies every story).

use super::*;

/// A map split by its keys into maps that grow one at a time: one map of hundreds of thousands
/// of story ids (or millions of terms) stopped the unit that made it grow for as long as
/// rehashing it all took (a tenth of a second at 1M stored).
#[derive(Debug, Clone)]
pub(super) struct Shards<K, V>(pub(super) Vec<FastMap<K, V>>);

impl<K: std::hash::Hash + Eq, V: PartialEq> PartialEq for Shards<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

pub(super) const SHARD_BITS: u32 = 6;

/// Which shard a key is in: from bits the maps' own hash does not fix within a shard (a term
/// is a hash already, and the maps multiply it; an id is hashed apart).
pub(super) trait ShardKey: std::hash::Hash + Eq {
    fn shard(&self) -> usize;
}

impl ShardKey for u64 {
    fn shard(&self) -> usize {
        (self >> (64 - SHARD_BITS)) as usize
    }
}

impl ShardKey for str {
    fn shard(&self) -> usize {
        (text::hash64(self.as_bytes()) >> (64 - SHARD_BITS)) as usize
    }
}

impl ShardKey for String {
    fn shard(&self) -> usize {
        self.as_str().shard()
    }
}

impl<K, V: Clone> Default for Shards<K, V> {
    fn default() -> Self {
        Shards((0..1 << SHARD_BITS).map(|_| FastMap::default()).collect())
    }
}

impl<K: ShardKey, V> Shards<K, V> {
    pub(super) fn get<Q>(&self, k: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: ShardKey + ?Sized,
    {
        self.0[k.shard()].get(k)
    }
    pub(super) fn entry(&mut self, k: K) -> std::collections::hash_map::Entry<'_, K, V> {
        let i = k.shard();
        self.0[i].entry(k)
    }
    pub(super) fn insert(&mut self, k: K, v: V) {
        let i = k.shard();
        self.0[i].insert(k, v);
    }
    pub(super) fn capacity(&self) -> usize {
        self.0.iter().map(|m| m.capacity()).sum()
    }
}

impl<K: ShardKey, V: Clone> FromIterator<(K, V)> for Shards<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        let mut s = Shards::default();
        for (k, v) in it {
            s.insert(k, v);
        }
        s
    }
}

/// A vector kept in chunks of fixed size, so that growing it never moves what it holds: the
/// stories of a large store filled one vector of tens of megabytes, and the unit that made it
/// grow waited for the copy (the slowest assignments at 1M stored, a fifth of a second).
#[derive(Debug, Clone)]
pub(super) struct Chunked<T> {
    pub(super) chunks: Vec<Vec<T>>,
    pub(super) len: usize,
}

pub(super) const CHUNK: usize = 4096;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub(super) fn len(&self) -> usize {
        self.len
    }
    pub(super) fn push(&mut self, x: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(x);
        }
        self.len += 1;
    }
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}
