//! Words for people: PAVE's codes (`DOOR_REAR_LEFT`, `BODY`, `SCRAPED_MAJOR`, photo code 10)
//! turned into what a car buyer reads.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::i18n::Lang;

/// A PAVE photo code: which angle of the car a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoCode(pub u16);

/// PAVE's photo code table: a line per code from 1 (line n is code n), with PAVE's label (as
/// the API writes it) and words for people in English, French, Spanish and German, `|` between
/// columns. (Text, not an array of `&str`: see [`POSITION_WORDS`].)
const PHOTO_CODES: &str = "\
    VIN|VIN|VIN|VIN|FIN\n\
    Interior|Interior|Intérieur|Interior|Innenraum\n\
    Cluster|Instrument cluster|Compteur|Cuadro de instrumentos|Kombiinstrument\n\
    Left|Left|Côté gauche|Lateral izquierdo|Links\n\
    Front|Front|Avant|Delantera|Front\n\
    Tires|Tires|Pneus|Neumáticos|Reifen\n\
    Right|Right|Côté droit|Lateral derecho|Rechts\n\
    Rear|Rear|Arrière|Trasera|Heck\n\
    Windshield|Windshield|Pare-brise|Parabrisas|Windschutzscheibe\n\
    Front_Left|Front left|Avant gauche|Delantera izquierda|Vorne links\n\
    Front_Right|Front right|Avant droit|Delantera derecha|Vorne rechts\n\
    Rear_Right|Rear right|Arrière droit|Trasera derecha|Hinten rechts\n\
    Rear_Left|Rear left|Arrière gauche|Trasera izquierda|Hinten links\n\
";

/// Column of `lang`'s words in [`PHOTO_CODES`] (after PAVE's label).
fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::En => 1,
        Lang::Fr => 2,
        Lang::Es => 3,
        Lang::De => 4,
    }
}

/// The lines of [`PHOTO_CODES`], code 1's first.
fn photo_code_rows() -> impl Iterator<Item = &'static str> {
    PHOTO_CODES.split_terminator(['\n'])
}

impl PhotoCode {
    /// Column `k` of this code's line in [`PHOTO_CODES`], if the table has the code.
    fn cell(self, k: usize) -> Option<&'static str> {
        let line = usize::from(self.0).checked_sub(1)?;
        photo_code_rows().nth(line)?.split(['|']).nth(k)
    }

    /// PAVE's own label for this code ("Front_Left"), or `None` for a code outside the table.
    pub fn pave_label(self) -> Option<&'static str> {
        self.cell(0)
    }

    /// Words for people ("Front left"), or `None` for a code outside the table.
    pub fn words(self) -> Option<&'static str> {
        self.words_in(Lang::En)
    }

    /// Words for people in `lang` ("Front left", "Avant gauche", "Delantera izquierda",
    /// "Vorne links"), or `None` for a code outside the table.
    pub fn words_in(self, lang: Lang) -> Option<&'static str> {
        self.cell(lang_index(lang))
    }

    /// Reads what a page author writes to name a photo: a code ("5", " 10 ") or a label in any
    /// case with `_`, `-` or spaces between words ("Front", "front_left", "Front-Left",
    /// "front left").
    pub fn parse(text: &str) -> Option<PhotoCode> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Ok(n) = text.parse::<u16>() {
            return Some(PhotoCode(n));
        }
        let line =
            photo_code_rows().position(|row| row.split(['|']).next().is_some_and(|label| same_words(label, text)))?;
        u16::try_from(line + 1).ok().map(PhotoCode)
    }
}

/// The words of a code or label: what lies between the separators `_`, `-` and white space.
/// (One function for every reader, so that the wasm holds one copy of the iterator's code.)
fn words(s: &str) -> impl Iterator<Item = &str> {
    fn separator(c: char) -> bool {
        c == '_' || c == '-' || c.is_whitespace()
    }
    s.split(separator).filter(|w| !w.is_empty())
}

