//! `spec/COVERAGE.md` lists every documented method and path with its
//! operationId; the specs and the table must agree both ways.

use std::collections::BTreeSet;

use integration_tests::workspace_root;
use xtask::apis::APIS;

type Row = (String, String, String, String);

fn coverage_rows() -> BTreeSet<Row> {
    let text = std::fs::read_to_string(workspace_root().join("spec/COVERAGE.md")).expect("spec/COVERAGE.md");
    text.lines()
        .filter(|line| APIS.iter().any(|api| line.starts_with(&format!("| {} ", api.name))))
        .map(|line| {
            let cells: Vec<String> = line.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect();
            assert_eq!(cells.len(), 5, "malformed row: {line}");
            // The last cell says where the operation is documented.
            assert!(cells[4].starts_with("page") || cells[4].starts_with("other: "), "row without a source: {line}");
            (cells[0].clone(), cells[1].clone(), cells[2].clone(), cells[3].clone())
        })
        .collect()
}

fn spec_rows(api: &str) -> BTreeSet<Row> {
    let entry = APIS.iter().find(|entry| entry.name == api).unwrap_or_else(|| panic!("{api} is not registered"));
    let path = workspace_root().join(entry.spec);
    let text = std::fs::read_to_string(&path).expect("spec file");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec parses");
    let mut rows = BTreeSet::new();
    let paths = doc["paths"].as_mapping().expect("paths");
    for (path, item) in paths {
        let path = path.as_str().expect("path key");
        for (method, op) in item.as_mapping().expect("path item") {
            let method = method.as_str().unwrap_or_default();
            if !["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method) {
                continue;
            }
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            rows.insert((api.to_string(), method.to_uppercase(), path.to_string(), id.to_string()));
        }
    }
    rows
}

#[test]
fn coverage_table_and_specs_agree() {
    let table = coverage_rows();
    let specs: BTreeSet<Row> = APIS.iter().flat_map(|api| spec_rows(api.name)).collect();
    let missing_from_specs: Vec<&Row> = table.difference(&specs).collect();
    let missing_from_table: Vec<&Row> = specs.difference(&table).collect();
    assert!(missing_from_specs.is_empty(), "documented but not in the specs: {missing_from_specs:#?}");
    assert!(missing_from_table.is_empty(), "in the specs but not in spec/COVERAGE.md: {missing_from_table:#?}");
}

#[test]
fn documented_operation_counts() {
    let specs_apono = spec_rows("apono");
    let specs_connect = spec_rows("api-connect");
    // Apono: 32 documented operations. IBM: 56 distinct method + path lines in the
    // documentation page, plus create/list applications and subscriptions and
    // the token operation.
    assert_eq!(specs_apono.len(), 32);
    assert_eq!(specs_connect.len(), 61);
    let all: Vec<Row> = APIS.iter().flat_map(|api| spec_rows(api.name)).collect();
    let ids: BTreeSet<&String> = all.iter().map(|row| &row.3).collect();
    assert_eq!(ids.len(), all.len(), "operationIds are unique across the APIs");
}

#[test]
fn documented_constraints_are_in_the_specs() {
    let apono = std::fs::read_to_string(workspace_root().join("spec/apono.yaml")).expect("apono spec");
    let doc: serde_yaml::Value = serde_yaml::from_str(&apono).expect("parses");
    let custom = &doc["components"]["schemas"]["CreateIntegrationV4"]["properties"]["custom_access_details"];
    assert_eq!(custom["maxLength"].as_u64(), Some(400), "custom_access_details is at most 400 characters");
    let limit = &doc["components"]["parameters"]["Limit"]["schema"];
    assert_eq!(limit["default"].as_u64(), Some(100), "list limit defaults to 100");
}

#[test]
fn ibm_length_limits_are_in_the_spec() {
    let text = std::fs::read_to_string(workspace_root().join("spec/api-connect.yaml")).expect("api-connect spec");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("parses");
    let org = &doc["components"]["schemas"]["ConsumerOrg"]["properties"];
    assert_eq!(org["name"]["maxLength"].as_u64(), Some(255));
    assert_eq!(org["title"]["maxLength"].as_u64(), Some(1023));
    assert_eq!(org["summary"]["maxLength"].as_u64(), Some(65535));
}
