//! `incident-map gazetteer`: the workspace's user gazetteer from the command line — name a
//! place, list, remove, export and import them.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use incident_map::io::store::{Change, Store, UserPlace};
use incident_map::io::user_gazetteer;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Name a place (created in the workspace if need be): every article that mentions it
    /// finds it, ahead of any homonym.
    #[command(allow_negative_numbers = true)]
    Add {
        name: String,
        /// Latitude, degrees north.
        lat: f64,
        /// Longitude, degrees east (west is negative).
        lon: f64,
        /// Another spelling the articles use (repeat for several).
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// The region it is in.
        #[arg(long)]
        admin1: Option<String>,
        /// The cercle it is in (default: the nearest cercle seat's).
        #[arg(long)]
        admin2: Option<String>,
    },
    /// List the places named, with their ids.
    List,
    /// Remove a place by its id (`user:3`).
    Remove { id: String },
    /// Write the places to a CSV or GeoJSON file (by its extension), to share them.
    Export { file: PathBuf },
    /// Add the places of a CSV or GeoJSON file made by `export`.
    Import { file: PathBuf },
}

pub fn run(args: GazetteerArgs, workspace: Option<&Path>) -> Result<ExitCode> {
    let workspace =
        workspace.context("give the workspace the places belong to: --workspace W.imap")?;
    let mut store = match &args.action {
        Action::Add { .. } | Action::Import { .. } => Store::open_or_create(workspace)?,
        _ => Store::open(workspace)?,
    };
    match args.action {
        Action::Add {
            name,
            lat,
            lon,
            aliases,
            admin1,
            admin2,
        } => {
            let place = UserPlace {
                id: store.next_user_place_id()?,
                name,
                aliases,
                lat,
                lon,
                admin1,
                admin2,
                added_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            };
            user_gazetteer::validate(&place)?;
            store.write(&[Change::PutUserPlace(place.clone())])?;
            println!("{}", line(&place));
        }
        Action::List => {
            for place in store.user_places()? {
                println!("{}", line(&place));
            }
        }
        Action::Remove { id } => {
            if !store.user_places()?.iter().any(|p| p.id == id) {
                anyhow::bail!("{}: no place {id}", workspace.display());
            }
            store.write(&[Change::RemoveUserPlace(id)])?;
        }
        Action::Export { file } => {
            let places = store.user_places()?;
            user_gazetteer::export(&file, &places)?;
            eprintln!(
                "incident-map: {} places written to {}",
                places.len(),
                file.display()
            );
        }
        Action::Import { file } => {
            let places = user_gazetteer::import(&file)?;
            let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let mut added = Vec::new();
            for mut place in places {
                place.id = store.next_user_place_id()?;
                place.added_at = at.clone();
                // Ids are taken one at a time: each write makes the next one free.
                store.write(&[Change::PutUserPlace(place.clone())])?;
                added.push(place);
            }
            eprintln!(
                "incident-map: {} places added from {}",
                added.len(),
                file.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "user:1  Boulkessi (also Boulkessy)  14.80000, -1.32000  Mopti / Douentza".
fn line(p: &UserPlace) -> String {
    let mut text = format!("{}\t{}", p.id, p.name);
    if !p.aliases.is_empty() {
        text.push_str(&format!(" (also {})", p.aliases.join(", ")));
    }
    text.push_str(&format!("\t{:.5}, {:.5}", p.lat, p.lon));
    if p.admin1.is_some() || p.admin2.is_some() {
        text.push_str(&format!(
            "\t{} / {}",
            p.admin1.as_deref().unwrap_or("-"),
            p.admin2.as_deref().unwrap_or("-")
        ));
    }
    text
}
