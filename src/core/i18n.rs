//! The widget's own words in English, French, Spanish and German. PAVE's texts (description,
//! tolerance, repair method) are shown as PAVE sends them.

#[allow(unused_imports)]
use crate::prelude::*;

use super::num::push_uint;
use super::words::{DamageGroup, Severity};

/// A label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// German.
    De,
}

impl Lang {
    /// Reads a `lang` attribute or BCP 47 tag ("fr", "fr-CA", "DE"); anything else is English.
    pub fn parse(tag: &str) -> Lang {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "fr" => Lang::Fr,
            "es" => Lang::Es,
            "de" => Lang::De,
            _ => Lang::En,
        }
    }

    /// The BCP 47 tag, for the shadow root's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::De => "de",
        }
    }

    /// The labels in this language.
    pub fn labels(self) -> Labels {
        let table = match self {
            Lang::En => EN,
            Lang::Fr => FR,
            Lang::Es => ES,
            Lang::De => DE,
        };
        Labels::read(self, table)
    }
}

/// Every label the widget shows, in one language. `{n}` and `{total}` are filled in by
/// [`Labels::fill`].
#[derive(Debug)]
pub struct Labels {
    /// The language these labels are in (component and photo words follow it).
    pub lang: Lang,
    /// The lines of the language's table (see [`EN`]).
    lines: [&'static str; LINES],
}

/// Declares the labels a table's lines hold, in table order: a `Line` for each (its number) and
/// a method of [`Labels`] that reads it. The severity words and group names follow them.
macro_rules! labels {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A line of a label table.
        #[allow(non_camel_case_types)]
        enum Line {
            $($name,)*
            /// The first of three severity words: minor, medium, major.
            Severity,
            /// The first of seven group names, in [`DamageGroup::ALL`] order.
            Groups = Line::Severity as isize + 3,
        }

        impl Labels {
            $($(#[$doc])* pub fn $name(&self) -> &'static str {
                self.line(Line::$name as usize)
            })*
        }
    };
}

labels! {
    /// "1 damage".
    damage_one,
    /// "{n} damages".
    damage_many,
    /// "{n} of {total}": a damage's number among all.
    n_of_total,
    /// Heading of the damage list.
    damages,
    /// "All": the filter that shows every group.
    all,
    /// "Filter by group" (the filter's accessible name).
    filter,
    /// "Loading damage report…".
    loading,
    /// "Inspection in progress…".
    inspecting,
    /// "No damage reported".
    no_damage,
    /// "Damage report not found".
    not_found,
    /// A network failure.
    error_network,
    /// A timeout.
    error_timeout,
    /// An HTTP error status.
    error_http,
    /// An unreadable response.
    error_malformed,
    /// Polling gave up.
    error_inspection_timeout,
    /// "Retry".
    retry,
    /// "Close".
    close,
    /// "Previous damage".
    previous,
    /// "Next damage".
    next,
    /// "Previous photo".
    previous_photo,
    /// "Next photo".
    next_photo,
    /// "Tolerance".
    tolerance,
    /// "Repair".
    repair_method,
    /// "Type": the term before a damage's group and severity.
    group_term,
    /// "Photo".
    photo,
    /// "{n} damages here": a cluster's accessible name.
    cluster,
    /// "Damage markers": the overlay's accessible name.
    markers,
    /// "Close-up of the damage".
    close_up,
    /// "This photo could not be loaded." (the built-in viewer's, for a link that expired, say).
    photo_failed,
}

/// How many lines a label table has.
const LINES: usize = Line::Groups as usize + 7;

impl Labels {
    /// The labels of `lang` from its table.
    fn read(lang: Lang, table: &'static str) -> Labels {
        let mut lines = [""; LINES];
        for (slot, line) in lines.iter_mut().zip(table.split_terminator(['\n'])) {
            *slot = line;
        }
        Labels { lang, lines }
    }