/// Whether two labels are the same words, ignoring case and the separators `_`, `-` and space.
pub fn same_words(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (words(a), words(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// PAVE's damage groups. Colours and filters key off this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DamageGroup {
    /// Panels, bumpers, doors: `BODY`.
    Body,
    /// Lights, mirrors, trim: `PART`.
    Part,
    /// Wheels and rims: `WHEEL`.
    Wheel,
    /// Windows and windshield: `GLASS`.
    Glass,
    /// Tyres: `TIRE`.
    Tire,
    /// Cabin: `INTERIOR`.
    Interior,
    /// Any group PAVE adds later, or none given.
    Other,
}

impl DamageGroup {
    /// Every group, in the order lists and legends show them.
    pub const ALL: [DamageGroup; 7] =
        [Self::Body, Self::Part, Self::Wheel, Self::Glass, Self::Tire, Self::Interior, Self::Other];

    /// Reads PAVE's group code, in any case.
    pub fn from_code(code: &str) -> DamageGroup {
        let code = code.trim();
        let is = |s: &str| code.eq_ignore_ascii_case(s);
        if is("BODY") {
            Self::Body
        } else if is("PART") || is("PARTS") {
            Self::Part
        } else if is("WHEEL") || is("WHEELS") || is("RIM") {
            Self::Wheel
        } else if is("GLASS") || is("WINDSHIELD") {
            Self::Glass
        } else if is("TIRE") || is("TIRES") || is("TYRE") {
            Self::Tire
        } else if is("INTERIOR") {
            Self::Interior
        } else {
            Self::Other
        }
    }

    /// A stable lower-case key, used in CSS (`--pave-color-body`), `data-group` attributes and
    /// filters.
    pub fn key(self) -> &'static str {
        match self {
            Self::Body => "body",
            Self::Part => "part",
            Self::Wheel => "wheel",
            Self::Glass => "glass",
            Self::Tire => "tire",
            Self::Interior => "interior",
            Self::Other => "other",
        }
    }

    /// Position in [`DamageGroup::ALL`].
    pub fn ordinal(self) -> usize {
        self as usize
    }
}

/// How bad a damage is, as PAVE's damage name says ("SCRAPED_MAJOR" → major).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The name doesn't say.
    Unknown,
    /// `MINOR`, `LIGHT`.
    Minor,
    /// `MEDIUM`, `MODERATE`.
    Medium,
    /// `MAJOR`, `SEVERE`, `HEAVY`.
    Major,
}

impl Severity {
    /// Reads the severity from a damage name's words. The strongest word wins, so
    /// "MINOR_DENT_MAJOR_SCRATCH" (not a real PAVE name) reads as major.
    pub fn from_damage_name(name: &str) -> Severity {
        let mut strongest = Severity::Unknown;
        for w in words(name) {
            let is = |s: &str| w.eq_ignore_ascii_case(s);
            let said = if is("MAJOR") || is("SEVERE") || is("HEAVY") {
                Severity::Major
            } else if is("MEDIUM") || is("MODERATE") {
                Severity::Medium
            } else if is("MINOR") || is("LIGHT") {
                Severity::Minor
            } else {
                Severity::Unknown
            };
            strongest = strongest.max(said);
        }
        strongest
    }

    /// A stable lower-case key for CSS and `data-severity`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Minor => "minor",
            Self::Medium => "medium",
            Self::Major => "major",
        }
    }
}

/// Where on the car a component code places the part.
const POSITIONS: [&str; 8] = ["FRONT", "REAR", "LEFT", "RIGHT", "CENTER", "UPPER", "LOWER", "INNER"];

/// Component nouns of more than one code word (or whose words read differently), longest
/// first so "LIGHT_HEAD" wins over "LIGHT". The code words may appear in either order around the
/// position words ("HOUSING_MIRROR_LEFT", "MIRROR_HOUSING_LEFT").
const NOUNS: &[(&[&str], &str)] = &[
    (&["QUARTER", "PANEL"], "quarter panel"),
    (&["ROCKER", "PANEL"], "rocker panel"),
    (&["HOUSING", "MIRROR"], "mirror housing"),
    (&["GLASS", "MIRROR"], "mirror glass"),
    (&["LIGHT", "HEAD"], "headlight"),
    (&["LIGHT", "TAIL"], "taillight"),
    (&["LIGHT", "FOG"], "fog light"),
    (&["LIGHT", "BRAKE"], "brake light"),
    (&["LIGHT", "SIGNAL"], "turn signal"),
    (&["HANDLE", "DOOR"], "door handle"),
    (&["GLASS", "DOOR"], "door glass"),
    (&["GLASS", "QUARTER"], "quarter glass"),
    (&["GLASS", "BACK"], "rear window"),
    (&["MOLDING", "DOOR"], "door molding"),
    (&["MOULDING", "DOOR"], "door molding"),
    (&["PILLAR", "A"], "A-pillar"),
    (&["PILLAR", "B"], "B-pillar"),
    (&["PILLAR", "C"], "C-pillar"),
    (&["PILLAR", "D"], "D-pillar"),
    (&["CAP", "WHEEL"], "wheel cap"),
    (&["COVER", "WHEEL"], "wheel cover"),
    (&["DOOR", "FUEL"], "fuel door"),
    (&["FLARE", "WHEEL"], "wheel arch"),
    (&["WELL", "WHEEL"], "wheel well"),
    (&["PLATE", "LICENSE"], "license plate"),
    (&["WIPER", "WINDSHIELD"], "windshield wiper"),
    (&["WHEEL", "SPARE"], "spare wheel"),
    (&["TIRE", "SPARE"], "spare tire"),
    (&["TYRE", "SPARE"], "spare tire"),
    (&["TRUNK"], "trunk"),
    (&["WINDSHIELD"], "windshield"),
];

