//! Random identifiers for seeded and created records.

/// A 32-hex-digit id, as BSS writes order, transfer and record ids.
pub fn hex(rng: &mut fastrand::Rng) -> String {
    format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))
}
