//! `retry!(spec; spec => body)`: split into its retriers and its body, one parser for the compiler
//! (which lowers it) and the native rewrite (which expands it).

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::Parser;
use syn::spanned::Spanned;

use super::diagnostics::Diagnostics;
use super::task::{CATCH_ALL_NOT_LAST, RetryAttr, parse_retry_option};

/// A parsed `retry!`: its retriers in order, and its body.
pub(crate) struct RetryMacro {
    pub(crate) retriers: Vec<RetryAttr>,
    pub(crate) body: syn::Expr,
}

/// Parses `mac`. Problems in the retriers go to `diag` (the retriers are still returned, so the body
/// gets checked too); `None` when there is no `=>` or the body does not parse (also reported).
pub(crate) fn parse_retry_macro(mac: &syn::Macro, diag: &Diagnostics) -> Option<RetryMacro> {
    let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    let arrow = tokens.windows(2).position(|w| {
        matches!((&w[0], &w[1]), (TokenTree::Punct(a), TokenTree::Punct(b)) if a.as_char() == '=' && b.as_char() == '>')
    });
    let Some(arrow) = arrow else {
        diag.error(
            mac.span(),
            "write `retry!(max_attempts = 3, interval_seconds = 2 => body)`",
        );
        return None;
    };
    let mut segments = vec![TokenStream::new()];
    for t in tokens[..arrow].iter().cloned() {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ';' => segments.push(TokenStream::new()),
            _ => segments
                .last_mut()
                .expect("one segment at least")
                .extend([t]),
        }
    }
    let n = segments.len();
    let mut retriers = Vec::new();
    for (i, seg) in segments.into_iter().enumerate() {
        let seg_span = seg
            .clone()
            .into_iter()
            .next()
            .map(|t| t.span())
            .unwrap_or_else(|| mac.span());
        let mut r = RetryAttr::default();
        let mut seen = Vec::new();
        let parser = syn::meta::parser(|meta| parse_retry_option(meta, &mut r, &mut seen, diag));
        if let Err(e) = parser.parse2(seg) {
            diag.push(e);
        }
        // A catch-all (no `errors`, or `errors = ["States.ALL"]`) must be the last retrier, as
        // in `#[task(retry(..))]`; ASL rejects anything after it.
        let catch_all = r.catch_all.unwrap_or(seg_span);
        if (r.catch_all.is_some() || !seen.iter().any(|s| s == "errors")) && i + 1 < n {
            diag.error(catch_all, CATCH_ALL_NOT_LAST);
        }
        retriers.push(r);
    }
    match syn::parse2(tokens[arrow + 2..].iter().cloned().collect()) {
        Ok(body) => Some(RetryMacro { retriers, body }),
        Err(e) => {
            diag.push(e);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(tokens: &str) -> Vec<String> {
        let mac: syn::Macro = syn::parse_str(&format!("retry!({tokens})")).unwrap();
        let diag = Diagnostics::new();
        let _ = parse_retry_macro(&mac, &diag);
        match diag.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_catch_all_retrier_must_be_last() {
        assert!(
            errors_of("max_attempts = 2; errors = [\"States.Timeout\"] => t(1).await?").len() == 1
        );
        let explicit = errors_of(
            "errors = [\"States.ALL\"], max_attempts = 2; errors = [\"States.Timeout\"] => t(1).await?",
        );
        assert_eq!(explicit.len(), 1, "{explicit:?}");
        assert!(
            explicit[0].starts_with("this retrier matches every error"),
            "{explicit:?}"
        );
        assert!(
            errors_of("errors = [\"States.Timeout\"]; errors = [\"States.ALL\"] => t(1).await?")
                .is_empty()
        );
        assert!(
            errors_of("errors = [\"States.Timeout\"]; max_attempts = 5 => t(1).await?").is_empty()
        );
    }
}
