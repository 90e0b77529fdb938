//! Tests of the Swagger 2.0 → OpenAPI 3.0 conversion, one per mapping rule.

use super::*;
use crate::diagnostics::Warning;
use serde_json::json;

/// Converts `tree`; the result and the warnings' `pointer: message` lines.
fn convert(mut tree: Value) -> (Value, Vec<String>) {
    let mut diagnostics = Diagnostics::new("t.yaml");
    to_openapi_30(&mut tree, &mut diagnostics);
    let warnings = diagnostics
        .into_warnings()
        .iter()
        .map(|w: &Warning| format!("{}: {}", w.location.pointer, w.message))
        .collect();
    (tree, warnings)
}

/// A document with one operation `GET /p` (or `method`) holding `operation`.
fn with_operation(extra: Value, method: &str, operation: Value) -> Value {
    let mut document =
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/p": {method: operation}}});
    if let (Some(document), Value::Object(extra)) = (document.as_object_mut(), extra) {
        document.extend(extra);
    }
    document
}

#[test]
fn version_fields_are_replaced_and_extensions_kept() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1", "x-logo": "l"},
        "x-top": 1, "tags": [{"name": "pets"}], "security": [{"key": []}], "paths": {"x-paths": true}}));
    assert_eq!(
        tree,
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1", "x-logo": "l"}, "x-top": 1,
            "tags": [{"name": "pets"}], "security": [{"key": []}], "paths": {"x-paths": true}})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn servers_prefer_https_and_default_to_it() {
    let servers = |extra: Value| {
        let mut document = json!({"swagger": "2.0"});
        if let (Some(document), Value::Object(extra)) = (document.as_object_mut(), extra) {
            document.extend(extra);
        }
        let (tree, warnings) = convert(document);
        (tree.get("servers").cloned(), warnings)
    };
    let (both, _) = servers(json!({"host": "api.example.com", "basePath": "/v1/", "schemes": ["http", "https"]}));
    assert_eq!(both, Some(json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])));
    let (plain, _) = servers(json!({"host": "localhost:8080", "schemes": ["http"]}));
    assert_eq!(plain, Some(json!([{"url": "http://localhost:8080"}])));
    let (default, _) = servers(json!({"host": "api.example.com", "basePath": "/"}));
    assert_eq!(default, Some(json!([{"url": "https://api.example.com"}])));
    let (relative, _) = servers(json!({"basePath": "/api", "schemes": ["http"]}));
    assert_eq!(relative, Some(json!([{"url": "/api"}])));
    let (none, _) = servers(json!({"schemes": ["http"]}));
    assert_eq!(none, None);
    let (sockets, warnings) = servers(json!({"host": "h", "schemes": ["wss", "http"]}));
    assert_eq!(sockets, Some(json!([{"url": "http://h"}])));
    assert_eq!(warnings, ["/schemes/0: only http and https servers are supported; this scheme is dropped"]);
}

