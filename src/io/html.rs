//! Visible text of an HTML page: script, style and other invisible elements dropped, entities
//! decoded, block elements on their own lines; plus the title and publication-date metadata.
//! Uses html5ever's tokenizer only (no tree), so deeply nested pages cost no recursion.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use std::cell::RefCell;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlText {
    pub text: String,
    pub title: Option<String>,
    /// `article:published_time`, `datePublished`, `date` or `DC.date` metadata, as written.
    pub published: Option<String>,
}

#[derive(Default)]
struct State {
    out: String,
    /// Depth inside elements whose text is not shown.
    hidden: usize,
    in_title: bool,
    title: String,
    published: Option<String>,
}

struct Sink(RefCell<State>);

const HIDDEN: [&str; 7] = [
    "script", "style", "noscript", "template", "svg", "iframe", "object",
];
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "figure",
    "aside",
    "main",
    "nav",
];

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return handle_tag(&mut state, &tag),
            Token::CharacterTokens(text) => {
                if state.in_title {
                    state.title.push_str(&text);
                } else if state.hidden == 0 {
                    state.out.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn handle_tag(state: &mut State, tag: &Tag) -> TokenSinkResult<()> {
    let name: &str = &tag.name;
    let start = tag.kind == TagKind::StartTag;
    match name {
        "title" => state.in_title = start && !tag.self_closing,
        "meta" => {
            let attr = |key: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == key)
                    .map(|a| a.value.to_string())
            };
            let key = attr("property")
                .or_else(|| attr("name"))
                .or_else(|| attr("itemprop"))
                .unwrap_or_default();
            if matches!(
                key.as_str(),
                "article:published_time" | "datePublished" | "date" | "DC.date" | "pubdate"
            ) && state.published.is_none()
            {
                state.published = attr("content");
            }
        }
        "time" if start => {
            let attr = tag.attrs.iter().find(|a| &*a.name.local == "datetime");
            if let Some(a) = attr
                && state.published.is_none()
                && tag
                    .attrs
                    .iter()
                    .any(|a| &*a.name.local == "itemprop" && &*a.value == "datePublished")
            {
                state.published = Some(a.value.to_string());
            }
        }
        _ => {}
    }
    if HIDDEN.contains(&name) && !tag.self_closing {
        if start {
            state.hidden += 1;
        } else {
            state.hidden = state.hidden.saturating_sub(1);
        }
    }
    if BLOCKS.contains(&name) && !state.out.ends_with('\n') {
        state.out.push('\n');
    }
    match name {
        "script" if start => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "noscript" | "iframe" if start => TokenSinkResult::RawData(RawKind::Rawtext),
        "title" if start => TokenSinkResult::RawData(RawKind::Rcdata),
        _ => TokenSinkResult::Continue,
    }
}

/// Extracts the visible text. Never fails: malformed HTML is read as browsers would.
pub fn visible_text(html: &str) -> HtmlText {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(State::default())), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.0.into_inner();
    let text: Vec<String> = state
        .out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let title = state.title.split_whitespace().collect::<Vec<_>>().join(" ");
    HtmlText {
        text: text.join("\n"),
        title: (!title.is_empty()).then_some(title),
        published: state.published,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_visible_text_drops_scripts_and_decodes_entities() {
        let page = r#"<html><head><title>Attaque &agrave; Gao</title>
            <meta property="article:published_time" content="2025-06-08T10:00:00Z">
            <style>p { color: red }</style><script>var s = "<p>not text</p>";</script></head>
            <body><h1>Attaque contre le camp</h1><p>Des hommes arm&eacute;s ont attaqu&#233; <b>Gao</b>.</p>
            <noscript>Activez JavaScript</noscript><p>Deuxi&egrave;me&nbsp;paragraphe</p></body></html>"#;
        let got = visible_text(page);
        assert_eq!(got.title.as_deref(), Some("Attaque à Gao"));
        assert_eq!(got.published.as_deref(), Some("2025-06-08T10:00:00Z"));
        assert_eq!(
            got.text,
            "Attaque contre le camp\nDes hommes armés ont attaqué Gao.\nDeuxième paragraphe"
        );
    }

    #[test]
    fn deeply_nested_and_broken_markup_does_not_panic() {
        let nested = "<div>".repeat(20_000) + "texte" + &"</div>".repeat(20_000);
        assert_eq!(visible_text(&nested).text, "texte");
        for page in [
            "",
            "<",
            "<script>",
            "</p></p>",
            "<meta content>",
            "&#xFFFFFF;",
            "<title>",
        ] {
            let _ = visible_text(page);
        }
    }
}