/// Nouns that already say where they are: "HOOD_FRONT_UNIQUE" reads "Hood", not "Front hood".
const IMPLIED_POSITION: [(&str, &str); 7] = [
    ("hood", "FRONT"),
    ("grille", "FRONT"),
    ("windshield", "FRONT"),
    ("trunk", "REAR"),
    ("tailgate", "REAR"),
    ("liftgate", "REAR"),
    ("rear window", "REAR"),
];

/// A component code read into English: the noun ("door", "mirror housing", or the unknown words
/// in lower case) and the position words the noun doesn't already imply, as the code spells them.
fn read_component(code: &str) -> (String, Vec<&str>) {
    let (mut positions, mut rest) = (Vec::new(), Vec::new());
    for w in words(code) {
        if w.eq_ignore_ascii_case("UNIQUE") {
            continue;
        }
        if POSITIONS.iter().any(|p| w.eq_ignore_ascii_case(p)) {
            positions.push(w);
        } else {
            rest.push(w);
        }
    }

    let noun = NOUNS
        .iter()
        .find(|(parts, _)| {
            parts.len() == rest.len() && parts.iter().all(|p| rest.iter().any(|w| w.eq_ignore_ascii_case(p)))
        })
        .map(|(_, noun)| (*noun).to_owned())
        .unwrap_or_else(|| {
            // Joined by hand: `[String]::join` brings a formatted overflow panic into the wasm.
            let mut joined = String::with_capacity(code.len());
            for w in &rest {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(&w.to_ascii_lowercase());
            }
            joined
        });

    let implied = IMPLIED_POSITION.iter().find(|(n, _)| *n == noun).map(|(_, p)| *p);
    positions.retain(|p| implied.is_none_or(|i| !p.eq_ignore_ascii_case(i)));
    (noun, positions)
}

/// Turns a PAVE component code into words for people: "DOOR_REAR_LEFT" → "Rear left door",
/// "BUMPER_FRONT_UNIQUE" → "Front bumper", "HOUSING_MIRROR_LEFT" → "Left mirror housing".
/// Codes we don't know still read well: position words first, then the rest in lower case
/// ("SPOILER_REAR_UNIQUE" → "Rear spoiler"). An empty code gives an empty string.
pub fn component_words(code: &str) -> String {
    let (noun, positions) = read_component(code);
    english_words(&noun, &positions)
}

/// The English phrase of a component [`read_component`] has read: positions, then the noun.
fn english_words(noun: &str, positions: &[&str]) -> String {
    let mut out = String::with_capacity(noun.len() + 8 * positions.len() + 4);
    for p in positions {
        out.push_str(&p.to_ascii_lowercase());
        out.push(' ');
    }
    out.push_str(noun);
    let out = out.trim().to_owned();
    capitalize(&out)
}

/// Position words in French (masculine, feminine), Spanish (masculine, feminine) and German, a
/// line each in [`POSITIONS`] order, `|` between columns. They follow the noun: "Porte arrière
/// droite", "Puerta trasera derecha", "Tür hinten rechts". (Text, not an array of `&str`: each
/// `&str` would add 8 bytes of pointer and length to the binary, which compress badly.)
const POSITION_WORDS: &str = "\
    avant|avant|delantero|delantera|vorne\n\
    arrière|arrière|trasero|trasera|hinten\n\
    gauche|gauche|izquierdo|izquierda|links\n\
    droit|droite|derecho|derecha|rechts\n\
    central|centrale|central|central|Mitte\n\
    supérieur|supérieure|superior|superior|oben\n\
    inférieur|inférieure|inferior|inferior|unten\n\
    intérieur|intérieure|interior|interior|innen\n\
";

/// In a [`NOUN_WORDS`] gender digit: the noun is feminine in French.
const FR_FEMININE: u8 = 1;
/// In a [`NOUN_WORDS`] gender digit: the noun is feminine in Spanish.
const ES_FEMININE: u8 = 2;