#[test]
fn definitions_become_schemas_and_references_follow_with_escaping() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "paths": {}, "definitions": {
        "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/a~1b"},
            "tags": {"type": "array", "items": {"$ref": "#/definitions/Pet%20Tag"}},
            "example": {"$ref": "#/definitions/Pet"}},
            "example": {"$ref": "#/definitions/not-a-reference"}},
        "a/b": {"type": "string"}, "Pet Tag": {"type": "string"}}}));
    let pet = &tree["components"]["schemas"]["Pet"];
    assert_eq!(pet["properties"]["owner"], json!({"$ref": "#/components/schemas/a~1b"}));
    assert_eq!(pet["properties"]["tags"]["items"], json!({"$ref": "#/components/schemas/Pet%20Tag"}));
    // A property called `example` is a schema; an `example` value is data.
    assert_eq!(pet["properties"]["example"], json!({"$ref": "#/components/schemas/Pet"}));
    assert_eq!(pet["example"], json!({"$ref": "#/definitions/not-a-reference"}));
    assert_eq!(tree["components"]["schemas"]["a/b"], json!({"type": "string"}));
    assert!(tree.get("definitions").is_none());
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn schema_keywords_that_differ() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "paths": {}, "definitions": {
        "Upload": {"type": "file"},
        "Animal": {"type": "object", "discriminator": "kind", "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "nick": {"type": "string", "x-nullable": true},
                "age": {"type": "integer", "x-nullable": false},
                "owner": {"$ref": "#/definitions/Owner", "x-nullable": true}}},
        "Owner": {"type": "object", "x-vendor": 1}}}));
    let schemas = &tree["components"]["schemas"];
    assert_eq!(schemas["Upload"], json!({"type": "string", "format": "binary"}));
    assert_eq!(schemas["Animal"]["discriminator"], json!({"propertyName": "kind"}));
    let properties = &schemas["Animal"]["properties"];
    assert_eq!(properties["nick"], json!({"type": "string", "nullable": true}));
    assert_eq!(properties["age"], json!({"type": "integer"}));
    assert_eq!(properties["owner"], json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]}));
    assert_eq!(schemas["Owner"], json!({"type": "object", "x-vendor": 1}));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn document_parameters_split_into_parameters_and_request_bodies() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "consumes": ["application/xml"],
        "parameters": {
            "Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100},
            "PetBody": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
            "Note": {"name": "note", "in": "formData", "type": "string"}},
        "paths": {"/pets": {"post": {"parameters": [
            {"$ref": "#/parameters/Limit"}, {"$ref": "#/parameters/PetBody"}], "responses": {"200": {"description": "ok"}}},
            "put": {"parameters": [{"$ref": "#/parameters/Note"}], "responses": {"200": {"description": "ok"}}}}},
        "definitions": {"Pet": {"type": "object"}}}));
    let components = &tree["components"];
    assert_eq!(
        components["parameters"],
        json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}})
    );
    assert_eq!(
        components["requestBodies"],
        json!({"PetBody": {"required": true, "content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}}}})
    );
    let post = &tree["paths"]["/pets"]["post"];
    assert_eq!(post["parameters"], json!([{"$ref": "#/components/parameters/Limit"}]));
    assert_eq!(post["requestBody"], json!({"$ref": "#/components/requestBodies/PetBody"}));
    // A shared form field is inlined into the operation's form body.
    assert_eq!(
        tree["paths"]["/pets"]["put"]["requestBody"],
        json!({"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"note": {"type": "string"}}}}}})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn shared_body_reference_follows_the_operations_consumes() {
    let (tree, _) = convert(json!({"swagger": "2.0",
        "parameters": {"PetBody": {"name": "pet", "in": "body", "description": "the pet", "schema": {"type": "object"}}},
        "paths": {"/pets": {"post": {"consumes": ["text/plain"], "parameters": [{"$ref": "#/parameters/PetBody"}],
            "responses": {"204": {"description": "ok"}}}}}}));
    assert_eq!(
        tree["paths"]["/pets"]["post"]["requestBody"],
        json!({"description": "the pet", "content": {"text/plain": {"schema": {"type": "object"}}}})
    );
}

#[test]
fn component_responses_and_references() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "produces": ["application/json", "application/xml"],
        "responses": {"NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Error"}}},
        "paths": {"/p": {"get": {"responses": {"404": {"$ref": "#/responses/NotFound"},
            "default": {"description": "e", "schema": {"$ref": "#/responses/NotFound/schema"}}}}}},
        "definitions": {"Error": {"type": "object"}}}));
    let error = json!({"schema": {"$ref": "#/components/schemas/Error"}});
    assert_eq!(
        tree["components"]["responses"]["NotFound"],
        json!({"description": "missing", "content": {"application/json": error, "application/xml": error}})
    );
    let responses = &tree["paths"]["/p"]["get"]["responses"];
    assert_eq!(responses["404"], json!({"$ref": "#/components/responses/NotFound"}));
    assert_eq!(
        responses["default"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/responses/NotFound/content/application~1json/schema"})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn security_definitions_become_schemes() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "paths": {}, "securityDefinitions": {
        "basic": {"type": "basic", "description": "user and password"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-note": 1},
        "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"read": "r"}},
        "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
        "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
        "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}},
        "odd": {"type": "oauth2", "flow": "device"}}}));
    assert_eq!(
        tree["components"]["securitySchemes"],
        json!({
            "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-note": 1},
            "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "r"}}}},
            "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a/token", "scopes": {}}}},
            "application": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}}},
            "accessCode": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}}}}
        })
    );
    assert_eq!(
        warnings,
        ["/securityDefinitions/odd: OAuth2 security scheme with flow \"device\" is not supported; dropped"]
    );
}

