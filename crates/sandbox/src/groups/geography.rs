//! Geography: provinces, cities and counties.

use huaweicloud_bss::geography::types as geography;
use serde_json::Value;

use crate::reply::{json, window};
use crate::world::World;
use crate::{ApiError, Call};

impl crate::generated::geography::Server for World {
    fn list_provinces(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let (page, total) = window(&world.provinces, call);
        json(geography::ListProvincesResponse {
            count: Some(total),
            provinces: page,
        })
    }

    fn list_cities(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let province = call.text("province_code").unwrap_or_default();
        let cities: Vec<_> = world
            .cities
            .iter()
            .filter(|(p, _)| *p == province)
            .map(|(_, c)| c.clone())
            .collect();
        let (page, total) = window(&cities, call);
        json(geography::ListCitiesResponse {
            count: Some(total),
            cities: page,
        })
    }

    fn list_counties(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let city = call.text("city_code").unwrap_or_default();
        let counties: Vec<_> = world
            .counties
            .iter()
            .filter(|(c, _)| *c == city)
            .map(|(_, c)| c.clone())
            .collect();
        let (page, total) = window(&counties, call);
        json(geography::ListCountiesResponse {
            count: Some(total),
            counties: page,
        })
    }
}
