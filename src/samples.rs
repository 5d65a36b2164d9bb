//! The sample articles bundled with the binary (assets/samples/), written for Incident Map.

use crate::engine::model::Article;
use crate::io::html;
use crate::io::ingest::iso_date_in;

const SAMPLES: [(&str, &str); 4] = [
    (
        "2025-03-14_embuscade-segou.txt",
        include_str!("../assets/samples/2025-03-14_embuscade-segou.txt"),
    ),
    (
        "2025-05-02_frappes-menaka.txt",
        include_str!("../assets/samples/2025-05-02_frappes-menaka.txt"),
    ),
    (
        "2025-08-20_abduction-gao.txt",
        include_str!("../assets/samples/2025-08-20_abduction-gao.txt"),
    ),
    (
        "2025-10-05_blocus-nioro.html",
        include_str!("../assets/samples/2025-10-05_blocus-nioro.html"),
    ),
];

/// The bundled sample articles, read as the ingest would read their files.
pub fn articles() -> Vec<Article> {
    SAMPLES
        .iter()
        .map(|(name, content)| {
            let (text, title) = if name.ends_with(".html") {
                let page = html::visible_text(content);
                (page.text, page.title)
            } else {
                (content.to_string(), None)
            };
            Article {
                id: name.to_string(),
                source: name.to_string(),
                title,
                text,
                published: iso_date_in(name),
            }
        })
        .collect()
}