/// Component nouns in French, Spanish and German, keyed by the English noun [`read_component`]
/// finds: a line each, `english|French|Spanish|German|gender`, the gender a digit of
/// [`FR_FEMININE`] and [`ES_FEMININE`] bits (0: masculine in both). Nouns come first in all three
/// languages, so they are written capitalised here.
const NOUN_WORDS: &str = "\
    door|Porte|Puerta|Tür|3\n\
    bumper|Pare-chocs|Parachoques|Stoßfänger|0\n\
    hood|Capot|Capó|Motorhaube|0\n\
    fender|Aile|Aleta|Kotflügel|3\n\
    quarter panel|Aile arrière|Aleta trasera|Seitenwand|3\n\
    rocker panel|Bas de caisse|Estribo|Schweller|0\n\
    wheel|Roue|Rueda|Rad|3\n\
    rim|Jante|Llanta|Felge|3\n\
    tire|Pneu|Neumático|Reifen|0\n\
    tyre|Pneu|Neumático|Reifen|0\n\
    spare wheel|Roue de secours|Rueda de repuesto|Reserverad|3\n\
    spare tire|Pneu de secours|Neumático de repuesto|Reservereifen|0\n\
    cap|Cache-moyeu|Tapabujes|Nabenkappe|0\n\
    wheel cap|Cache-moyeu|Tapabujes|Nabenkappe|0\n\
    wheel cover|Enjoliveur|Tapacubos|Radzierblende|0\n\
    wheel arch|Élargisseur d’aile|Moldura del paso de rueda|Radlaufverbreiterung|2\n\
    wheel well|Passage de roue|Paso de rueda|Radhaus|0\n\
    roof|Toit|Techo|Dach|0\n\
    sunroof|Toit ouvrant|Techo solar|Schiebedach|0\n\
    antenna|Antenne|Antena|Antenne|3\n\
    grille|Calandre|Parrilla|Kühlergrill|3\n\
    spoiler|Becquet|Alerón|Spoiler|0\n\
    tailgate|Hayon|Portón trasero|Heckklappe|0\n\
    liftgate|Hayon|Portón trasero|Heckklappe|0\n\
    trunk|Coffre|Maletero|Kofferraumdeckel|0\n\
    fuel door|Trappe à carburant|Tapa del depósito|Tankklappe|3\n\
    license plate|Plaque d’immatriculation|Matrícula|Kennzeichen|3\n\
    emblem|Emblème|Emblema|Emblem|0\n\
    badge|Monogramme|Insignia|Schriftzug|2\n\
    pillar|Montant|Pilar|Säule|0\n\
    A-pillar|Montant A|Pilar A|A-Säule|0\n\
    B-pillar|Montant B|Pilar B|B-Säule|0\n\
    C-pillar|Montant C|Pilar C|C-Säule|0\n\
    D-pillar|Montant D|Pilar D|D-Säule|0\n\
    handle|Poignée|Maneta|Griff|3\n\
    door handle|Poignée de porte|Maneta de puerta|Türgriff|3\n\
    molding|Baguette|Moldura|Zierleiste|3\n\
    moulding|Baguette|Moldura|Zierleiste|3\n\
    door molding|Baguette de porte|Moldura de puerta|Türzierleiste|3\n\
    mirror|Rétroviseur|Retrovisor|Spiegel|0\n\
    mirror housing|Coque de rétroviseur|Carcasa del retrovisor|Spiegelgehäuse|0\n\
    mirror glass|Glace de rétroviseur|Cristal del retrovisor|Spiegelglas|0\n\
    light|Feu|Luz|Leuchte|2\n\
    headlight|Phare|Faro|Scheinwerfer|0\n\
    taillight|Feu arrière|Piloto trasero|Rückleuchte|0\n\
    fog light|Antibrouillard|Antiniebla|Nebelleuchte|0\n\
    brake light|Feu stop|Luz de freno|Bremsleuchte|2\n\
    turn signal|Clignotant|Intermitente|Blinker|0\n\
    glass|Vitrage|Cristal|Scheibe|0\n\
    window|Vitre|Ventanilla|Scheibe|3\n\
    door glass|Vitre de porte|Cristal de puerta|Türscheibe|3\n\
    quarter glass|Vitre de custode|Ventanilla fija|Dreiecksfenster|3\n\
    rear window|Lunette arrière|Luneta trasera|Heckscheibe|3\n\
    windshield|Pare-brise|Parabrisas|Windschutzscheibe|0\n\
    windshield wiper|Essuie-glace|Limpiaparabrisas|Scheibenwischer|0\n\
    wiper|Essuie-glace|Limpiaparabrisas|Scheibenwischer|0\n\
    seat|Siège|Asiento|Sitz|0\n\
    dashboard|Tableau de bord|Salpicadero|Armaturenbrett|0\n\
    console|Console|Consola|Konsole|3\n\
    carpet|Moquette|Moqueta|Teppich|3\n\
    headliner|Ciel de toit|Tapizado del techo|Dachhimmel|0\n\
    steering wheel|Volant|Volante|Lenkrad|0\n\
";

