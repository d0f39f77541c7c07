//! The append-only transparency log: a Merkle tree as in RFC 9162 §2.1 (SHA-256, leaf prefix
//! 0x00, node prefix 0x01), with inclusion proofs (a voter's receipt), consistency proofs between
//! checkpoints, and a streaming root accumulator whose memory is O(log n).

use sha2::{Digest, Sha256};

/// A SHA-256 hash: a leaf, a node or a root.
pub type Hash = [u8; 32];

/// `SHA-256(0x00 ‖ entry)`: a leaf's hash, and a ballot's tracking code.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256()`.
pub fn empty_root() -> Hash {
    Sha256::new().finalize().into()
}

fn split(n: usize) -> usize {
    // The largest power of two strictly below n (n ≥ 2).
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// `MTH(D[n])` over leaf hashes, from scratch (O(n)); [`MerkleTree`] keeps what makes it O(log n).
pub fn root_of(leaves: &[Hash]) -> Hash {
    let mut tree = MerkleTree::default();
    leaves.iter().for_each(|l| tree.push(*l));
    tree.root(leaves.len() as u64).expect("the whole tree exists")
}

/// An append-only Merkle tree that keeps every perfect, aligned subtree's hash (about two hashes
/// per leaf), so that the root at any size, inclusion proofs and consistency proofs each cost
/// O(log² n) lookups.
#[derive(Default, Clone)]
pub struct MerkleTree {
    /// `levels[k][i]` is the hash of leaves `i·2^k .. (i+1)·2^k`.
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        self.levels[0].push(leaf);
        let mut k = 0;
        while self.levels[k].len().is_multiple_of(2) {
            let n = self.levels[k].len();
            let parent = node_hash(&self.levels[k][n - 2], &self.levels[k][n - 1]);
            if self.levels.len() == k + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[k + 1].push(parent);
            k += 1;
        }
    }

    /// How many leaves.
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.levels.first()?.get(index as usize).copied()
    }

    /// `MTH(D[a..b])` for `a < b ≤ len`, where `a` is a multiple of the largest power of two
    /// below `b − a` (true of every range the RFC's recursions visit).
    fn range(&self, a: u64, b: u64) -> Hash {
        let n = b - a;
        if n.is_power_of_two() && a.is_multiple_of(n) {
            return self.levels[n.trailing_zeros() as usize][(a / n) as usize];
        }
        let k = split(n as usize) as u64;
        node_hash(&self.range(a, a + k), &self.range(a + k, b))
    }

    /// The hash of the perfect subtree of `span` leaves (a power of two) from `start` (a
    /// multiple of `span`), if the tree holds all of them.
    pub fn subtree_root(&self, start: u64, span: u64) -> Option<Hash> {
        if !span.is_power_of_two() || !start.is_multiple_of(span) || start.checked_add(span)? > self.len() {
            return None;
        }
        self.levels.get(span.trailing_zeros() as usize)?.get((start / span) as usize).copied()
    }

    /// The root of the first `size` leaves.
    pub fn root(&self, size: u64) -> Option<Hash> {
        match size {
            0 => Some(empty_root()),
            s if s > self.len() => None,
            s => Some(self.range(0, s)),
        }
    }

    /// `PATH(m, D[size])` (RFC 9162 §2.1.3.1), leaf side first.
    pub fn inclusion_proof(&self, m: u64, size: u64) -> Option<Vec<Hash>> {
        if m >= size || size > self.len() {
            return None;
        }
        let mut path = Vec::new();
        let (mut a, mut b, mut m) = (0u64, size, m);
        let mut siblings = Vec::new();
        while b - a > 1 {
            let k = split((b - a) as usize) as u64;
            if m < k {
                siblings.push((a + k, b));
                b = a + k;
            } else {
                siblings.push((a, a + k));
                a += k;
                m -= k;
            }
        }
        for (x, y) in siblings.into_iter().rev() {
            path.push(self.range(x, y));
        }
        Some(path)
    }

    /// `PROOF(m, D[size])` (RFC 9162 §2.1.4.1).
    pub fn consistency_proof(&self, m: u64, size: u64) -> Option<Vec<Hash>> {
        if m > size || size > self.len() {
            return None;
        }
        let mut path = Vec::new();
        if m == 0 || m == size {
            return Some(path);
        }
        // SUBPROOF(m, D[a..b], complete), iteratively; nodes collected top-down, then reversed.
        let (mut a, mut b, mut m, mut complete) = (0u64, size, m, true);
        let mut nodes = Vec::new();
        loop {
            if m == b - a {
                if !complete {
                    nodes.push(self.range(a, b));
                }
                break;
            }
            let k = split((b - a) as usize) as u64;
            if m <= k {
                nodes.push(self.range(a + k, b));
                b = a + k;
            } else {
                nodes.push(self.range(a, a + k));
                a += k;
                m -= k;
                complete = false;
            }
        }
        path.extend(nodes.into_iter().rev());
        Some(path)
    }
}

/// The inclusion proof `PATH(m, D[n])` over a slice of leaves.
pub fn inclusion_proof(leaves: &[Hash], m: usize) -> Option<Vec<Hash>> {
    let mut tree = MerkleTree::default();
    leaves.iter().for_each(|l| tree.push(*l));
    tree.inclusion_proof(m as u64, leaves.len() as u64)
}