    /// Line `k` of the table.
    fn line(&self, k: usize) -> &'static str {
        self.lines.get(k).copied().unwrap_or("")
    }

    /// A severity's word (none for an unknown severity).
    pub fn severity(&self, s: Severity) -> Option<&'static str> {
        let k = match s {
            Severity::Minor => 0,
            Severity::Medium => 1,
            Severity::Major => 2,
            Severity::Unknown => return None,
        };
        Some(self.line(Line::Severity as usize + k))
    }

    /// A group's name.
    pub fn group(&self, g: DamageGroup) -> &'static str {
        self.line(Line::Groups as usize + g.ordinal())
    }

    /// "27 damages" / "1 damage" (and in French "0 dommage": its singular covers 0 too).
    pub fn damage_count(&self, n: usize) -> String {
        let one = n == 1 || (n == 0 && self.lang == Lang::Fr);
        self.fill(if one { self.damage_one() } else { self.damage_many() }, n, 0)
    }

    /// Replaces `{n}` and `{total}` in a label, as the language writes numbers ([`Self::push_num`]).
    pub fn fill(&self, template: &str, n: usize, total: usize) -> String {
        let mut out = String::with_capacity(template.len() + 8);
        let mut rest = template;
        // (`['{']`, not `'{'`: see core/mod.rs.)
        while let Some(open) = rest.find(['{']) {
            out.push_str(rest.get(..open).unwrap_or(""));
            let after = rest.get(open..).unwrap_or("");
            if let Some(tail) = after.strip_prefix("{n}") {
                self.push_num(&mut out, n as u64);
                rest = tail;
            } else if let Some(tail) = after.strip_prefix("{total}") {
                self.push_num(&mut out, total as u64);
                rest = tail;
            } else {
                out.push('{');
                rest = after.get(1..).unwrap_or("");
            }
        }
        out.push_str(rest);
        out
    }

    /// Appends the count `n` as the language writes it: 1,000 in English, 1 000 in French (a
    /// narrow no-break space), 1.000 in German; Spanish groups from five digits, 10 000 (a
    /// no-break space, as the RAE has it).
    pub fn push_num(&self, out: &mut String, n: u64) {
        let (sep, from) = match self.lang {
            Lang::En => (',', 1000),
            Lang::Fr => ('\u{202f}', 1000),
            Lang::De => ('.', 1000),
            Lang::Es => ('\u{a0}', 10_000),
        };
        let mut digits = String::new();
        push_uint(&mut digits, n);
        let len = digits.len();
        for (k, c) in digits.chars().enumerate() {
            if n >= from && k > 0 && len.saturating_sub(k) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
    }
}

/// English: a line per label, in [`Line`] order. (Text, not a struct of `&str`s: each `&str`
/// would add 8 bytes of pointer and length to the binary, which compress badly.)
const EN: &str = "\
    1\u{a0}damage\n\
    {n}\u{a0}damages\n\
    {n} of {total}\n\
    Damages\n\
    All\n\
    Filter by group\n\
    Loading the damage report…\n\
    Inspection in progress. The report appears here when it is ready.\n\
    No damage reported.\n\
    No damage report was found for this vehicle.\n\
    The damage report could not be loaded (network error).\n\
    The damage report took too long to load.\n\
    The damage report could not be loaded (server error).\n\
    The damage report could not be read.\n\
    The inspection is taking longer than expected.\n\
    Retry\n\
    Close\n\
    Previous damage\n\
    Next damage\n\
    Previous photo\n\
    Next photo\n\
    Tolerance\n\
    Repair\n\
    Type\n\
    Photo\n\
    {n} damages here\n\
    Damage markers\n\
    Close-up of the damage\n\
    This photo could not be loaded.\n\
    Minor\n\
    Medium\n\
    Major\n\
    Body\n\
    Part\n\
    Wheel\n\
    Glass\n\
    Tire\n\
    Interior\n\
    Other\n\
";

