//! The widget's own words in English, French, Spanish and German. PAVE's texts (description,
//! tolerance, repair method) are shown as PAVE sends them.

#[allow(unused_imports)]
use crate::prelude::*;

use super::num::push_uint;
use super::words::DamageGroup;

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
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
            Lang::Es => &ES,
            Lang::De => &DE,
        }
    }
}

/// Every label the widget shows. `{n}` and `{total}` are filled in by [`fill`].
#[derive(Debug)]
pub struct Labels {
    /// The language these labels are in (component and photo words follow it).
    pub lang: Lang,
    /// "1 damage".
    pub damage_one: &'static str,
    /// "{n} damages".
    pub damage_many: &'static str,
    /// "{n} of {total}": a damage's number among all.
    pub n_of_total: &'static str,
    /// Heading of the damage list.
    pub damages: &'static str,
    /// "All": the filter that shows every group.
    pub all: &'static str,
    /// "Filter by group" (the filter's accessible name).
    pub filter: &'static str,
    /// "Loading damage report…".
    pub loading: &'static str,
    /// "Inspection in progress…".
    pub inspecting: &'static str,
    /// "No damage reported".
    pub no_damage: &'static str,
    /// "Damage report not found".
    pub not_found: &'static str,
    /// A network failure.
    pub error_network: &'static str,
    /// A timeout.
    pub error_timeout: &'static str,
    /// An HTTP error status.
    pub error_http: &'static str,
    /// An unreadable response.
    pub error_malformed: &'static str,
    /// Polling gave up.
    pub error_inspection_timeout: &'static str,
    /// "Retry".
    pub retry: &'static str,
    /// "Close".
    pub close: &'static str,
    /// "Previous damage".
    pub previous: &'static str,
    /// "Next damage".
    pub next: &'static str,
    /// "Previous photo".
    pub previous_photo: &'static str,
    /// "Next photo".
    pub next_photo: &'static str,
    /// "Tolerance".
    pub tolerance: &'static str,
    /// "Repair".
    pub repair_method: &'static str,
    /// "Group".
    pub group: &'static str,
    /// "Photo".
    pub photo: &'static str,
    /// "{n} damages here": a cluster's accessible name.
    pub cluster: &'static str,
    /// "Damage markers": the overlay's accessible name.
    pub markers: &'static str,
    /// "Close-up of the damage".
    pub close_up: &'static str,
    /// Severity words: minor, medium, major.
    pub severity: [&'static str; 3],
    /// Group names in [`DamageGroup::ALL`] order.
    pub groups: [&'static str; 7],
}

impl Labels {
    /// "27 damages" / "1 damage" (and in French "0 dommage": its singular covers 0 too).
    pub fn damage_count(&self, n: usize) -> String {
        let one = n == 1 || (n == 0 && self.lang == Lang::Fr);
        fill(if one { self.damage_one } else { self.damage_many }, n, 0)
    }

    /// A group's name.
    pub fn group(&self, g: DamageGroup) -> &'static str {
        self.groups.get(g.ordinal()).copied().unwrap_or("")
    }
}

/// Replaces `{n}` and `{total}` in a label.
pub fn fill(template: &str, n: usize, total: usize) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    // (`['{']`, not `'{'`: see core/mod.rs.)
    while let Some(open) = rest.find(['{']) {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open..).unwrap_or("");
        if let Some(tail) = after.strip_prefix("{n}") {
            push_uint(&mut out, n as u64);
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("{total}") {
            push_uint(&mut out, total as u64);
            rest = tail;
        } else {
            out.push('{');
            rest = after.get(1..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

const EN: Labels = Labels {
    lang: Lang::En,
    damage_one: "1 damage",
    damage_many: "{n} damages",
    n_of_total: "{n} of {total}",
    damages: "Damages",
    all: "All",
    filter: "Filter by group",
    loading: "Loading the damage report…",
    inspecting: "Inspection in progress. The report appears here when it is ready.",
    no_damage: "No damage reported.",
    not_found: "No damage report was found for this vehicle.",
    error_network: "The damage report could not be loaded (network error).",
    error_timeout: "The damage report took too long to load.",
    error_http: "The damage report could not be loaded (server error).",
    error_malformed: "The damage report could not be read.",
    error_inspection_timeout: "The inspection is taking longer than expected.",
    retry: "Retry",
    close: "Close",
    previous: "Previous damage",
    next: "Next damage",
    previous_photo: "Previous photo",
    next_photo: "Next photo",
    tolerance: "Tolerance",
    repair_method: "Repair",
    group: "Type",
    photo: "Photo",
    cluster: "{n} damages here",
    markers: "Damage markers",
    close_up: "Close-up of the damage",
    severity: ["Minor", "Medium", "Major"],
    groups: ["Body", "Part", "Wheel", "Glass", "Tire", "Interior", "Other"],
};

const FR: Labels = Labels {
    lang: Lang::Fr,
    damage_one: "{n} dommage",
    damage_many: "{n} dommages",
    n_of_total: "{n} sur {total}",
    damages: "Dommages",
    all: "Tous",
    filter: "Filtrer par type",
    loading: "Chargement du rapport de dommages…",
    inspecting: "Inspection en cours. Le rapport s’affichera ici dès qu’il sera prêt.",
    no_damage: "Aucun dommage signalé.",
    not_found: "Aucun rapport de dommages n’a été trouvé pour ce véhicule.",
    error_network: "Le rapport de dommages n’a pas pu être chargé (erreur réseau).",
    error_timeout: "Le chargement du rapport de dommages a pris trop de temps.",
    error_http: "Le rapport de dommages n’a pas pu être chargé (erreur du serveur).",
    error_malformed: "Le rapport de dommages est illisible.",
    error_inspection_timeout: "L’inspection prend plus de temps que prévu.",
    retry: "Réessayer",
    close: "Fermer",
    previous: "Dommage précédent",
    next: "Dommage suivant",
    previous_photo: "Photo précédente",
    next_photo: "Photo suivante",
    tolerance: "Tolérance",
    repair_method: "Réparation",
    group: "Type",
    photo: "Photo",
    cluster: "{n} dommages ici",
    markers: "Repères de dommages",
    close_up: "Gros plan du dommage",
    severity: ["Léger", "Moyen", "Important"],
    groups: ["Carrosserie", "Pièce", "Roue", "Vitrage", "Pneu", "Intérieur", "Autre"],
};

const ES: Labels = Labels {
    lang: Lang::Es,
    damage_one: "1 daño",
    damage_many: "{n} daños",
    n_of_total: "{n} de {total}",
    damages: "Daños",
    all: "Todos",
    filter: "Filtrar por tipo",
    loading: "Cargando el informe de daños…",
    inspecting: "Inspección en curso. El informe aparecerá aquí cuando esté listo.",
    no_damage: "No se han registrado daños.",
    not_found: "No se encontró un informe de daños para este vehículo.",
    error_network: "No se pudo cargar el informe de daños (error de red).",
    error_timeout: "El informe de daños tardó demasiado en cargarse.",
    error_http: "No se pudo cargar el informe de daños (error del servidor).",
    error_malformed: "No se pudo leer el informe de daños.",
    error_inspection_timeout: "La inspección está tardando más de lo previsto.",
    retry: "Reintentar",
    close: "Cerrar",
    previous: "Daño anterior",
    next: "Daño siguiente",
    previous_photo: "Foto anterior",
    next_photo: "Foto siguiente",
    tolerance: "Tolerancia",
    repair_method: "Reparación",
    group: "Tipo",
    photo: "Foto",
    cluster: "{n} daños aquí",
    markers: "Marcadores de daños",
    close_up: "Primer plano del daño",
    severity: ["Leve", "Medio", "Grave"],
    groups: ["Carrocería", "Pieza", "Rueda", "Cristal", "Neumático", "Interior", "Otro"],
};

const DE: Labels = Labels {
    lang: Lang::De,
    damage_one: "1 Schaden",
    damage_many: "{n} Schäden",
    n_of_total: "{n} von {total}",
    damages: "Schäden",
    all: "Alle",
    filter: "Nach Art filtern",
    loading: "Schadensbericht wird geladen…",
    inspecting: "Die Inspektion läuft. Der Bericht erscheint hier, sobald er fertig ist.",
    no_damage: "Keine Schäden gemeldet.",
    not_found: "Für dieses Fahrzeug wurde kein Schadensbericht gefunden.",
    error_network: "Der Schadensbericht konnte nicht geladen werden (Netzwerkfehler).",
    error_timeout: "Das Laden des Schadensberichts hat zu lange gedauert.",
    error_http: "Der Schadensbericht konnte nicht geladen werden (Serverfehler).",
    error_malformed: "Der Schadensbericht ist nicht lesbar.",
    error_inspection_timeout: "Die Inspektion dauert länger als erwartet.",
    retry: "Erneut versuchen",
    close: "Schließen",
    previous: "Vorheriger Schaden",
    next: "Nächster Schaden",
    previous_photo: "Vorheriges Foto",
    next_photo: "Nächstes Foto",
    tolerance: "Toleranz",
    repair_method: "Reparatur",
    group: "Art",
    photo: "Foto",
    cluster: "{n} Schäden hier",
    markers: "Schadensmarkierungen",
    close_up: "Nahaufnahme des Schadens",
    severity: ["Leicht", "Mittel", "Schwer"],
    groups: ["Karosserie", "Anbauteil", "Rad", "Verglasung", "Reifen", "Innenraum", "Sonstiges"],
};

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
        assert_eq!(fill("{n} of {total}", 3, 27), "3 of 27");
        assert_eq!(fill("{x} {n", 3, 27), "{x} {n");
        assert_eq!(Lang::Fr.labels().damage_count(27), "27 dommages");
        assert_eq!(Lang::De.labels().damage_count(1), "1 Schaden");
        assert_eq!(Lang::Fr.labels().damage_count(1), "1 dommage");
        assert_eq!(Lang::Fr.labels().damage_count(0), "0 dommage");
        assert_eq!(Lang::En.labels().damage_count(0), "0 damages");
    }

    #[test]
    fn every_language_has_every_label() {
        for lang in [Lang::En, Lang::Fr, Lang::Es, Lang::De] {
            let l = lang.labels();
            let all = [
                l.damage_one,
                l.damage_many,
                l.n_of_total,
                l.damages,
                l.all,
                l.filter,
                l.loading,
                l.inspecting,
                l.no_damage,
                l.not_found,
                l.error_network,
                l.error_timeout,
                l.error_http,
                l.error_malformed,
                l.error_inspection_timeout,
                l.retry,
                l.close,
                l.previous,
                l.next,
                l.previous_photo,
                l.next_photo,
                l.tolerance,
                l.repair_method,
                l.group,
                l.photo,
                l.cluster,
                l.markers,
                l.close_up,
            ];
            assert!(all.iter().chain(&l.severity).chain(&l.groups).all(|s| !s.trim().is_empty()), "{lang:?}");
            assert!(l.damage_many.contains("{n}") && l.cluster.contains("{n}"));
            assert!(l.n_of_total.contains("{n}") && l.n_of_total.contains("{total}"));
            if lang != Lang::En {
                assert_ne!(l.retry, EN.retry, "{lang:?} is not translated");
            }
        }
    }
}