#[test]
fn body_parameter_becomes_request_body_per_consumes() {
    let body = json!({"parameters": [{"name": "pet", "in": "body", "required": true, "description": "a pet",
        "x-extra": 1, "schema": {"$ref": "#/definitions/Pet"}}], "responses": {"204": {"description": "ok"}}});
    let pet = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
    let expected = |content: Value| json!({"required": true, "description": "a pet", "x-extra": 1, "content": content});
    let (tree, _) = convert(with_operation(json!({}), "post", body.clone()));
    assert_eq!(tree["paths"]["/p"]["post"]["requestBody"], expected(json!({"application/json": pet})));
    let (tree, _) = convert(with_operation(json!({"consumes": ["application/xml"]}), "post", body.clone()));
    assert_eq!(tree["paths"]["/p"]["post"]["requestBody"], expected(json!({"application/xml": pet})));
    let mut own = body;
    own["consumes"] = json!(["application/json", "text/json"]);
    let (tree, warnings) = convert(with_operation(json!({"consumes": ["application/xml"]}), "post", own));
    let operation = &tree["paths"]["/p"]["post"];
    assert_eq!(operation["requestBody"], expected(json!({"application/json": pet, "text/json": pet})));
    assert!(operation.get("parameters").is_none() && operation.get("consumes").is_none());
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn form_parameters_become_an_object_body() {
    let fields = json!([
        {"name": "name", "in": "formData", "type": "string", "required": true, "description": "the name"},
        {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
    ]);
    let operation = |parameters: Value, consumes: Option<Value>| {
        let mut operation = json!({"parameters": parameters, "responses": {"204": {"description": "ok"}}});
        if let Some(consumes) = consumes {
            operation["consumes"] = consumes;
        }
        convert(with_operation(json!({}), "post", operation))
    };
    let schema = json!({"type": "object", "properties": {
        "name": {"type": "string", "description": "the name"},
        "ids": {"type": "array", "items": {"type": "integer"}}}, "required": ["name"]});
    let (tree, warnings) = operation(fields.clone(), None);
    assert_eq!(
        tree["paths"]["/p"]["post"]["requestBody"],
        json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": schema,
            "encoding": {"ids": {"style": "form", "explode": true}}}}})
    );
    assert!(warnings.is_empty(), "{warnings:?}");

    let (tree, _) = operation(fields.clone(), Some(json!(["multipart/form-data"])));
    assert_eq!(
        tree["paths"]["/p"]["post"]["requestBody"],
        json!({"required": true, "content": {"multipart/form-data": {"schema": schema}}})
    );

    let mut with_file = fields;
    if let Value::Array(items) = &mut with_file {
        items.push(json!({"name": "photo", "in": "formData", "type": "file"}));
    }
    let (tree, _) = operation(with_file, Some(json!(["application/x-www-form-urlencoded"])));
    let content = &tree["paths"]["/p"]["post"]["requestBody"]["content"];
    assert_eq!(content.as_object().map(|c| c.keys().cloned().collect::<Vec<_>>()), Some(vec![MULTIPART.to_string()]));
    assert_eq!(content[MULTIPART]["schema"]["properties"]["photo"], json!({"type": "string", "format": "binary"}));
}

