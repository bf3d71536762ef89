//! The sandbox's HTTP gateway layer: what the real API gateway does before a request reaches
//! BSS.

pub(crate) mod rate;