/// The consistency proof `PROOF(m, D[n])` over a slice of leaves.
pub fn consistency_proof(leaves: &[Hash], m: usize) -> Option<Vec<Hash>> {
    let mut tree = MerkleTree::default();
    leaves.iter().for_each(|l| tree.push(*l));
    tree.consistency_proof(m as u64, leaves.len() as u64)
}

/// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Verifies a consistency proof between `(first, first_root)` and `(second, second_root)`
/// (RFC 9162 §2.1.4.2).
pub fn verify_consistency(first: u64, second: u64, first_root: &Hash, second_root: &Hash, path: &[Hash]) -> bool {
    if first > second {
        return false;
    }
    if first == second {
        return path.is_empty() && first_root == second_root;
    }
    if first == 0 {
        return path.is_empty();
    }
    let mut nodes: Vec<Hash> = Vec::with_capacity(path.len() + 1);
    if first.is_power_of_two() {
        nodes.push(*first_root);
    }
    nodes.extend_from_slice(path);
    let Some((head, rest)) = nodes.split_first() else { return false };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*head, *head);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
}

/// The bytes a checkpoint's signature signs: `u64(size) ‖ root` (protocol note §7).
pub fn checkpoint_message(size: u64, root: &Hash) -> [u8; 40] {
    let mut msg = [0u8; 40];
    msg[..8].copy_from_slice(&size.to_le_bytes());
    msg[8..].copy_from_slice(root);
    msg
}

/// The root of a growing log in O(log n) memory: a stack of perfect subtrees.
#[derive(Default, Clone, Debug)]
pub struct RootAccumulator {
    size: u64,
    stack: Vec<(u32, Hash)>,
}

impl RootAccumulator {
    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = (0u32, leaf);
        while let Some(&(height, left)) = self.stack.last() {
            if height != node.0 {
                break;
            }
            self.stack.pop();
            node = (height + 1, node_hash(&left, &node.1));
        }
        self.stack.push(node);
        self.size += 1;
    }

    /// How many leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the leaves so far (RFC 6962; the empty tree's is SHA-256 of nothing).
    pub fn root(&self) -> Hash {
        let mut nodes = self.stack.iter().rev();
        match nodes.next() {
            None => empty_root(),
            Some(&(_, last)) => nodes.fold(last, |acc, (_, left)| node_hash(left, &acc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The RFC's recursive definitions, written out plainly, as the oracle for [`MerkleTree`].
    fn mth(d: &[Hash]) -> Hash {
        match d.len() {
            0 => empty_root(),
            1 => d[0],
            n => node_hash(&mth(&d[..split(n)]), &mth(&d[split(n)..])),
        }
    }

    fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
        if d.len() <= 1 {
            return Vec::new();
        }
        let k = split(d.len());
        let (mut p, sibling) =
            if m < k { (path(m, &d[..k]), mth(&d[k..])) } else { (path(m - k, &d[k..]), mth(&d[..k])) };
        p.push(sibling);
        p
    }

    fn subproof(m: usize, d: &[Hash], complete: bool) -> Vec<Hash> {
        let n = d.len();
        if m == n {
            return if complete { Vec::new() } else { vec![mth(d)] };
        }
        let k = split(n);
        let (mut p, node) = if m <= k {
            (subproof(m, &d[..k], complete), mth(&d[k..]))
        } else {
            (subproof(m - k, &d[k..], false), mth(&d[..k]))
        };
        p.push(node);
        p
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&(i as u64).to_le_bytes())).collect()
    }

    #[test]
    fn known_roots_match_rfc_shapes() {
        // Three leaves: node(node(l0, l1), l2).
        let l = leaves(3);
        assert_eq!(root_of(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
        assert_eq!(root_of(&[]), empty_root());
    }

    proptest! {
        #[test]
        fn accumulator_inclusion_and_consistency_agree(n in 1usize..70, m_seed in 0usize..1000, i_seed in 0usize..1000) {
            let l = leaves(n);
            let mut acc = RootAccumulator::default();
            for (k, leaf) in l.iter().enumerate() {
                acc.push(*leaf);
                prop_assert_eq!(acc.root(), root_of(&l[..=k]));
            }
            let root = root_of(&l);
            prop_assert_eq!(root, mth(&l));
            let i = i_seed % n;
            prop_assert_eq!(inclusion_proof(&l, i).unwrap(), path(i, &l));
            let path = inclusion_proof(&l, i).unwrap();
            prop_assert!(verify_inclusion(&l[i], i as u64, n as u64, &path, &root));
            prop_assert!(!verify_inclusion(&l[(i + 1) % n], i as u64, n as u64, &path, &root) || n == 1);
            let m = m_seed % (n + 1);
            let proof = consistency_proof(&l, m).unwrap();
            if m > 0 {
                prop_assert_eq!(&proof, &subproof(m, &l, true));
            }
            let first = root_of(&l[..m]);
            prop_assert!(verify_consistency(m as u64, n as u64, &first, &root, &proof));
            if m > 0 && m < n {
                let wrong = leaf_hash(b"forged");
                prop_assert!(!verify_consistency(m as u64, n as u64, &wrong, &root, &proof));
                prop_assert!(!verify_consistency(m as u64, n as u64, &first, &wrong, &proof));
            }
        }
    }
}