#[test]
fn simple_parameters_move_value_keywords_into_schema() {
    let (tree, warnings) = convert(with_operation(
        json!({}),
        "get",
        json!({"parameters": [
        {"name": "limit", "in": "query", "description": "max", "required": false, "type": "integer", "format": "int32",
            "minimum": 1, "maximum": 100, "default": 20, "allowEmptyValue": true, "x-hint": "h"},
        {"name": "X-Id", "in": "header", "type": "string", "pattern": "^[a-z]+$", "x-nullable": true, "enum": ["a"]},
        {"name": "sort", "in": "header", "type": "string", "allowEmptyValue": true},
    ], "responses": {"204": {"description": "ok"}}}),
    ));
    let parameters = &tree["paths"]["/p"]["get"]["parameters"];
    assert_eq!(
        parameters[0],
        json!({"name": "limit", "in": "query", "description": "max", "required": false, "allowEmptyValue": true,
            "x-hint": "h", "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20}})
    );
    assert_eq!(
        parameters[1],
        json!({"name": "X-Id", "in": "header", "schema": {"type": "string", "pattern": "^[a-z]+$", "enum": ["a"], "nullable": true}})
    );
    assert_eq!(parameters[2], json!({"name": "sort", "in": "header", "schema": {"type": "string"}}));
    assert_eq!(
        warnings,
        ["/paths/~1p/get/parameters/2/allowEmptyValue: `allowEmptyValue` has no equivalent on a header parameter; dropped"]
    );
}

#[test]
fn collection_formats_become_style_and_explode() {
    let query = |format: Option<&str>| {
        let mut parameter = json!({"name": "ids", "in": "query", "type": "array", "items": {"type": "string"}});
        if let Some(format) = format {
            parameter["collectionFormat"] = json!(format);
        }
        let (tree, warnings) =
            convert(with_operation(json!({}), "get", json!({"parameters": [parameter], "responses": {}})));
        let parameter = &tree["paths"]["/p"]["get"]["parameters"][0];
        ((parameter["style"].clone(), parameter["explode"].clone()), warnings)
    };
    assert_eq!(query(None).0, (json!("form"), json!(false)));
    assert_eq!(query(Some("csv")).0, (json!("form"), json!(false)));
    assert_eq!(query(Some("multi")).0, (json!("form"), json!(true)));
    assert_eq!(query(Some("ssv")).0, (json!("spaceDelimited"), json!(false)));
    assert_eq!(query(Some("pipes")).0, (json!("pipeDelimited"), json!(false)));
    let (tsv, warnings) = query(Some("tsv"));
    assert_eq!(tsv, (json!("form"), json!(false)));
    assert_eq!(
        warnings,
        ["/paths/~1p/get/parameters/0/collectionFormat: `collectionFormat: tsv` has no OpenAPI 3 equivalent; sent comma-separated"]
    );

    let (tree, warnings) = convert(with_operation(
        json!({}),
        "get",
        json!({"parameters": [
        {"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "string"}, "collectionFormat": "csv"},
        {"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
        {"name": "grid", "in": "query", "type": "array", "items": {"type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"}},
    ], "responses": {}}),
    ));
    let parameters = &tree["paths"]["/p"]["get"]["parameters"];
    assert!(parameters[0].get("style").is_none() && parameters[1].get("style").is_none());
    assert_eq!(parameters[2]["schema"]["items"], json!({"type": "array", "items": {"type": "integer"}}));
    assert_eq!(
        warnings,
        [
            "/paths/~1p/get/parameters/1/collectionFormat: `collectionFormat: pipes` has no OpenAPI 3 equivalent for a header parameter; sent comma-separated",
            "/paths/~1p/get/parameters/2/items/collectionFormat: a nested array's `collectionFormat` cannot be expressed in OpenAPI 3; dropped",
        ]
    );
}

#[test]
fn path_level_parameters_are_converted_and_bodies_handed_down() {
    let (tree, warnings) = convert(json!({"swagger": "2.0", "paths": {"/pets/{id}": {
        "parameters": [
            {"name": "id", "in": "path", "required": true, "type": "integer", "format": "int64"},
            {"name": "pet", "in": "body", "schema": {"type": "object"}},
            {"name": "note", "in": "formData", "type": "string"}],
        "put": {"responses": {"204": {"description": "ok"}}},
        "patch": {"consumes": ["application/merge-patch+json"], "responses": {"204": {"description": "ok"}}},
        "post": {"parameters": [{"name": "other", "in": "body", "schema": {"type": "string"}}],
            "responses": {"204": {"description": "ok"}}}}}}));
    let item = &tree["paths"]["/pets/{id}"];
    assert_eq!(
        item["parameters"],
        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}])
    );
    assert_eq!(item["put"]["requestBody"], json!({"content": {"application/json": {"schema": {"type": "object"}}}}));
    assert_eq!(
        item["patch"]["requestBody"],
        json!({"content": {"application/merge-patch+json": {"schema": {"type": "object"}}}})
    );
    assert_eq!(item["post"]["requestBody"], json!({"content": {"application/json": {"schema": {"type": "string"}}}}));
    // A body and form fields together: the body wins.
    assert_eq!(
        warnings,
        [
            "/paths/~1pets~1{id}/put/parameters: both `in: body` and `in: formData` parameters; the form fields are dropped",
            "/paths/~1pets~1{id}/patch/parameters: both `in: body` and `in: formData` parameters; the form fields are dropped",
            "/paths/~1pets~1{id}/post/parameters: both `in: body` and `in: formData` parameters; the form fields are dropped",
        ]
    );
}

#[test]
fn responses_get_content_per_produces_and_header_schemas() {
    let (tree, warnings) = convert(with_operation(
        json!({"produces": ["application/xml"]}),
        "get",
        json!({
        "produces": ["application/json", "text/csv"],
        "schemes": ["http"],
        "responses": {
            "200": {"description": "ok", "schema": {"type": "array", "items": {"type": "file"}},
                "headers": {"X-Rate": {"type": "integer", "description": "left", "x-h": 1}},
                "examples": {"application/json": [1]}, "x-r": true},
            "204": {"description": "none"},
            "default": {"schema": {"type": "object"}}}}),
    ));
    let operation = &tree["paths"]["/p"]["get"];
    let items = json!({"schema": {"type": "array", "items": {"type": "string", "format": "binary"}}});
    assert_eq!(
        operation["responses"]["200"],
        json!({"description": "ok", "content": {"application/json": items, "text/csv": items},
            "headers": {"X-Rate": {"description": "left", "x-h": 1, "schema": {"type": "integer"}}}, "x-r": true})
    );
    assert_eq!(operation["responses"]["204"], json!({"description": "none"}));
    assert_eq!(
        operation["responses"]["default"],
        json!({"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "object"}}},
            "description": ""})
    );
    assert!(operation.get("produces").is_none() && operation.get("schemes").is_none());
    assert_eq!(
        warnings,
        [
            "/paths/~1p/get/schemes: per-operation `schemes` are not supported; the document's servers are used",
            "/paths/~1p/get/responses/200/examples: response examples are not converted; dropped",
        ]
    );
}

#[test]
fn malformed_input_degrades_without_panicking() {
    for tree in [
        json!(null),
        json!({"swagger": "2.0", "paths": [], "definitions": 3, "parameters": "x", "responses": [],
            "securityDefinitions": {"a": 1, "b": {"type": "digest"}}, "consumes": "json", "schemes": "http", "host": 7}),
        json!({"swagger": "2.0", "paths": {"/p": {"parameters": {}, "get": {"parameters": [1, {"in": "cookie"},
            {"name": "f", "in": "formData"}, {"in": "formData"}, {"$ref": "#/parameters/missing"}, {"$ref": 3}],
            "responses": {"200": {"schema": {"type": "file", "x-nullable": "yes", "discriminator": 4}, "headers": 1}}}}}}),
    ] {
        let (converted, _) = convert(tree);
        assert!(converted.is_null() || converted["openapi"] == json!("3.0.3"));
    }
    let (tree, warnings) = convert(with_operation(
        json!({}),
        "get",
        json!({"parameters": [
        {"name": "f", "in": "cookie", "type": "string"}, {"name": "q", "in": "query"}], "responses": {}}),
    ));
    assert_eq!(tree["paths"]["/p"]["get"]["parameters"], json!([{"name": "q", "in": "query", "schema": {}}]));
    assert_eq!(
        warnings,
        [
            "/paths/~1p/get/parameters/0/in: parameters `in: cookie` are not supported; skipped",
            "/paths/~1p/get/parameters/1: no `type`; typed as any JSON value",
        ]
    );
}

/// A small petstore, Swagger 2.0, through the whole generator.
const PETSTORE: &str = r##"
swagger: "2.0"
info: {title: Petstore, version: 1.0.0}
host: petstore.example.com
basePath: /v2
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  api_key: {type: apiKey, name: api_key, in: header}
  auth:
    type: oauth2
    flow: implicit
    authorizationUrl: https://petstore.example.com/oauth/authorize
    scopes: {"write:pets": modify pets}
parameters:
  PetId: {name: petId, in: path, required: true, type: integer, format: int64}
responses:
  NotFound: {description: not found, schema: {$ref: "#/definitions/Error"}}
paths:
  /pets:
    get:
      tags: [pets]
      operationId: findPets
      parameters:
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: limit, in: query, type: integer, format: int32, maximum: 100}
      responses:
        "200": {description: pets, schema: {type: array, items: {$ref: "#/definitions/Pet"}}}
        default: {description: error, schema: {$ref: "#/definitions/Error"}}
    post:
      tags: [pets]
      operationId: addPet
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/NewPet"}}
      responses:
        "200": {description: the pet, schema: {$ref: "#/definitions/Pet"}}
  /pets/{petId}:
    parameters:
      - $ref: "#/parameters/PetId"
    get:
      tags: [pets]
      operationId: getPetById
      responses:
        "200": {description: the pet, schema: {$ref: "#/definitions/Pet"}}
        "404": {$ref: "#/responses/NotFound"}
    post:
      tags: [pets]
      operationId: updatePetWithForm
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: name, in: formData, type: string, required: true}
        - {name: status, in: formData, type: string, enum: [available, sold]}
      responses:
        "204": {description: updated}
    delete:
      tags: [pets]
      operationId: deletePet
      parameters:
        - {name: api_key, in: header, type: string}
      responses:
        "204": {description: deleted}
