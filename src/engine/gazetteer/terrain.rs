//! Terrain by the name a text gives it with a word for its kind: "the Ifoghas mountains" is
//! GeoNames' "Adrar des Ifôghas", "the Tilemsi valley" its "Vallée du Tilemsi", "la forêt de
//! Sama" a "Forêt classée de Sama". Gazetteers head such names with their own generic word.

use super::{FastMap, Place, PlaceKind};

/// The kind of terrain a text names, and a gazetteer name's generic word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Terrain {
    Mountains,
    Valley,
    Forest,
}

/// The generic words that head terrain names in GeoNames and in French (folded), longest first
/// where one begins another.
const HEADS: &[(&str, Terrain)] = &[
    ("adrar des ", Terrain::Mountains),
    ("adrar de ", Terrain::Mountains),
    ("adrar n ", Terrain::Mountains),
    ("adrar ", Terrain::Mountains),
    ("monts ", Terrain::Mountains),
    ("mont ", Terrain::Mountains),
    ("massif des ", Terrain::Mountains),
    ("massif du ", Terrain::Mountains),
    ("massif de ", Terrain::Mountains),
    ("massif ", Terrain::Mountains),
    ("plateau du ", Terrain::Mountains),
    ("plateau de ", Terrain::Mountains),
    ("vallee des ", Terrain::Valley),
    ("vallee du ", Terrain::Valley),
    ("vallee de ", Terrain::Valley),
    ("vallee d'", Terrain::Valley),
    ("foret classee des ", Terrain::Forest),
    ("foret classee du ", Terrain::Forest),
    ("foret classee de ", Terrain::Forest),
    ("foret classee d'", Terrain::Forest),
    ("foret des ", Terrain::Forest),
    ("foret du ", Terrain::Forest),
    ("foret de ", Terrain::Forest),
    ("foret d'", Terrain::Forest),
];

/// The kind of terrain a word of a text names (folded, English or French), if any.
pub fn terrain_word(word: &str) -> Option<Terrain> {
    Some(match word {
        "mountain" | "mountains" | "massif" | "hills" | "plateau" | "montagne" | "montagnes"
        | "mont" | "monts" => Terrain::Mountains,
        "valley" | "vallee" => Terrain::Valley,
        "forest" | "foret" => Terrain::Forest,
        _ => return None,
    })
}

/// Terrain entries by their name without its generic word ("ifoghas" for "Adrar des Ifôghas").
#[derive(Debug, Clone, Default)]
pub struct TerrainIndex {
    by_core: FastMap<Vec<(u32, Terrain)>>,
}

impl TerrainIndex {
    /// `places` with the folded keys of each one's names.
    pub fn new<'a>(places: impl Iterator<Item = (u32, &'a Place, String)>) -> TerrainIndex {
        let mut index = TerrainIndex::default();
        for (i, place, key) in places {
            if !matches!(place.kind, PlaceKind::Feature | PlaceKind::Water) {
                continue;
            }
            let head = HEADS
                .iter()
                .find_map(|(head, kind)| Some((key.strip_prefix(head)?, *kind)));
            if let Some((core, kind)) = head.filter(|(core, _)| core.len() >= 3) {
                let entries = index.by_core.entry(core.to_string()).or_default();
                if !entries.contains(&(i, kind)) {
                    entries.push((i, kind));
                }
            }
        }
        index
    }

    /// The entries of this kind of terrain named `key` after a generic word.
    pub fn lookup(&self, key: &str, kind: Terrain) -> impl Iterator<Item = u32> + '_ {
        self.by_core
            .get(key)
            .into_iter()
            .flatten()
            .filter(move |(_, k)| *k == kind)
            .map(|(i, _)| *i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(kind: PlaceKind) -> Place {
        Place {
            id: "x".into(),
            name: String::new(),
            aliases: Vec::new(),
            lat: 0.0,
            lon: 0.0,
            kind,
            feature_code: String::new(),
            country: "ML".into(),
            admin1_code: String::new(),
            admin2_code: String::new(),
            population: 0,
            source: "test".into(),
        }
    }

    #[test]
    fn terrain_is_found_by_its_name_without_the_generic_word_and_of_its_kind_only() {
        let (mountains, valley, town) = (
            place(PlaceKind::Feature),
            place(PlaceKind::Feature),
            place(PlaceKind::Town),
        );
        let index = TerrainIndex::new(
            [
                (0, &mountains, "adrar des ifoghas".to_string()),
                (1, &valley, "vallee du tilemsi".to_string()),
                (2, &town, "adrar des ifoghas".to_string()),
            ]
            .into_iter(),
        );
        let found = |key, kind| index.lookup(key, kind).collect::<Vec<_>>();
        assert_eq!(found("ifoghas", Terrain::Mountains), [0]);
        assert_eq!(found("tilemsi", Terrain::Valley), [1]);
        assert!(found("tilemsi", Terrain::Mountains).is_empty());
        assert!(found("des ifoghas", Terrain::Mountains).is_empty());
        assert_eq!(terrain_word("vallee"), Some(Terrain::Valley));
        assert_eq!(terrain_word("village"), None);
    }
}
