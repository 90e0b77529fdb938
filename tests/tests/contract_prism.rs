//! Contract tests: every operation of both generated clients against Prism,
//! a mock server that validates each request against the spec.
//!
//! One test per API starts Prism once (`prism mock --errors spec/<api>.yaml`)
//! and calls every operation in turn with values that satisfy the spec
//! (required fields, enums, formats, the `X-IBM-Consumer-Context` pattern),
//! asserting that the call returns `Ok` with the typed model decoded, with a
//! status the spec documents, and that Prism saw no violation (no
//! `sl-violations` header; with `--errors` a violating request would also
//! get an error status). The IBM test then asks Prism for documented error
//! statuses (`Prefer: code=N`) and checks the typed error body. Finally each
//! test compares the operationIds it called with those in the spec and fails
//! listing any operation no call exercised.
//!
//! Prism serves the spec's `paths` at the root of its port: it ignores the
//! path of the `servers` URL, so the IBM client's base URL is the bare Prism
//! URL, without `/consumer-api`.
//!
//! Skipped (with a message, not failed) when Prism is not installed in
//! `tools/node_modules`; `cargo xtask test` always installs it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::time::Instant;

use api_clients::api_connect::ClientBuilderExt as _;
use api_clients::runtime::{Error, ErrorKind, OperationError, Response, RetryPolicy};
use api_clients::{api_connect, apono};
use integration_tests::prism::{spec_operations, Prism, SpecOperation, VIOLATIONS_HEADER};
use reqwest::StatusCode;
use serde_json::json;

const TOKEN: &str = "test-token";
/// `<provider-org>.<catalog>`, matching the spec's pattern `^[^.]+\.[^.]+$`.
const CONSUMER_CONTEXT: &str = "acme.sandbox";

const APONO_SPEC: &str = "spec/apono.yaml";
const IBM_SPEC: &str = "spec/api-connect.yaml";

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

fn string_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect()
}

fn json_map(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

/// A short description of a failed call, with Prism's violations if any.
fn describe(err: &Error) -> String {
    match err.kind() {
        ErrorKind::Api(api) => {
            let violations = api
                .headers
                .get(VIOLATIONS_HEADER)
                .map(|v| format!(", {VIOLATIONS_HEADER}: {}", String::from_utf8_lossy(v.as_bytes())))
                .unwrap_or_default();
            format!("status {}{violations}, body: {}", api.status, api.snippet())
        }
        ErrorKind::Decode(decode) => {
            format!("decode error at `{}`: {} (body: {})", decode.path, decode.source, decode.snippet)
        }
        _ => format!("{err} ({err:?})"),
    }
}

/// The error-enum case the spec's documented statuses are named by.
fn reason_case(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        408 => "RequestTimeout",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        503 => "ServiceUnavailable",
        _ => "Other",
    }
}

/// What one API's contract run has seen: the operations called, the
/// violations and the failures, checked against the spec at the end.
struct Contract {
    api: &'static str,
    spec_path: &'static str,
    spec: BTreeMap<String, SpecOperation>,
    exercised: BTreeSet<&'static str>,
    calls: usize,
    error_checks: usize,
    violations: usize,
    failures: Vec<String>,
}

impl Contract {
    fn new(api: &'static str, spec_path: &'static str) -> Self {
        Contract {
            api,
            spec_path,
            spec: spec_operations(spec_path),
            exercised: BTreeSet::new(),
            calls: 0,
            error_checks: 0,
            violations: 0,
            failures: Vec::new(),
        }
    }

    fn record(&mut self, id: &'static str) -> Option<&SpecOperation> {
        self.exercised.insert(id);
        self.calls += 1;
        let operation = self.spec.get(id);
        if operation.is_none() {
            self.failures.push(format!("{id}: recorded, but {} has no such operationId", self.spec_path));
        }
        operation
    }