/// Translated nouns that say where they are although the English doesn't: "LIGHT_TAIL_REAR_LEFT"
/// reads "Feu arrière gauche", not "Feu arrière arrière gauche".
const NOUN_WORDS_IMPLY: [(&str, &str); 2] = [("taillight", "REAR"), ("quarter panel", "REAR")];

/// The [`NOUN_WORDS`] line of an English noun, without its indent. (The tables are read with
/// `split_terminator(['\n'])`, which is `lines()` for them, without a `char` searcher: see
/// core/mod.rs.)
fn noun_row(noun: &str) -> Option<&'static str> {
    NOUN_WORDS.split_terminator(['\n']).map(str::trim_start).find(|row| row.split(['|']).next() == Some(noun))
}

/// [`component_words`] in `lang`: "DOOR_REAR_RIGHT" → "Porte arrière droite", "Puerta trasera
/// derecha", "Tür hinten rechts". The flag is `false` when the noun has no translation and the
/// words fell back to the whole English phrase (mark that text `lang="en"`); an empty code gives
/// `("", true)`.
pub fn component_words_in(code: &str, lang: Lang) -> (String, bool) {
    // The code is read once, whichever language the words end up in.
    let (noun, positions) = read_component(code);
    if lang == Lang::En || (noun.is_empty() && positions.is_empty()) {
        return (english_words(&noun, &positions), true);
    }
    let Some(row) = noun_row(&noun) else {
        return (english_words(&noun, &positions), false);
    };
    let mut cells = row.split(['|']).skip(1);
    let (fr, es, de) =
        (cells.next().unwrap_or_default(), cells.next().unwrap_or_default(), cells.next().unwrap_or_default());
    let gender = cells.next().and_then(|g| g.bytes().next()).map_or(0, |g| g.wrapping_sub(b'0'));
    let (word, column) = match lang {
        Lang::Fr => (fr, usize::from(gender & FR_FEMININE != 0)),
        Lang::Es => (es, 2 + usize::from(gender & ES_FEMININE != 0)),
        _ => (de, 4),
    };
    let implied = NOUN_WORDS_IMPLY.iter().find(|(n, _)| *n == noun).map(|(_, p)| *p);
    let mut out = String::with_capacity(word.len() + 12 * positions.len());
    out.push_str(word);
    for p in positions.iter().filter(|p| implied.is_none_or(|i| !p.eq_ignore_ascii_case(i))) {
        let Some(pos) = POSITIONS.iter().position(|q| p.eq_ignore_ascii_case(q)) else { continue };
        let Some(w) =
            POSITION_WORDS.split_terminator(['\n']).nth(pos).and_then(|row| row.trim_start().split(['|']).nth(column))
        else {
            continue;
        };
        out.push(' ');
        out.push_str(w);
    }
    (out, true)
}

