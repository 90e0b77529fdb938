//! Every function the generated code defines is `#[inline]`:
//!
//! ```text
//! impl GetPet {
//!     #[inline]
//!     pub async fn send(self) -> Result<Pet, Error<GetPetError>> { … }
//! }
//! ```
//!
//! Why: a non-generic function of a library is compiled to machine code when
//! the library is built, whether or not anybody calls it. An `#[inline]` one
//! is compiled only in the crates that call it, as generic functions are. A
//! generated client defines a constructor, a handful of setters and two
//! `send` futures per operation, and most users call a few of its hundreds of
//! operations; with every function `#[inline]` they pay the code generation
//! of what they call. Measured on the seed specs (BENCHMARKS.md, "Where the
//! functions are compiled"): the crate alone builds in 0.56× the time, and the
//! crate plus a program calling every operation once in 0.59×. In release
//! builds `#[inline]` is only a hint to LLVM's inliner, which still weighs
//! the function's size.
//!
//! The attribute is added to the parsed file, in one place, rather than by
//! each emitter: no emitter can forget it, and none has to spell it.

/// Adds `#[inline]` to every function of `file` that does not carry an
/// inlining attribute already: free functions, inherent and trait-impl
/// methods, and those of nested inline modules.
pub fn mark_functions(file: &mut syn::File) {
    mark_items(&mut file.items);
}

fn mark_items(items: &mut [syn::Item]) {
    for item in items {
        match item {
            syn::Item::Fn(function) => mark(&mut function.attrs),
            syn::Item::Impl(block) => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member {
                        mark(&mut method.attrs);
                    }
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    mark_items(items);
                }
            }
            _ => {}
        }
    }
}

fn mark(attrs: &mut Vec<syn::Attribute>) {
    if !attrs.iter().any(|attr| attr.path().is_ident("inline")) {
        attrs.push(syn::parse_quote!(#[inline]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(code: &str) -> String {
        let mut file = syn::parse_file(code).expect("test code parses");
        mark_functions(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn functions_methods_and_nested_modules_are_marked_once() {
        let text = marked(
            "fn free() {}\n\
             impl A { pub fn new() -> Self { A } #[inline(always)] fn hot() {} const X: u8 = 1; }\n\
             impl ::std::fmt::Display for A { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }\n\
             mod inner { impl B { pub async fn send(self) {} } }\n\
             trait T { fn required(&self); }\n",
        );
        assert_eq!(text.matches("#[inline]\n").count(), 4, "{text}");
        assert_eq!(text.matches("#[inline(always)]").count(), 1, "{text}");
        assert!(text.contains("#[inline]\n        pub async fn send"), "{text}");
        // A trait's declarations have no body to compile.
        assert!(text.contains("trait T {\n    fn required(&self);"), "{text}");
    }
}
