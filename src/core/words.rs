//! Words for people: PAVE's codes (`DOOR_REAR_LEFT`, `BODY`, `SCRAPED_MAJOR`, photo code 10)
//! turned into what a car buyer reads.

#[allow(unused_imports)]
use crate::prelude::*;

/// A PAVE photo code: which angle of the car a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoCode(pub u16);

/// PAVE's photo code table: code, PAVE's label (as the API writes it), and words for people.
const PHOTO_CODES: [(u16, &str, &str); 13] = [
    (1, "VIN", "VIN"),
    (2, "Interior", "Interior"),
    (3, "Cluster", "Instrument cluster"),
    (4, "Left", "Left"),
    (5, "Front", "Front"),
    (6, "Tires", "Tires"),
    (7, "Right", "Right"),
    (8, "Rear", "Rear"),
    (9, "Windshield", "Windshield"),
    (10, "Front_Left", "Front left"),
    (11, "Front_Right", "Front right"),
    (12, "Rear_Right", "Rear right"),
    (13, "Rear_Left", "Rear left"),
];

impl PhotoCode {
    /// PAVE's own label for this code ("Front_Left"), or `None` for a code outside the table.
    pub fn pave_label(self) -> Option<&'static str> {
        PHOTO_CODES.iter().find(|(c, _, _)| *c == self.0).map(|(_, l, _)| *l)
    }

    /// Words for people ("Front left"), or `None` for a code outside the table.
    pub fn words(self) -> Option<&'static str> {
        PHOTO_CODES.iter().find(|(c, _, _)| *c == self.0).map(|(_, _, w)| *w)
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
        PHOTO_CODES.iter().find(|(_, label, _)| same_words(label, text)).map(|(c, _, _)| PhotoCode(*c))
    }
}

/// Whether two labels are the same words, ignoring case and the separators `_`, `-` and space.
pub fn same_words(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
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
        name.split(|c: char| c == '_' || c == '-' || c.is_whitespace())
            .map(|w| {
                let is = |s: &str| w.eq_ignore_ascii_case(s);
                if is("MAJOR") || is("SEVERE") || is("HEAVY") {
                    Severity::Major
                } else if is("MEDIUM") || is("MODERATE") {
                    Severity::Medium
                } else if is("MINOR") || is("LIGHT") {
                    Severity::Minor
                } else {
                    Severity::Unknown
                }
            })
            .max()
            .unwrap_or(Severity::Unknown)
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

/// Turns a PAVE component code into words for people: "DOOR_REAR_LEFT" → "Rear left door",
/// "BUMPER_FRONT_UNIQUE" → "Front bumper", "HOUSING_MIRROR_LEFT" → "Left mirror housing".
/// Codes we don't know still read well: position words first, then the rest in lower case
/// ("SPOILER_REAR_UNIQUE" → "Rear spoiler"). An empty code gives an empty string.
pub fn component_words(code: &str) -> String {
    let words: Vec<&str> = code
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("UNIQUE"))
        .collect();
    let is_position = |w: &&str| POSITIONS.iter().any(|p| w.eq_ignore_ascii_case(p));
    let positions: Vec<&str> = words.iter().copied().filter(is_position).collect();
    let rest: Vec<&str> = words.iter().copied().filter(|w| !is_position(w)).collect();

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
    let mut out = String::with_capacity(code.len() + 4);
    for p in positions.iter().filter(|p| implied.is_none_or(|i| !p.eq_ignore_ascii_case(i))) {
        out.push_str(&p.to_ascii_lowercase());
        out.push(' ');
    }
    out.push_str(&noun);
    let out = out.trim().to_owned();
    capitalize(&out)
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

/// Lower-cases the first letter if it is ASCII ("Rear left door" → "rear left door").
pub fn decapitalize(text: &str) -> String {
    let mut s = text.to_owned();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("FLUX_CAPACITOR", "Flux capacitor"),
            ("roof", "Roof"),
            ("", ""),
            ("___", ""),
        ];
        for (code, words) in cases {
            assert_eq!(component_words(code), words, "{code}");
        }
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
