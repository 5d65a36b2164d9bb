//! The words ACLED's coding rules look for in an incident's sentences: passive voice, an armed
//! response, looting, harm to people, a crowd, a claim, police action against a protest.

use crate::engine::cues::re;
use regex::Regex;
use std::sync::LazyLock;

/// The words before an event word that make it passive: "were killed", "a été attaqué",
/// "came under attack", "was hit by an IED".
pub static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\b(?:was|were|is|are|been|being|ete|etaient|furent|est|sont)(?: reportedly| allegedly| also| later| then| again| fatally)?|\bcame under|\bcome under|\bcomes under|\b(?:by|par)(?: an?| the| une?| des| l')?(?: [a-z]+)?|\b(?:struck|hit|ran over|drove over|drove on|stepped on|saute sur|roule sur)(?: an?| the| une?)?(?: [a-z-]+)?|\b(?:camp|post|base|patrol|convoy|checkpoint|position|positions|vehicle|vehicles|unit|units|outpost|garrison|barracks|poste|patrouille|convoi|caserne)(?: (?:in|at|near|of|outside|du|de|a|pres de) [a-z'-]+)?(?: (?:last night|overnight|yesterday|today|this morning|hier|cette nuit))?|\b(?:subjected to|victims? of|victimes? d'|victimes? de|la cible d'|la cible de|targeted by|targeted in|wounded in|injured in|killed in|tues? dans|tuees? dans|blesses? dans|blessees? dans|tues? lors d'|tues? lors de|blesses? lors d'|blesses? lors de)(?: an?| the| une?| l'| la| le| des)?(?: [a-z-]+)?) $",
    )
});
/// Killing words in their participle form.
pub static PARTICIPLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:killed|wounded|injured|abducted|kidnapped|executed|tues?|tuees?|blesses?|enleves?|executes?)\b",
    )
});
/// A number and up to three words, just before a participle: "3 jihadists ", "deux soldats maliens ".
pub static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|dozens|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|plusieurs|des dizaines)(?: [a-z']+){1,3} $",
    )
});
/// An armed response: the attack met armed resistance, so two armed sides fought.
pub static RESPONSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:repelled|repulsed|responded|intervened|fought back|exchanged (?:gun)?fire|exchanges? of (?:gun)?fire|clash(?:ed|es)|routed|riposte|ont riposte|a riposte|repousse|repousse l'attaque|affrontements?|echanges? de tirs|accrochages?)\b",
    )
});
/// Taking goods: an attack that only takes or destroys property is looting (ACLED).
pub static LOOTING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:pill[a-z]*|loot[a-z]*|stole|stolen|steal[a-z]*|robbed|rustl[a-z]*|ransack[a-z]*|emporte[a-z]*|vole[a-z]*|seized (?:the |their |all |several |\d+ )?(?:livestock|cattle|cows|goats|sheep|camels|animals|goods|belongings|motorbikes?|motorcycles?|vehicles?|food)|stripped)\b",
    )
});
/// Harm to people: with it, an attack is more than looting.
pub static HARM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:wounded|injured|injuring|blesse[a-z]*|kill[a-z]*|tue[a-z]*|dead|morts?|abduct[a-z]*|kidnap[a-z]*|enleve[a-z]*|executed|assassin[a-z]*|beaten|shot)\b",
    )
});

/// People who act as a crowd.
pub static MOB: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:residents|youths?|jeunes|mob|crowds?|foule|habitants|students|etudiants|eleves)\b")
});

/// Words of a claim of responsibility.
pub static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:claim[a-z]*|revendiq[a-z]*|responsib[a-z]*|planted|laid|pose|attribu[a-z]*|blamed)\b")
});

/// Police or army action against a protest: "dispersed with teargas".
pub static INTERVENTION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:teargas|tear gas|gaz lacrymogenes?|dispers[a-z]*|arrested|interpell[a-z]*|charged)\b")
});