/// Upper-cases the first letter if it is ASCII (and leaves the rest alone, so "A-pillar"
/// stays). ASCII only: Unicode case tables would cost the binary several KB for words that are
/// ASCII by construction.
pub fn capitalize(text: &str) -> String {
    let mut s = text.to_owned();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Lower-cases the first letter if it is a Latin-1 capital ("Rear left door" → "rear left door",
/// "Élargisseur d’aile" → "élargisseur d’aile": the tables' words; no Unicode case tables in
/// the build).
pub fn decapitalize(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let lower = match first {
        'A'..='Z' | 'À'..='Þ' if first != '×' => char::from_u32(u32::from(first) + 32).unwrap_or(first),
        _ => first,
    };
    let mut s = String::with_capacity(text.len());
    s.push(lower);
    s.push_str(chars.as_str());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decapitalize_lowers_a_latin_1_capital_only() {
        assert_eq!(decapitalize("Rear left door"), "rear left door");
        assert_eq!(decapitalize("Élargisseur d’aile"), "élargisseur d’aile");
        assert_eq!(decapitalize("Ölwanne"), "ölwanne");
        assert_eq!((decapitalize("×2"), decapitalize("")), ("×2".to_owned(), String::new()));
        assert_eq!(decapitalize("ŒIL"), "ŒIL");
    }

    #[test]
    fn components_read_as_english() {
        let cases = [
            ("DOOR_REAR_LEFT", "Rear left door"),
            ("BUMPER_FRONT_UNIQUE", "Front bumper"),
            ("HOUSING_MIRROR_LEFT", "Left mirror housing"),
            ("WHEEL_FRONT_LEFT", "Front left wheel"),
            ("LIGHT_HEAD_FRONT_RIGHT", "Front right headlight"),
            ("QUARTER_PANEL_RIGHT", "Right quarter panel"),
            ("ROCKER_PANEL_RIGHT", "Right rocker panel"),
            ("TRUNK_REAR_UNIQUE", "Trunk"),
            ("HOOD_FRONT_UNIQUE", "Hood"),
            ("GLASS_BACK_REAR", "Rear window"),
            ("BUMPER_REAR_UNIQUE", "Rear bumper"),
            ("DOOR_FRONT_RIGHT", "Front right door"),
            ("PILLAR_A_LEFT", "Left A-pillar"),
            ("SPOILER_REAR_UNIQUE", "Rear spoiler"),
            ("WHEEL_SPARE", "Spare wheel"),
            ("SPARE_TIRE_REAR", "Rear spare tire"),
            ("TYRE_SPARE", "Spare tire"),
            ("FLUX_CAPACITOR", "Flux capacitor"),
            ("roof", "Roof"),
            ("", ""),
            ("___", ""),
        ];
        for (code, words) in cases {
            assert_eq!(component_words(code), words, "{code}");
        }
    }

    /// The sample report's components and more, in French, Spanish and German.
    const TRANSLATED: [(&str, &str, &str, &str); 34] = [
        ("WHEEL_FRONT_LEFT", "Roue avant gauche", "Rueda delantera izquierda", "Rad vorne links"),
        ("WHEEL_SPARE", "Roue de secours", "Rueda de repuesto", "Reserverad"),
        ("TIRE_SPARE_REAR", "Pneu de secours arrière", "Neumático de repuesto trasero", "Reservereifen hinten"),
        ("DOOR_REAR_LEFT", "Porte arrière gauche", "Puerta trasera izquierda", "Tür hinten links"),
        ("LIGHT_HEAD_FRONT_LEFT", "Phare avant gauche", "Faro delantero izquierdo", "Scheinwerfer vorne links"),
        ("LIGHT_HEAD_FRONT_RIGHT", "Phare avant droit", "Faro delantero derecho", "Scheinwerfer vorne rechts"),
        ("BUMPER_FRONT_UNIQUE", "Pare-chocs avant", "Parachoques delantero", "Stoßfänger vorne"),
        ("HOOD_FRONT_UNIQUE", "Capot", "Capó", "Motorhaube"),
        (
            "HOUSING_MIRROR_LEFT",
            "Coque de rétroviseur gauche",
            "Carcasa del retrovisor izquierdo",
            "Spiegelgehäuse links",
        ),
        (
            "MIRROR_HOUSING_RIGHT",
            "Coque de rétroviseur droit",
            "Carcasa del retrovisor derecho",
            "Spiegelgehäuse rechts",
        ),
        ("DOOR_FRONT_RIGHT", "Porte avant droite", "Puerta delantera derecha", "Tür vorne rechts"),
        ("DOOR_REAR_RIGHT", "Porte arrière droite", "Puerta trasera derecha", "Tür hinten rechts"),
        ("ROCKER_PANEL_RIGHT", "Bas de caisse droit", "Estribo derecho", "Schweller rechts"),
        ("QUARTER_PANEL_RIGHT", "Aile arrière droite", "Aleta trasera derecha", "Seitenwand rechts"),
        ("QUARTER_PANEL_REAR_LEFT", "Aile arrière gauche", "Aleta trasera izquierda", "Seitenwand links"),
        ("WHEEL_REAR_RIGHT", "Roue arrière droite", "Rueda trasera derecha", "Rad hinten rechts"),
        ("BUMPER_REAR_UNIQUE", "Pare-chocs arrière", "Parachoques trasero", "Stoßfänger hinten"),
        ("TRUNK_REAR_UNIQUE", "Coffre", "Maletero", "Kofferraumdeckel"),
        ("FENDER_FRONT_LEFT", "Aile avant gauche", "Aleta delantera izquierda", "Kotflügel vorne links"),
        ("GLASS_BACK_REAR", "Lunette arrière", "Luneta trasera", "Heckscheibe"),
        ("WINDSHIELD_FRONT", "Pare-brise", "Parabrisas", "Windschutzscheibe"),
        ("LIGHT_TAIL_REAR_LEFT", "Feu arrière gauche", "Piloto trasero izquierdo", "Rückleuchte links"),
        ("LIGHT_BRAKE_CENTER", "Feu stop central", "Luz de freno central", "Bremsleuchte Mitte"),
        ("PILLAR_A_LEFT", "Montant A gauche", "Pilar A izquierdo", "A-Säule links"),
        (
            "HANDLE_DOOR_FRONT_RIGHT",
            "Poignée de porte avant droite",
            "Maneta de puerta delantera derecha",
            "Türgriff vorne rechts",
        ),
        (
            "GLASS_DOOR_REAR_RIGHT",
            "Vitre de porte arrière droite",
            "Cristal de puerta trasera derecha",
            "Türscheibe hinten rechts",
        ),
        ("TIRE_FRONT_RIGHT", "Pneu avant droit", "Neumático delantero derecho", "Reifen vorne rechts"),
        ("RIM_REAR_LEFT", "Jante arrière gauche", "Llanta trasera izquierda", "Felge hinten links"),
        ("TAILGATE_REAR", "Hayon", "Portón trasero", "Heckklappe"),
        ("GRILLE_FRONT_UNIQUE", "Calandre", "Parrilla", "Kühlergrill"),
        ("SPOILER_REAR_UNIQUE", "Becquet arrière", "Alerón trasero", "Spoiler hinten"),
        (
            "SEAT_FRONT_LEFT_UPPER",
            "Siège avant gauche supérieur",
            "Asiento delantero izquierdo superior",
            "Sitz vorne links oben",
        ),
        ("STEERING_WHEEL", "Volant", "Volante", "Lenkrad"),
        (
            "WELL_WHEEL_FRONT_RIGHT_INNER",
            "Passage de roue avant droit intérieur",
            "Paso de rueda delantero derecho interior",
            "Radhaus vorne rechts innen",
        ),
    ];

    #[test]
    fn components_read_in_french_spanish_and_german() {
        for (code, fr, es, de) in TRANSLATED {
            assert_eq!(component_words_in(code, Lang::Fr), (fr.to_owned(), true), "{code}");
            assert_eq!(component_words_in(code, Lang::Es), (es.to_owned(), true), "{code}");
            assert_eq!(component_words_in(code, Lang::De), (de.to_owned(), true), "{code}");
            assert_eq!(component_words_in(code, Lang::En), (component_words(code), true), "{code}");
        }
    }

    #[test]
    fn untranslated_components_fall_back_to_english() {
        for lang in [Lang::Fr, Lang::Es, Lang::De] {
            assert_eq!(component_words_in("FLUX_CAPACITOR", lang), ("Flux capacitor".to_owned(), false));
            assert_eq!(
                component_words_in("FLUX_CAPACITOR_REAR_LEFT", lang),
                ("Rear left flux capacitor".to_owned(), false)
            );
            assert_eq!(component_words_in("FRONT_LEFT", lang), ("Front left".to_owned(), false));
            assert_eq!(component_words_in("", lang), (String::new(), true));
            assert_eq!(component_words_in("___UNIQUE", lang), (String::new(), true));
            assert!(component_words_in("door-rear-left", lang).1);
        }
    }

    #[test]
    fn every_listed_noun_has_every_translation() {
        for (parts, noun) in NOUNS {
            assert!(noun_row(noun).is_some(), "{parts:?}");
        }
        for (noun, _) in IMPLIED_POSITION.iter().chain(&NOUN_WORDS_IMPLY) {
            assert!(noun_row(noun).is_some(), "{noun}");
        }
        for row in NOUN_WORDS.lines() {
            let cells: Vec<&str> = row.split('|').collect();
            assert_eq!(cells.len(), 5, "{row}");
            assert!(cells.iter().all(|c| !c.is_empty() && c.trim() == *c), "{row}");
            assert!(matches!(cells[4], "0" | "1" | "2" | "3"), "{row}");
            assert_eq!(NOUN_WORDS.lines().filter(|r| r.split('|').next() == Some(cells[0])).count(), 1, "{row}");
        }
        for row in POSITION_WORDS.lines() {
            assert_eq!(row.split('|').filter(|c| !c.is_empty()).count(), 5, "{row}");
        }
        assert_eq!(POSITION_WORDS.lines().count(), POSITIONS.len());
        let single = [
            "DOOR",
            "BUMPER",
            "HOOD",
            "FENDER",
            "WHEEL",
            "TIRE",
            "ROOF",
            "GRILLE",
            "MIRROR",
            "SPOILER",
            "TAILGATE",
            "LIFTGATE",
            "TRUNK",
            "WINDSHIELD",
            "WINDOW",
            "HANDLE",
            "PILLAR",
            "RIM",
            "CAP",
            "EMBLEM",
            "BADGE",
            "ANTENNA",
            "SUNROOF",
            "SEAT",
            "DASHBOARD",
            "CONSOLE",
            "CARPET",
            "HEADLINER",
            "STEERING_WHEEL",
        ];
        for code in single {
            for lang in [Lang::Fr, Lang::Es, Lang::De] {
                assert!(component_words_in(code, lang).1, "{code}");
            }
        }
    }

    #[test]
    fn english_is_unchanged_in_component_words_in() {
        let codes = [
            "DOOR_REAR_LEFT",
            "BUMPER_FRONT_UNIQUE",
            "HOUSING_MIRROR_LEFT",
            "WHEEL_FRONT_LEFT",
            "LIGHT_HEAD_FRONT_RIGHT",
            "QUARTER_PANEL_RIGHT",
            "ROCKER_PANEL_RIGHT",
            "TRUNK_REAR_UNIQUE",
            "HOOD_FRONT_UNIQUE",
            "GLASS_BACK_REAR",
            "BUMPER_REAR_UNIQUE",
            "DOOR_FRONT_RIGHT",
            "PILLAR_A_LEFT",
            "SPOILER_REAR_UNIQUE",
            "FLUX_CAPACITOR",
            "roof",
            "",
            "___",
        ];
        for code in codes {
            assert_eq!(component_words_in(code, Lang::En), (component_words(code), true), "{code}");
        }
    }

    #[test]
    fn photo_codes_read_in_every_language() {
        assert_eq!(photo_code_rows().count(), 13);
        for row in photo_code_rows() {
            assert_eq!(row.split('|').filter(|c| !c.is_empty() && c.trim() == *c).count(), 5, "{row}");
        }
        for code in 1..=13 {
            let photo = PhotoCode(code);
            assert!(photo.pave_label().is_some_and(|l| PhotoCode::parse(l) == Some(photo)), "{code}");
            assert_eq!(photo.words_in(Lang::En), photo.words());
            for lang in [Lang::En, Lang::Fr, Lang::Es, Lang::De] {
                assert!(photo.words_in(lang).is_some_and(|w| !w.is_empty()), "{code}");
            }
        }
        assert_eq!(PhotoCode(10).words_in(Lang::Fr), Some("Avant gauche"));
        assert_eq!(PhotoCode(10).words_in(Lang::Es), Some("Delantera izquierda"));
        assert_eq!(PhotoCode(10).words_in(Lang::De), Some("Vorne links"));
        assert_eq!(PhotoCode(1).words_in(Lang::De), Some("FIN"));
        assert_eq!(PhotoCode(8).words_in(Lang::De), Some("Heck"));
        assert_eq!(PhotoCode(14).words_in(Lang::Fr), None);
    }

    #[test]
    fn photo_codes_follow_the_pave_table() {
        let expected = [
            (1, "VIN"),
            (2, "Interior"),
            (3, "Cluster"),
            (4, "Left"),
            (5, "Front"),
            (6, "Tires"),
            (7, "Right"),
            (8, "Rear"),
            (9, "Windshield"),
            (10, "Front_Left"),
            (11, "Front_Right"),
            (12, "Rear_Right"),
            (13, "Rear_Left"),
        ];
        for (code, label) in expected {
            assert_eq!(PhotoCode(code).pave_label(), Some(label));
            assert_eq!(PhotoCode::parse(label), Some(PhotoCode(code)));
        }
        assert_eq!(PhotoCode(14).pave_label(), None);
        assert_eq!(PhotoCode(10).words(), Some("Front left"));
    }

    #[test]
    fn photo_names_parse_in_any_spelling() {
        assert_eq!(PhotoCode::parse(" 5 "), Some(PhotoCode(5)));
        assert_eq!(PhotoCode::parse("front left"), Some(PhotoCode(10)));
        assert_eq!(PhotoCode::parse("FRONT-LEFT"), Some(PhotoCode(10)));
        assert_eq!(PhotoCode::parse("rear"), Some(PhotoCode(8)));
        assert_eq!(PhotoCode::parse("sideways"), None);
        assert_eq!(PhotoCode::parse(""), None);
        assert_eq!(PhotoCode::parse("-3"), None);
    }

    #[test]
    fn groups_and_severity() {
        assert_eq!(DamageGroup::from_code("BODY"), DamageGroup::Body);
        assert_eq!(DamageGroup::from_code("wheel"), DamageGroup::Wheel);
        assert_eq!(DamageGroup::from_code("PART"), DamageGroup::Part);
        assert_eq!(DamageGroup::from_code("SPACESHIP"), DamageGroup::Other);
        for g in DamageGroup::ALL {
            assert_eq!(DamageGroup::ALL[g.ordinal()], g);
        }
        assert_eq!(Severity::from_damage_name("CURB_RASH_MINOR"), Severity::Minor);
        assert_eq!(Severity::from_damage_name("SCRAPED_MEDIUM"), Severity::Medium);
        assert_eq!(Severity::from_damage_name("DENTED_MAJOR_THROUGH_PAINT"), Severity::Major);
        assert_eq!(Severity::from_damage_name("MISALIGNED"), Severity::Unknown);
        assert_eq!(Severity::from_damage_name("MINOR_X_MAJOR"), Severity::Major);
    }
}
