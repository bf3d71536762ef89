//! The API groups, one module each: its data and its implementation of the group's generated
//! server trait.

pub mod accounts;
pub mod bills;
pub mod catalog;
pub mod costs;
pub mod coupons;
pub mod customers;
pub mod enterprise;
pub mod funds;
pub mod geography;
pub mod intl;
pub mod orders;
pub mod packages;
pub mod pricing;
pub mod realname;
pub mod resources;

use crate::world::World;

/// The state of every group.
#[derive(Debug, Default)]
pub struct Groups {
    /// On-demand and yearly/monthly resources.
    pub resources: resources::State,
    /// Orders.
    pub orders: orders::State,
    /// Resource packages.
    pub packages: packages::State,
    /// Price inquiries.
    pub pricing: pricing::State,
    /// Account funds.
    pub accounts: accounts::State,
    /// Bills.
    pub bills: bills::State,
    /// Coupons and coupon quotas.
    pub coupons: coupons::State,
    /// Real-name authentication.
    pub realname: realname::State,
    /// The customer's own bills and costs.
    pub costs: costs::State,
    /// The customer's own balances, records, cards and discounts.
    pub funds: funds::State,
    /// Enterprise multi-account.
    pub enterprise: enterprise::State,
    /// International-site-only operations.
    pub intl: intl::State,
}

impl Groups {
    /// Seeds every group from `world` (whose customers and catalog are already made). Each group
    /// draws from its own generator, so adding data to one group never changes another's.
    pub fn seed(world: &mut World, seed: u64) {
        fn rng(seed: u64, salt: u64) -> fastrand::Rng {
            fastrand::Rng::with_seed(seed ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        }
        let groups = Groups {
            resources: resources::State::seeded(&mut rng(seed, 1), world),
            orders: orders::State::seeded(&mut rng(seed, 2), world),
            packages: packages::State::seeded(&mut rng(seed, 3), world),
            pricing: pricing::State::seeded(&mut rng(seed, 4), world),
            accounts: accounts::State::seeded(&mut rng(seed, 5), world),
            bills: bills::State::seeded(&mut rng(seed, 6), world),
            coupons: coupons::State::seeded(&mut rng(seed, 7), world),
            realname: realname::State::seeded(&mut rng(seed, 8), world),
            costs: costs::State::seeded(&mut rng(seed, 9), world),
            funds: funds::State::seeded(&mut rng(seed, 10), world),
            enterprise: enterprise::State::seeded(&mut rng(seed, 11), world),
            intl: intl::State::seeded(&mut rng(seed, 12), world),
        };
        world.groups = groups;
    }
}