    /// Counts and reports Prism's violations on a response.
    fn check_violations(&mut self, id: &str, headers: &reqwest::header::HeaderMap) {
        if let Some(value) = headers.get(VIOLATIONS_HEADER) {
            self.violations += 1;
            self.failures.push(format!(
                "{id}: Prism reported {VIOLATIONS_HEADER}: {}",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
    }

    /// Counts Prism's violations on an error (which [`describe`] reports).
    fn count_violations(&mut self, err: &Error) {
        if let Some(api) = err.as_api_error() {
            if api.headers.contains_key(VIOLATIONS_HEADER) {
                self.violations += 1;
            }
        }
    }

    /// A call that must succeed: `Ok`, decoded, with a documented status and
    /// without violations. Returns the decoded body.
    fn ok<T: Debug, E: OperationError>(
        &mut self,
        id: &'static str,
        result: Result<Response<T>, Error<E>>,
    ) -> Option<T> {
        let result = result.map_err(Error::from);
        let documented = self.record(id).map(|op| op.statuses.clone()).unwrap_or_default();
        match result {
            Ok(response) => {
                self.check_violations(id, &response.headers);
                if !documented.iter().any(|s| s == response.status.as_str()) {
                    self.failures.push(format!(
                        "{id}: status {} is not documented (documented: {documented:?})",
                        response.status
                    ));
                }
                Some(response.body)
            }
            Err(err) => {
                self.count_violations(&err);
                self.failures.push(format!("{id}: expected Ok, got {}", describe(&err)));
                None
            }
        }
    }

    /// An operation whose only documented outcome is a `302` redirect: the
    /// generated code returns it as `Ok` (sent with a client that does not
    /// follow redirects). Checks that status, a `Location` header and the
    /// absence of violations.
    fn redirect<E: OperationError>(&mut self, id: &'static str, result: Result<Response<()>, Error<E>>) {
        let result = result.map_err(Error::from);
        let documented = self.record(id).map(|op| op.statuses.clone()).unwrap_or_default();
        assert!(
            documented.iter().all(|s| !s.starts_with('2')),
            "{id} now documents a 2xx status: test it with `ok` instead"
        );
        match result {
            Ok(response) if response.status == StatusCode::FOUND => {
                self.check_violations(id, &response.headers);
                if !response.headers.contains_key(reqwest::header::LOCATION) {
                    self.failures.push(format!("{id}: 302 without a Location header"));
                }
            }
            Ok(response) => {
                self.failures.push(format!("{id}: expected the documented 302, got Ok with status {}", response.status))
            }
            Err(err) => {
                self.count_violations(&err);
                self.failures.push(format!("{id}: expected the documented 302, got {}", describe(&err)));
            }
        }
    }

    /// A call made with `Prefer: code=<expected>`: must fail with
    /// an API error of that status, whose case in the operation's error enum
    /// is the one named `case` and carries the typed error body `B`.
    fn api_error<T: Debug, E: OperationError, B: Debug + 'static>(
        &mut self,
        id: &'static str,
        expected: u16,
        result: Result<Response<T>, Error<E>>,
        body_status: impl Fn(&B) -> Option<i64>,
    ) {
        let result = result.map_err(Error::from);
        self.calls += 1;
        self.error_checks += 1;
        let documented = self.spec.get(id).map(|op| op.statuses.clone()).unwrap_or_default();
        let code = expected.to_string();
        if !documented.iter().any(|s| *s == code || s == "default") {
            self.failures.push(format!("{id}: status {expected} is not documented (documented: {documented:?})"));
        }
        match &result {
            Err(err)
                if err
                    .as_api_error()
                    .is_some_and(|api: &api_clients::runtime::ApiError| api.status.as_u16() == expected) =>
            {
                let Some(api) = err.as_api_error() else { return };
                self.check_violations(id, &api.headers);
                let case = api.error.downcast_ref::<E>().map(E::case).unwrap_or_default();
                // A status the spec does not list is the operation's `default` case.
                let expected_case = if documented.contains(&code) { reason_case(expected) } else { "Default" };
                if case != expected_case {
                    self.failures.push(format!("{id} ({expected}): error case `{case}`, expected `{expected_case}`"));
                }
                match api.error.downcast_ref::<E>().and_then(E::body).and_then(|body| body.downcast_ref::<B>()) {
                    Some(body) if body_status(body).is_some() => {}
                    Some(body) => {
                        self.failures.push(format!("{id} ({expected}): typed error body without status: {body:?}"))
                    }
                    None => {
                        self.failures.push(format!("{id} ({expected}): no typed error body; body: {}", api.snippet()))
                    }
                }
            }
            Err(err) => {
                self.count_violations(err);
                self.failures.push(format!("{id}: expected status {expected}, got {}", describe(err)));
            }
            Ok(response) => {
                self.failures.push(format!("{id}: expected status {expected}, got Ok with status {}", response.status))
            }
        }
    }

    /// Fails listing every spec operation no call exercised (and every
    /// failure seen); prints the counts.
    fn finish(self, prism: &Prism, started: Instant) {
        let missing: Vec<&str> =
            self.spec.keys().map(String::as_str).filter(|id| !self.exercised.contains(id)).collect();
        let exercised = self.spec.keys().filter(|id| self.exercised.contains(id.as_str())).count();
        println!(
            "{}: {exercised}/{} operations exercised against Prism ({} calls, {} of them \
             documented error statuses), {} violations, {:.1} s",
            self.api,
            self.spec.len(),
            self.calls,
            self.error_checks,
            self.violations,
            started.elapsed().as_secs_f64()
        );
        let mut problems = self.failures;
        if !missing.is_empty() {
            problems.push(format!(
                "operations of {} that no contract call exercised: {}",
                self.spec_path,
                missing.join(", ")
            ));
        }
        if !problems.is_empty() {
            let log = prism.log();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            panic!(
                "{} contract failures for {}:\n  {}\n--- last lines of Prism's log ---\n{}",
                problems.len(),
                self.api,
                problems.join("\n  "),
                tail.join("\n")
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn apono_client_matches_spec_under_prism() {
    use apono::types as t;

    let started = Instant::now();
    let Some(prism) = Prism::start(APONO_SPEC) else {
        return;
    };
    let client = apono::Client::builder()
        .base_url(prism.base_url())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("build the Apono client");
    let mut c = Contract::new("apono", APONO_SPEC);

    // ---- Integrations (admin v4) ----
    // Array filters with one value and with several: both are one exploded
    // `name=value` pair per element.
    c.ok(
        "listIntegrationsV4",
        client
            .list_integrations_v4()
            .category(["DATABASE", "CLOUD"])
            .connector_id(["conn-1"])
            .limit(50)
            .name("*prod*")
            .page_token("next-page")
            .status(["Active", "Warning"])
            .r#type(["postgresql", "mysql"])
            .send_with_response()
            .await,
    );
    let create_v4 = t::CreateIntegrationV4::new(
        "prod-postgres",
        "postgresql",
        json_map(json!({"hostname": "db.internal", "port": "5432", "dbname": "postgres"})),
    )
    .connector_id("conn-1")
    .secret_store_config(t::SecretStoreConfigV4::new().aws(t::AwsSecretConfigV4::new("us-east-1", "prod/postgres")))
    .connected_resource_types(strings(&["postgresql-database"]))
    .custom_access_details("Connect through the bastion host.")
    .owner(t::UpsertOwnerV4::new("group", strings(&["dba-team"])).source_integration_reference("okta"))
    .owners_mapping(t::UpsertOwnerMappingV4::new("owner", "user"));
    c.ok("createIntegrationV4", client.create_integration_v4(create_v4).send_with_response().await);
    c.ok("getIntegrationV4", client.get_integration_v4("int-1").send_with_response().await);
    let update_v4 = t::UpdateIntegrationV4::new("prod-postgres-renamed", json_map(json!({"hostname": "db2.internal"})))
        .secret_store_config(
            t::SecretStoreConfigV4::new().kubernetes(t::KubernetesSecretConfigV4::new("apono", "postgres-credentials")),
        )
        .owner(t::UpsertOwnerV4::new("user", strings(&["jane@example.com"])));
    c.ok("updateIntegrationV4", client.update_integration_v4("int-1", update_v4).send_with_response().await);
    c.ok("deleteIntegrationV4", client.delete_integration_v4("int-1").send_with_response().await);

    // ---- Integrations (v2, catalog, v3 resources) ----
    c.ok("listIntegrationsV2", client.list_integrations_v2().send_with_response().await);
    let create_v2 =
        t::CreateIntegrationV2::new("prod-mysql", "mysql", json_map(json!({"hostname": "db.internal", "port": 3306})))
            .provisioner_id("conn-1")
            .connected_resource_types(strings(&["mysql-database"]))
            .custom_access_details("Use the VPN.");
    c.ok("createIntegrationV2", client.create_integration_v2(create_v2).send_with_response().await);
    c.ok("listIntegrationConfigs", client.list_integration_configs().send_with_response().await);
    c.ok("getIntegrationConfig", client.get_integration_config("postgresql").send_with_response().await);
    c.ok("getIntegrationV2", client.get_integration_v2("int-2").send_with_response().await);
    let update_v2 =
        t::UpdateIntegrationV2::new("prod-mysql-renamed", json_map(json!({"port": 3307}))).provisioner_id("conn-2");
    c.ok("updateIntegrationV2", client.update_integration_v2("int-2", update_v2).send_with_response().await);
    c.ok("deleteIntegrationV2", client.delete_integration_v2("int-2").send_with_response().await);
    c.ok("refreshIntegrationV2", client.refresh_integration_v2("int-2").send_with_response().await);
    c.ok("getResourceUserTags", client.get_resource_user_tags("res-1").send_with_response().await);
    let tags = t::UpdateResourceUserTagsRequest::new(string_map(&[("env", "prod"), ("team", "data")]));
    c.ok("updateResourceUserTags", client.update_resource_user_tags("res-1", tags).send_with_response().await);
    c.ok(
        "getIntegrationPermissions",
        client.get_integration_permissions("int-1").resource_type("database").send_with_response().await,
    );
    c.ok(
        "getIntegrationResources",
        client.get_integration_resources("int-1").resource_type("database").send_with_response().await,
    );

    // ---- Connectors ----
    c.ok(
        "listConnectorsV3",
        client.list_connectors_v3().limit(10).page_token("next-page").status(["CONNECTED"]).send_with_response().await,
    );
    c.ok("getConnectorV3", client.get_connector_v3("conn-1").send_with_response().await);
    c.ok(
        "updateConnectorV3",
        client.update_connector_v3("conn-1", t::UpdateConnectorV3::new("eu-connector")).send_with_response().await,
    );
    c.ok("deleteConnectorV3", client.delete_connector_v3("conn-1").send_with_response().await);
    c.ok("listConnectorsV2", client.list_connectors_v2().send_with_response().await);

    // ---- Access requests ----
    c.ok(
        "listAccessRequests",
        client.list_access_requests().days_offset(7).user_id("user-1").send_with_response().await,
    );
    let request = t::CreateAccessRequest::builder()
        .user_id("user-1")
        .integration_id("int-1")
        .resource_ids(strings(&["res-1", "res-2"]))
        .permissions(strings(&["read"]))
        .justification("Investigating incident 42")
        .duration_in_sec(3600)
        .build()
        .expect("every required field is set");
    c.ok("createAccessRequest", client.create_access_request(request).send_with_response().await);
    c.ok(
        "bulkRevokeAccessRequests",
        client
            .bulk_revoke_access_requests(t::BulkRevokeAccessRequests::new(strings(&["req-1", "req-2"])))
            .send_with_response()
            .await,
    );
    c.ok("getAccessRequest", client.get_access_request("req-1").send_with_response().await);
    c.ok("getAccessRequestAccessDetails", client.get_access_request_access_details("req-1").send_with_response().await);
    c.ok("resetAccessRequestCredentials", client.reset_access_request_credentials("req-1").send_with_response().await);

    // ---- Selectable integrations ----
    c.ok(
        "listSelectableIntegrations",
        client.list_selectable_integrations().user_id("user-1").send_with_response().await,
    );
    c.ok(
        "listSelectableResourceTypes",
        client.list_selectable_resource_types("int-1").user_id("user-1").send_with_response().await,
    );
    c.ok(
        "listSelectablePermissions",
        client.list_selectable_permissions("int-1", "database").user_id("user-1").send_with_response().await,
    );
    c.ok(
        "listSelectableResources",
        client.list_selectable_resources("int-1", "database").user_id("user-1").send_with_response().await,
    );

    c.finish(&prism, started);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_connect_client_matches_spec_under_prism() {
    use api_connect::types as t;

    let started = Instant::now();
    let Some(prism) = Prism::start(IBM_SPEC) else {
        return;
    };
    let builder = || {
        api_connect::Client::builder()
            .base_url(prism.base_url())
            .bearer_token(TOKEN)
            .x_ibm_consumer_context(CONSUMER_CONTEXT)
            .retry(RetryPolicy::disabled())
    };
    let client = builder().build().expect("build the IBM client");
    let mut c = Contract::new("api-connect", IBM_SPEC);

    const ORG: &str = "acme-dev";
    const APP: &str = "weather-app";
    const CREDENTIAL: &str = "cred-1";
    const SUBSCRIPTION: &str = "sub-1";
    const INVITATION: &str = "inv-1";
    const REGISTRY: &str = "sandbox-idp";
    const REALM: &str = "consumer:acme:sandbox/sandbox-idp";
    let role_urls = strings(&["https://api.example.com/consumer-api/orgs/acme-dev/roles/developer"]);
    let product_url = "https://api.example.com/consumer-api/products/weather/1.0.0";
    let new_user = || {
        t::UserRegistration::new()
            .realm(REALM)
            .username("jdoe")
            .password("Passw0rd!")
            .first_name("Jane")
            .last_name("Doe")
            .email("jane.doe@example.com")
    };

    // ---- Authentication ----
    // The password grant, then the refresh grant; once anonymously (the
    // client credentials travel in the body) and once with the portal's
    // `X-IBM-Client-Id`/`X-IBM-Client-Secret` headers configured.
    let password_grant = || {
        t::TokenRequest::new(t::TokenRequestGrantType::Password, "portal-client", "portal-secret")
            .realm(REALM)
            .username("jdoe")
            .password("Passw0rd!")
    };
    let anonymous = api_connect::Client::builder()
        .base_url(prism.base_url())
        .x_ibm_consumer_context(CONSUMER_CONTEXT)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("build the anonymous IBM client");
    c.ok("createToken", anonymous.create_token(password_grant()).send_with_response().await);
    let with_client_id = builder().api_key("portal-client").build().expect("build the IBM client with a client id");
    c.ok("createToken", with_client_id.create_token(password_grant()).send_with_response().await);
    let refresh = t::TokenRequest::new(t::TokenRequestGrantType::RefreshToken, "portal-client", "portal-secret")
        .refresh_token("refresh-1");
    c.ok("createToken", anonymous.create_token(refresh).send_with_response().await);

    // ---- Permissions ----
    c.ok(
        "listPermissions",
        client.list_permissions().limit(10).offset(0).fields("name,title").send_with_response().await,
    );
    c.ok("getOrgPermission", client.get_org_permission("member:manage").fields("name").send_with_response().await);
    c.ok("getConsumerPermission", client.get_consumer_permission("app:manage").send_with_response().await);

    // ---- Organizations ----
    let org_update = t::ConsumerOrgUpdate::new()
        .title("Acme Developers")
        .summary("Everyone building on the weather API")
        .state(t::ConsumerOrgUpdateState::Enabled)
        .metadata(string_map(&[("tier", "\"gold\"")]));
    c.ok("updateOrg", client.update_org(ORG, org_update).fields("name,title").send_with_response().await);
    c.ok("deleteOrg", client.delete_org(ORG).send_with_response().await);
    c.ok("deleteOrg", client.delete_org(ORG).cascade(true).send_with_response().await);

    // ---- Invitations ----
    let org_invitation = || t::OrgInvitationRequest::new(new_user()).org(t::OrgTitle::new("Acme Developers"));
    c.ok(
        "registerOrgInvitation",
        client.register_org_invitation(INVITATION, org_invitation()).send_with_response().await,
    );
    c.ok("acceptOrgInvitation", client.accept_org_invitation(INVITATION, org_invitation()).send_with_response().await);
    // With the portal's client id configured too, the invitation calls send
    // it beside the invitation token.
    c.ok(
        "acceptOrgInvitation",
        with_client_id.accept_org_invitation(INVITATION, org_invitation()).send_with_response().await,
    );
    let invite = t::MemberInvitationCreate::new("new.dev@example.com")
        .role_urls(role_urls.clone())
        .notify(true)
        .title("New developer");
    c.ok("createMemberInvitation", client.create_member_invitation(ORG, invite).send_with_response().await);
    c.ok("listMemberInvitations", client.list_member_invitations(ORG).limit(5).offset(5).send_with_response().await);
    c.ok(
        "getMemberInvitation",
        client.get_member_invitation(ORG, INVITATION).fields("email,role_urls").send_with_response().await,
    );
    c.ok("deleteMemberInvitation", client.delete_member_invitation(ORG, INVITATION).send_with_response().await);
    // The request body is optional: once without, once with.
    c.ok("regenerateMemberInvitation", client.regenerate_member_invitation(ORG, INVITATION).send_with_response().await);
    c.ok(
        "regenerateMemberInvitation",
        client
            .regenerate_member_invitation(ORG, INVITATION)
            .body(t::MemberInvitationRegenerate::new().notify(false))
            .send_with_response()
            .await,
    );
    c.ok(
        "registerMemberInvitation",
        client.register_member_invitation(ORG, INVITATION, new_user()).send_with_response().await,
    );
    let accept = t::MemberInvitationAcceptRequest::new("jdoe").realm(REALM).password("Passw0rd!");
    c.ok("acceptMemberInvitation", client.accept_member_invitation(ORG, INVITATION, accept).send_with_response().await);

    // ---- Associates, members, roles ----
    c.ok("getAssociate", client.get_associate(ORG, "jdoe").fields("username").send_with_response().await);
    c.ok("getMember", client.get_member(ORG, "jdoe").send_with_response().await);
    let member_update = t::MemberUpdate::new().role_urls(role_urls.clone()).state(t::MemberUpdateState::Enabled);
    c.ok("updateMember", client.update_member(ORG, "jdoe", member_update).send_with_response().await);
    c.ok("deleteMember", client.delete_member(ORG, "jdoe").cascade(false).send_with_response().await);
    let role_update = t::RoleUpdate::new()
        .title("Developer")
        .permission_urls(strings(&["https://api.example.com/consumer-api/consumer/permissions/consumer/app:view"]));
    c.ok("updateRole", client.update_role(ORG, "developer", role_update).send_with_response().await);
    c.ok("deleteRole", client.delete_role(ORG, "developer").send_with_response().await);

    // ---- Payment methods, billing ----
    c.ok("getPaymentMethod", client.get_payment_method(ORG, "card-1").send_with_response().await);
    let payment =
        t::PaymentMethodUpdate::new().title("Company card").configuration(json_map(json!({"token": "tok_visa"})));
    c.ok("updatePaymentMethod", client.update_payment_method(ORG, "card-1", payment).send_with_response().await);
    c.ok("getBilling", client.get_billing(ORG, "stripe").send_with_response().await);

    // ---- User registries, identity providers ----
    c.ok("getUserRegistry", client.get_user_registry(REGISTRY).fields("name,title").send_with_response().await);
    let search = t::UserSearchRequest::new().username("jdoe").email("jane.doe@example.com").remote(false);
    c.ok(
        "searchUserRegistry",
        client.search_user_registry(REGISTRY, search).limit(10).offset(0).send_with_response().await,
    );
    c.ok("getUser", client.get_user(REGISTRY, "jdoe").send_with_response().await);
    c.ok("listIdentityProviders", client.list_identity_providers().limit(10).offset(0).send_with_response().await);

    // ---- OAuth redirect ----
    // The only documented outcome is a 302, which the operation returns
    // rather than follows (Prism's generated `Location: string` is a
    // relative URL, /oauth2/string, that Prism would answer with 404): the
    // default client, with its same-origin redirect policy, gets the 302.
    // `Ok` carries the status and the `Location` header.
    c.redirect(
        "getOauth2Redirect",
        client.get_oauth2_redirect().code("auth-code").state("opaque-state").send_with_response().await,
    );
    c.redirect(
        "postOauth2Redirect",
        client
            .post_oauth2_redirect(t::OauthRedirectForm::new().code("auth-code").state("opaque-state"))
            .send_with_response()
            .await,
    );

    // ---- Products ----
    c.ok(
        "listPublicProducts",
        client.list_public_products().limit(20).offset(0).fields("add(product)").send_with_response().await,
    );
    c.ok("getPublicProduct", client.get_public_product("weather", "1.0.0").send_with_response().await);
    c.ok("getPublicProductDocument", client.get_public_product_document("weather", "1.0.0").send_with_response().await);
    c.ok("listProducts", client.list_products().limit(20).send_with_response().await);
    c.ok("getProduct", client.get_product("weather", "1.0.0").fields("add(product)").send_with_response().await);
    c.ok("getProductDocument", client.get_product_document("weather", "1.0.0").send_with_response().await);

    // ---- APIs ----
    c.ok(
        "getPublicApi",
        client.get_public_api("weather-api", "1.0.0").fields("add(api,wsdl)").send_with_response().await,
    );
    c.ok("getPublicApiDocument", client.get_public_api_document("weather-api", "1.0.0").send_with_response().await);
    c.ok(
        "getPublicApiWsdl",
        client
            .get_public_api_wsdl("weather-api", "1.0.0")
            .endpoint("https://gateway.example.com/weather")
            .send_with_response()
            .await,
    );
    c.ok("getApi", client.get_api("weather-api", "1.0.0").send_with_response().await);
    c.ok("getApiDocument", client.get_api_document("weather-api", "1.0.0").send_with_response().await);
    c.ok("getApiWsdl", client.get_api_wsdl("weather-api", "1.0.0").send_with_response().await);

    // ---- Applications ----
    let app_create = t::ApplicationCreate::new()
        .name(APP)
        .title("Weather app")
        .summary("Shows the weather")
        .state(t::ApplicationCreateState::Enabled)
        .lifecycle_state(t::ApplicationCreateLifecycleState::Development)
        .redirect_endpoints(strings(&["https://weather.example.com/callback"]))
        .metadata(string_map(&[("team", "\"frontend\"")]));
    c.ok("createApp", client.create_app(ORG, app_create).send_with_response().await);
    c.ok("listApps", client.list_apps(ORG).limit(10).offset(0).fields("name").send_with_response().await);
    c.ok("getApp", client.get_app(ORG, APP).send_with_response().await);
    let app_update = t::ApplicationUpdate::new()
        .title("Weather app (prod)")
        .lifecycle_state(t::ApplicationUpdateLifecycleState::Production);
    c.ok("updateApp", client.update_app(ORG, APP, app_update).send_with_response().await);
    c.ok("deleteApp", client.delete_app(ORG, APP).send_with_response().await);
    c.ok("getApplicationType", client.get_application_type("confidential").fields("name").send_with_response().await);

    // ---- Credentials ----
    let credential =
        t::CredentialCreate::new().title("CI credential").client_id("client-123").client_secret("secret-456");
    c.ok("createCredential", client.create_credential(ORG, APP, credential).send_with_response().await);
    c.ok("listCredentials", client.list_credentials(ORG, APP).limit(10).send_with_response().await);
    c.ok("getCredential", client.get_credential(ORG, APP, CREDENTIAL).send_with_response().await);
    let credential_update = t::CredentialUpdate::new().summary("Rotated quarterly");
    c.ok(
        "updateCredential",
        client.update_credential(ORG, APP, CREDENTIAL, credential_update).send_with_response().await,
    );
    c.ok("deleteCredential", client.delete_credential(ORG, APP, CREDENTIAL).send_with_response().await);
    c.ok("resetCredential", client.reset_credential(ORG, APP, CREDENTIAL).send_with_response().await);
    c.ok(
        "resetCredentialClientSecret",
        client.reset_credential_client_secret(ORG, APP, CREDENTIAL).send_with_response().await,
    );
    c.ok(
        "verifyCredentialClientSecret",
        client
            .verify_credential_client_secret(
                ORG,
                APP,
                CREDENTIAL,
                t::ClientSecretVerification::new("secret-456").client_id("client-123"),
            )
            .send_with_response()
            .await,
    );

    // ---- Subscriptions ----
    let subscription = t::SubscriptionCreate::new(product_url, "default-plan")
        .title("Weather, default plan")
        .state(t::SubscriptionState::Enabled);
    c.ok("createSubscription", client.create_subscription(ORG, APP, subscription).send_with_response().await);
    c.ok("listSubscriptions", client.list_subscriptions(ORG, APP).limit(10).offset(0).send_with_response().await);
    c.ok("getSubscription", client.get_subscription(ORG, APP, SUBSCRIPTION).send_with_response().await);
    let subscription_update = t::SubscriptionUpdate::new().plan("gold-plan");
    c.ok(
        "updateSubscription",
        client.update_subscription(ORG, APP, SUBSCRIPTION, subscription_update).send_with_response().await,
    );
    c.ok("deleteSubscription", client.delete_subscription(ORG, APP, SUBSCRIPTION).send_with_response().await);

    // ---- Documented error statuses, through `Prefer: code=N` ----
    // Retries are disabled, so 408/429/503 come back at once.
    let prefer = |code: u16| {
        builder()
            .default_header("Prefer", format!("code={code}"))
            .build()
            .expect("build the IBM client with a Prefer header")
    };
    let status = |e: &t::Error| e.status;
    let not_found = prefer(404);
    c.api_error("listPermissions", 404, not_found.list_permissions().send_with_response().await, status);
    c.api_error("getApp", 404, not_found.get_app(ORG, "missing").send_with_response().await, status);
    c.api_error("getCredential", 404, not_found.get_credential(ORG, APP, "missing").send_with_response().await, status);
    c.api_error(
        "deleteSubscription",
        404,
        not_found.delete_subscription(ORG, APP, "missing").send_with_response().await,
        status,
    );
    c.api_error(
        "getPublicProduct",
        404,
        not_found.get_public_product("missing", "1.0.0").send_with_response().await,
        status,
    );
    c.api_error("getOauth2Redirect", 404, not_found.get_oauth2_redirect().code("x").send_with_response().await, status);
    c.api_error(
        "createApp",
        400,
        prefer(400).create_app(ORG, t::ApplicationCreate::new().title("x")).send_with_response().await,
        status,
    );
    c.api_error("listApps", 401, prefer(401).list_apps(ORG).send_with_response().await, status);
    c.api_error(
        "updateMember",
        403,
        prefer(403).update_member(ORG, "jdoe", t::MemberUpdate::new().title("x")).send_with_response().await,
        status,
    );
    c.api_error(
        "createSubscription",
        409,
        prefer(409)
            .create_subscription(ORG, APP, t::SubscriptionCreate::new(product_url, "default-plan"))
            .send_with_response()
            .await,
        status,
    );
    c.api_error(
        "createToken",
        401,
        prefer(401)
            .create_token(t::TokenRequest::new(t::TokenRequestGrantType::Password, "portal-client", "wrong"))
            .send_with_response()
            .await,
        status,
    );
    c.api_error("listProducts", 408, prefer(408).list_products().send_with_response().await, status);
    c.api_error("getProduct", 429, prefer(429).get_product("weather", "1.0.0").send_with_response().await, status);
    c.api_error("listCredentials", 500, prefer(500).list_credentials(ORG, APP).send_with_response().await, status);
    // An undocumented status: the `default` response, same error schema.
    c.api_error("getBilling", 503, prefer(503).get_billing(ORG, "stripe").send_with_response().await, status);

    c.finish(&prism, started);
}
