//! Page sizes are defined once, in sellerdesk-core's `pages`: a command that defaults its
//! `limit` to a number of its own would drift from what the UI reads in `PAGES`.

use syn::visit::Visit;

/// `limit.unwrap_or(<number>)` calls in commands.rs, as `fn_name` entries.
pub fn find(source: &str) -> Result<Vec<String>, String> {
    let file = syn::parse_file(source).map_err(|e| format!("commands.rs does not parse: {e}"))?;
    let mut finder = Finder::default();
    finder.visit_file(&file);
    Ok(finder.found)
}

#[derive(Default)]
struct Finder {
    function: String,
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_fn(&mut self, function: &'ast syn::ItemFn) {
        self.function = function.sig.ident.to_string();
        syn::visit::visit_item_fn(self, function);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let on_limit =
            matches!(call.receiver.as_ref(), syn::Expr::Path(path) if path.path.is_ident("limit"));
        let literal = matches!(
            call.args.first(),
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(_),
                ..
            }))
        );
        if on_limit && call.method == "unwrap_or" && literal {
            self.found.push(self.function.clone());
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_of_its_own_is_found_and_a_constant_is_not() {
        let source = "
            fn list_a(limit: Option<u32>) { let page = PageRequest::new(limit.unwrap_or(100), 0); }
            fn list_b(limit: Option<u32>) { let page = PageRequest::new(limit.unwrap_or(pages::LISTINGS), 0); }
            fn list_c(offset: Option<u32>) { let page = offset.unwrap_or(0); }
        ";
        assert_eq!(find(source), Ok(vec!["list_a".to_owned()]));
    }
}
