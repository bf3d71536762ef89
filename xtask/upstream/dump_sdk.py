"""Dumps the operations and models of Huawei Cloud's official Python BSS SDKs as JSON.

Run by `cargo xtask upstream` inside the virtualenv it creates; reads nothing but the installed
packages and writes one JSON document on stdout:

    {"packages": {"<package>": {"version": "...", "operations": {...}, "models": {...}}}}

Each operation (the official operation name, e.g. `ListSubCustomers`) has its HTTP method, path,
the wire names of its path, query and header parameters, its request model (whose fields are
those parameters and `body`), its body model (or null) and its response model, exactly as the
SDK's `_<operation>_http_info` helper builds them. Each model has
its fields in declaration order: the JSON key, the SDK's type (`str`, `int`, `float`,
`decimal.Decimal`, `bool`, `object`, `list[T]`, `dict(K, V)` or another model's name), whether
it is required (the generated constructor sets a required field unconditionally and an optional
one only `if ... is not None`) and the field's documentation, from which the comparison reads
enum values. Nothing else is interpreted here.
"""

import importlib
import importlib.metadata
import inspect
import json
import re
import sys

# Added by the SDK to every request; not a parameter of any operation.
SDK_ADDED_HEADERS = {"Content-Type"}

LIST_TYPE = re.compile(r"^list\[(.+)\]$")
DICT_TYPE = re.compile(r"^dict\(([^,]+),\s*(.+)\)$")
ASSIGNMENT = re.compile(r"^\s*self\.(\w+) = (\w+)\s*$")
PRIMITIVES = {"str", "int", "float", "bool", "object", "date", "datetime", "decimal.Decimal"}


def field_doc(model, attribute):
    """The description of one field: its property's docstring without the getter boilerplate."""
    prop = getattr(model, attribute, None)
    doc = inspect.getdoc(prop) if isinstance(prop, property) else None
    if not doc:
        return ""
    lines = [line for line in doc.splitlines()[1:] if not line.startswith((":return:", ":rtype:"))]
    return " ".join(line.strip() for line in lines if line.strip())


def required_attributes(model):
    """The attributes the model's constructor always sets, or None if its source is unavailable."""
    try:
        lines = inspect.getsource(model.__init__).splitlines()
    except (OSError, TypeError):
        return None
    required = set()
    for previous, line in zip([""] + lines, lines):
        match = ASSIGNMENT.match(line)
        if match and match.group(1) == match.group(2) and not previous.strip().startswith("if "):
            required.add(match.group(1))
    return required


def referenced_models(sdk_type):
    """The model names a type string refers to (`list[Foo]` refers to `Foo`)."""
    match = LIST_TYPE.match(sdk_type)
    if match:
        return referenced_models(match.group(1))
    match = DICT_TYPE.match(sdk_type)
    if match:
        return referenced_models(match.group(2))
    return [] if sdk_type in PRIMITIVES else [sdk_type]


def dump_model(module, name, models):
    """Adds `name` and every model it refers to, recursively, to `models`."""
    if name in models:
        return
    model = getattr(module, name, None)
    if model is None or not hasattr(model, "openapi_types"):
        models[name] = {"missing": True, "fields": []}
        return
    fields = []
    models[name] = {"fields": fields}
    required = required_attributes(model)
    for attribute, sdk_type in model.openapi_types.items():
        fields.append(
            {
                "attribute": attribute,
                "name": model.attribute_map.get(attribute, attribute),
                "type": sdk_type,
                "required": None if required is None else attribute in required,
                "doc": field_doc(model, attribute),
            }
        )
    for field in list(fields):
        for referenced in referenced_models(field["type"]):
            dump_model(module, referenced, models)


def dump_package(package, client_module, client_class):
    """The operations and models of one SDK package."""
    module = importlib.import_module(f"{package}.v2")
    client = getattr(importlib.import_module(f"{package}.v2.{client_module}"), client_class)
    operations = {}
    models = {}
    for helper in sorted(dir(client)):
        if not (helper.startswith("_") and helper.endswith("_http_info")) or helper == "_http_info":
            continue
        snake = helper[1 : -len("_http_info")]
        camel = "".join(part[:1].upper() + part[1:] for part in snake.split("_"))
        request_class = getattr(module, f"{camel}Request", None)
        if request_class is None:
            continue
        info = getattr(client, helper)(request_class())
        response_type = info["response_type"]
        operation = response_type[: -len("Response")] if response_type.endswith("Response") else camel
        request_types = request_class.openapi_types
        body = request_types.get("body")
        operations[operation] = {
            "method": info["method"],
            "path": info["resource_path"],
            "path_params": sorted(info["path_params"]),
            "query_params": [name for name, _ in info["query_params"]],
            "header_params": sorted(h for h in info["header_params"] if h not in SDK_ADDED_HEADERS),
            "request": request_class.__name__,
            "body": body,
            "response": response_type,
        }
        dump_model(module, request_class.__name__, models)
        if body is not None:
            for referenced in referenced_models(body):
                dump_model(module, referenced, models)
        dump_model(module, response_type, models)
    return {
        "version": importlib.metadata.version(package),
        "operations": operations,
        "models": models,
    }


PACKAGES = {
    "huaweicloudsdkbss": ("bss_client", "BssClient"),
    "huaweicloudsdkbssintl": ("bssintl_client", "BssintlClient"),
}


def main():
    dump = {"packages": {}}
    for package, (client_module, client_class) in PACKAGES.items():
        dump["packages"][package] = dump_package(package, client_module, client_class)
    json.dump(dump, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
