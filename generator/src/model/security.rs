//! Security requirements per operation: alternatives of AND-sets of
//! schemes, the operation's own `security` overriding the document's.

use openapiv3::{ReferenceOr, SecurityRequirement};

use super::build::Builder;
use super::SecurityScheme;

/// How the client applies a declared scheme.
pub(super) fn scheme_of(scheme: &openapiv3::SecurityScheme) -> SecurityScheme {
    use openapiv3::{APIKeyLocation, SecurityScheme as Spec};
    match scheme {
        Spec::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => SecurityScheme::Basic,
        Spec::HTTP { .. } | Spec::OAuth2 { .. } | Spec::OpenIDConnect { .. } => SecurityScheme::Bearer,
        Spec::APIKey { location, name, .. } => match location {
            APIKeyLocation::Header => SecurityScheme::ApiKeyHeader(name.clone()),
            APIKeyLocation::Query => SecurityScheme::ApiKeyQuery(name.clone()),
            APIKeyLocation::Cookie => SecurityScheme::ApiKeyCookie(name.clone()),
        },
    }
}

impl Builder<'_> {
    /// The requirements of an operation: its own `security`, else the
    /// document's; `None` when neither declares any (the client then sends
    /// whatever credentials it was given, as a spec that declares schemes
    /// but no requirement usually expects). `Some(vec![])` is anonymous
    /// (`security: []`). An alternative naming an undeclared scheme cannot
    /// be satisfied: it is dropped with a warning.
    pub(super) fn security_requirements(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
    ) -> Option<Vec<Vec<SecurityScheme>>> {
        let (requirements, pointer) = match own {
            Some(own) => (own, format!("{pointer}/security")),
            None => (self.doc.security.as_ref()?, "/security".to_owned()),
        };
        let mut out: Vec<Vec<SecurityScheme>> = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let mut all = Vec::new();
            let mut known = true;
            for name in requirement.keys() {
                let declared = self.doc.components.as_ref().and_then(|c| c.security_schemes.get(name));
                match declared {
                    Some(ReferenceOr::Item(scheme)) => {
                        let scheme = scheme_of(scheme);
                        if !all.contains(&scheme) {
                            all.push(scheme);
                        }
                    }
                    _ => {
                        self.warn(
                            &format!("{pointer}/{index}"),
                            format!("security scheme `{name}` is not declared in components/securitySchemes; this alternative is never used"),
                        );
                        known = false;
                    }
                }
            }
            if known && !out.contains(&all) {
                out.push(all);
            }
        }
        if out.is_empty() && !requirements.is_empty() {
            // Nothing usable is left: sending nothing would make a secured
            // operation anonymous; sending what is configured is the best guess.
            return None;
        }
        Some(out)
    }
}
