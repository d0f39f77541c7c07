//! The append-only transparency log: a Merkle tree as in RFC 9162 §2.1 (SHA-256, leaf prefix
//! 0x00, node prefix 0x01), with inclusion proofs (a voter's receipt), consistency proofs between
//! checkpoints, and a streaming root accumulator whose memory is O(log n).

use sha2::{Digest, Sha256};

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

/// `MTH(D[n])` over leaf hashes.
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The inclusion proof `PATH(m, D[n])` (RFC 9162 §2.1.3.1), leaf side first.
pub fn inclusion_proof(leaves: &[Hash], m: usize) -> Option<Vec<Hash>> {
    if m >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    fn walk(leaves: &[Hash], m: usize, path: &mut Vec<Hash>) {
        if leaves.len() <= 1 {
            return;
        }
        let k = split(leaves.len());
        if m < k {
            walk(&leaves[..k], m, path);
            path.push(root_of(&leaves[k..]));
        } else {
            walk(&leaves[k..], m - k, path);
            path.push(root_of(&leaves[..k]));
        }
    }
    walk(leaves, m, &mut path);
    Some(path)
}

/// The consistency proof `PROOF(m, D[n])` (RFC 9162 §2.1.4.1) between the first `m` leaves and
/// all of `leaves`.
pub fn consistency_proof(leaves: &[Hash], m: usize) -> Option<Vec<Hash>> {
    if m > leaves.len() {
        return None;
    }
    fn sub(leaves: &[Hash], m: usize, complete: bool, path: &mut Vec<Hash>) {
        let n = leaves.len();
        if m == n {
            if !complete {
                path.push(root_of(leaves));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            sub(&leaves[..k], m, complete, path);
            path.push(root_of(&leaves[k..]));
        } else {
            sub(&leaves[k..], m - k, false, path);
            path.push(root_of(&leaves[..k]));
        }
    }
    let mut path = Vec::new();
    if m > 0 {
        sub(leaves, m, true, &mut path);
    }
    Some(path)
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
#[derive(Default, Clone)]
pub struct RootAccumulator {
    size: u64,
    stack: Vec<(u32, Hash)>,
}

impl RootAccumulator {
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

    pub fn size(&self) -> u64 {
        self.size
    }

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
            let i = i_seed % n;
            let path = inclusion_proof(&l, i).unwrap();
            prop_assert!(verify_inclusion(&l[i], i as u64, n as u64, &path, &root));
            prop_assert!(!verify_inclusion(&l[(i + 1) % n], i as u64, n as u64, &path, &root) || n == 1);
            let m = m_seed % (n + 1);
            let proof = consistency_proof(&l, m).unwrap();
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