/// French, as [`EN`].
const FR: &str = "\
    {n}\u{a0}dommage\n\
    {n}\u{a0}dommages\n\
    {n} sur {total}\n\
    Dommages\n\
    Tous\n\
    Filtrer par type\n\
    Chargement du rapport de dommages…\n\
    Inspection en cours. Le rapport s’affichera ici dès qu’il sera prêt.\n\
    Aucun dommage signalé.\n\
    Aucun rapport de dommages n’a été trouvé pour ce véhicule.\n\
    Le rapport de dommages n’a pas pu être chargé (erreur réseau).\n\
    Le chargement du rapport de dommages a pris trop de temps.\n\
    Le rapport de dommages n’a pas pu être chargé (erreur du serveur).\n\
    Le rapport de dommages est illisible.\n\
    L’inspection prend plus de temps que prévu.\n\
    Réessayer\n\
    Fermer\n\
    Dommage précédent\n\
    Dommage suivant\n\
    Photo précédente\n\
    Photo suivante\n\
    Tolérance\n\
    Réparation\n\
    Type\n\
    Photo\n\
    {n} dommages ici\n\
    Repères de dommages\n\
    Gros plan du dommage\n\
    Cette photo n’a pas pu être chargée.\n\
    Léger\n\
    Moyen\n\
    Important\n\
    Carrosserie\n\
    Pièce\n\
    Roue\n\
    Vitrage\n\
    Pneu\n\
    Intérieur\n\
    Autre\n\
";

/// Spanish, as [`EN`].
const ES: &str = "\
    1\u{a0}daño\n\
    {n}\u{a0}daños\n\
    {n} de {total}\n\
    Daños\n\
    Todos\n\
    Filtrar por tipo\n\
    Cargando el informe de daños…\n\
    Inspección en curso. El informe aparecerá aquí cuando esté listo.\n\
    No se han registrado daños.\n\
    No se encontró un informe de daños para este vehículo.\n\
    No se pudo cargar el informe de daños (error de red).\n\
    El informe de daños tardó demasiado en cargarse.\n\
    No se pudo cargar el informe de daños (error del servidor).\n\
    No se pudo leer el informe de daños.\n\
    La inspección está tardando más de lo previsto.\n\
    Reintentar\n\
    Cerrar\n\
    Daño anterior\n\
    Daño siguiente\n\
    Foto anterior\n\
    Foto siguiente\n\
    Tolerancia\n\
    Reparación\n\
    Tipo\n\
    Foto\n\
    {n} daños aquí\n\
    Marcadores de daños\n\
    Primer plano del daño\n\
    No se pudo cargar esta foto.\n\
    Leve\n\
    Medio\n\
    Grave\n\
    Carrocería\n\
    Pieza\n\
    Rueda\n\
    Cristal\n\
    Neumático\n\
    Interior\n\
    Otro\n\
";

