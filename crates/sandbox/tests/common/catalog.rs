//! The catalog group's calls the sandbox tests share.

calls! {
    catalog:
    list_resource_specs => ListResourceSpecs -> ListResourceSpecsResponse,
    list_service_types => ListServiceTypes -> ListServiceTypesResponse,
}