definitions:
  NewPet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      tag: {type: string, x-nullable: true}
  Pet:
    allOf:
      - $ref: "#/definitions/NewPet"
      - type: object
        required: [id]
        properties:
          id: {type: integer, format: int64}
  Error:
    type: object
    required: [code, message]
    properties:
      code: {type: integer, format: int32}
      message: {type: string}
"##;

#[test]
fn petstore_swagger2_generates_end_to_end() {
    let options = crate::Options {
        layout: crate::Layout::Module { name: "petstore".into() },
        preamble: String::new(),
        mock: false,
    };
    let output = crate::generate_str(PETSTORE, "petstore.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
    let api = &output.api;
    assert_eq!(api.default_base_url.as_deref(), Some("https://petstore.example.com/v2"));
    let operations: Vec<&str> = api.operations.iter().map(|op| op.operation_id.as_str()).collect();
    assert_eq!(operations, ["findPets", "addPet", "getPetById", "updatePetWithForm", "deletePet"]);
    let listing = crate::surface::listing(api);
    for line in [
        "op find_pets (findPets) GET /pets [tag pets] () [tags: Vec<String> (query), limit: i32 (query)] -> Vec<Pet> | errors default: Error",
        "op add_pet (addPet) POST /pets [tag pets] (body: NewPet) [] -> Pet",
        "op get_pet_by_id (getPetById) GET /pets/{petId} [tag pets] (pet_id: i64) [] -> Pet | errors 404 NotFound: Error",
        "op update_pet_with_form (updatePetWithForm) POST /pets/{petId} [tag pets] (pet_id: i64, body: UpdatePetWithFormBody) [] -> ()",
        "op delete_pet (deletePet) DELETE /pets/{petId} [tag pets] (pet_id: i64) [api_key: String (header)] -> ()",
        "type NewPet struct { name: String, tag?: String }",
        "type Pet struct { name: String, tag?: String, id: i64 }",
        "type UpdatePetWithFormBody struct { name: String, status?: UpdatePetWithFormBodyStatus }",
        "type UpdatePetWithFormBodyStatus enum { available | sold }",
    ] {
        assert!(listing.lines().any(|l| l == line), "missing `{line}` in\n{listing}");
    }
    let tags = api.operations.iter().find(|op| op.operation_id == "findPets").and_then(|op| op.params.first());
    assert!(tags.is_some_and(|p| p.explode), "collectionFormat: multi is exploded");
    let form = api.operations.iter().find(|op| op.operation_id == "updatePetWithForm").and_then(|op| op.body.as_ref());
    assert!(form.is_some_and(|b| b.encoding == crate::model::BodyEncoding::Form && b.required), "{listing}");
    assert!(listing.contains("type Error struct { code: i32, message: String }"), "{listing}");
    assert!(output.files.values().any(|code| code.contains("pub async fn send")), "code is generated");
    let warnings: Vec<String> = output.report.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}