/// German, as [`EN`].
const DE: &str = "\
    1\u{a0}Schaden\n\
    {n}\u{a0}Schäden\n\
    {n} von {total}\n\
    Schäden\n\
    Alle\n\
    Nach Art filtern\n\
    Schadensbericht wird geladen…\n\
    Die Fahrzeugbegutachtung läuft. Der Bericht erscheint hier, sobald er fertig ist.\n\
    Keine Schäden gemeldet.\n\
    Für dieses Fahrzeug wurde kein Schadensbericht gefunden.\n\
    Der Schadensbericht konnte nicht geladen werden (Netzwerkfehler).\n\
    Das Laden des Schadensberichts hat zu lange gedauert.\n\
    Der Schadensbericht konnte nicht geladen werden (Serverfehler).\n\
    Der Schadensbericht ist nicht lesbar.\n\
    Die Begutachtung dauert länger als erwartet.\n\
    Erneut versuchen\n\
    Schließen\n\
    Vorheriger Schaden\n\
    Nächster Schaden\n\
    Vorheriges Foto\n\
    Nächstes Foto\n\
    Toleranz\n\
    Reparatur\n\
    Art\n\
    Foto\n\
    {n} Schäden hier\n\
    Schadensmarkierungen\n\
    Nahaufnahme des Schadens\n\
    Dieses Foto konnte nicht geladen werden.\n\
    Leicht\n\
    Mittel\n\
    Schwer\n\
    Karosserie\n\
    Anbauteil\n\
    Rad\n\
    Verglasung\n\
    Reifen\n\
    Innenraum\n\
    Sonstiges\n\
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse() {
        assert_eq!(Lang::parse("fr"), Lang::Fr);
        assert_eq!(Lang::parse("fr-CA"), Lang::Fr);
        assert_eq!(Lang::parse(" DE "), Lang::De);
        assert_eq!(Lang::parse("es_MX"), Lang::Es);
        assert_eq!(Lang::parse("it"), Lang::En);
        assert_eq!(Lang::parse(""), Lang::En);
    }

    #[test]
    fn templates_fill() {
        let en = Lang::En.labels();
        assert_eq!(en.fill("{n} of {total}", 3, 27), "3 of 27");
        assert_eq!(en.fill("{x} {n", 3, 27), "{x} {n");
        // A count never wraps away from its noun (a no-break space).
        assert_eq!(Lang::Fr.labels().damage_count(27), "27\u{a0}dommages");
        assert_eq!(Lang::De.labels().damage_count(1), "1\u{a0}Schaden");
        assert_eq!(Lang::Fr.labels().damage_count(1), "1\u{a0}dommage");
        assert_eq!(Lang::Fr.labels().damage_count(0), "0\u{a0}dommage");
        assert_eq!(en.damage_count(0), "0\u{a0}damages");
    }

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        let [en, fr, de, es] = [Lang::En, Lang::Fr, Lang::De, Lang::Es].map(Lang::labels);
        let num = |l: &Labels, n: u64| {
            let mut s = String::new();
            l.push_num(&mut s, n);
            s
        };
        assert_eq!(
            [num(&en, 0), num(&en, 999), num(&en, 1000), num(&en, 1_234_567)],
            ["0", "999", "1,000", "1,234,567"]
        );
        assert_eq!([num(&fr, 27), num(&fr, 1000), num(&fr, 10_000)], ["27", "1\u{202f}000", "10\u{202f}000"]);
        assert_eq!([num(&de, 1000), num(&de, 100_000)], ["1.000", "100.000"]);
        assert_eq!([num(&es, 1000), num(&es, 9999), num(&es, 10_000)], ["1000", "9999", "10\u{a0}000"]);
        assert_eq!(en.fill("{n} of {total}", 1, 1000), "1 of 1,000");
        assert_eq!(fr.damage_count(1000), "1\u{202f}000\u{a0}dommages");
    }

    #[test]
    fn every_table_has_a_line_per_label() {
        for table in [EN, FR, ES, DE] {
            assert_eq!(table.split_terminator(['\n']).count(), LINES);
            assert!(table.lines().all(|l| l.trim() == l && !l.is_empty()), "{table}");
        }
    }

    #[test]
    fn labels_read_their_lines() {
        let en = Lang::En.labels();
        assert_eq!((en.damage_one(), en.retry(), en.close_up()), ("1\u{a0}damage", "Retry", "Close-up of the damage"));
        assert_eq!(en.group_term(), "Type");
        assert_eq!((en.severity(Severity::Minor), en.severity(Severity::Major)), (Some("Minor"), Some("Major")));
        assert_eq!(en.severity(Severity::Unknown), None);
        assert_eq!((en.group(DamageGroup::ALL[0]), en.group(DamageGroup::ALL[6])), ("Body", "Other"));
        let de = Lang::De.labels();
        assert_eq!((de.close_up(), de.severity(Severity::Medium)), ("Nahaufnahme des Schadens", Some("Mittel")));
        assert_eq!(
            (en.photo_failed(), de.photo_failed()),
            ("This photo could not be loaded.", "Dieses Foto konnte nicht geladen werden.")
        );
        assert_eq!((de.group(DamageGroup::ALL[0]), de.group(DamageGroup::ALL[6])), ("Karosserie", "Sonstiges"));
    }

    #[test]
    fn every_language_has_every_label() {
        for lang in [Lang::En, Lang::Fr, Lang::Es, Lang::De] {
            let l = lang.labels();
            assert!(l.damage_many().contains("{n}") && l.cluster().contains("{n}"));
            assert!(l.n_of_total().contains("{n}") && l.n_of_total().contains("{total}"));
            if lang != Lang::En {
                assert_ne!(l.retry(), Lang::En.labels().retry(), "{lang:?} is not translated");
            }
        }
    }
}
