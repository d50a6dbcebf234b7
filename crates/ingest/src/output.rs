//! Output ids and names: ISO3 for countries, `p1…` for people, `o1…` organizations, `l1…` places.

use std::collections::BTreeSet;

use diplograph_core::{CountryCode, EntityKind, ExtractedEntity, Participant, Role, Span};

use crate::assemble::Actor;
use crate::gazetteer::Gazetteer;
use crate::mentions::Context;

/// Names and ids for what the article mentions.
pub(crate) struct Output<'a> {
    pub(crate) gaz: &'a Gazetteer,
    pub(crate) ctx: &'a Context<'a>,
    pub(crate) countries: &'a BTreeSet<CountryCode>,
    pub(crate) places: &'a [usize],
    pub(crate) orgs: &'a [usize],
}

impl Output<'_> {
    fn org_id(&self, o: usize) -> String {
        let n = self.orgs.iter().position(|x| *x == o).unwrap_or(self.orgs.len());
        format!("o{}", n + 1)
    }

    /// Every entity the article names.
    pub(crate) fn entities(&self) -> Vec<ExtractedEntity> {
        let people = self
            .ctx
            .registry
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| ExtractedEntity {
                id: format!("p{}", i + 1),
                kind: EntityKind::Person,
                name: p.name.clone(),
                country: p.country,
                title: p.title.clone(),
                aliases: p.aliases.clone(),
            });
        let mut countries: BTreeSet<CountryCode> = self.countries.clone();
        countries.extend(self.ctx.registry.people.iter().filter_map(|p| p.country));
        countries.extend(self.places.iter().map(|p| self.ctx.place_country(*p)));
        let countries = countries.into_iter().map(|c| ExtractedEntity {
            id: c.as_str().to_owned(),
            kind: EntityKind::Country,
            name: self.gaz.country_name(c),
            country: Some(c),
            title: None,
            aliases: Vec::new(),
        });
        let orgs = self.orgs.iter().map(|o| ExtractedEntity {
            id: self.org_id(*o),
            kind: EntityKind::Organization,
            name: self.gaz.orgs[*o].name.clone(),
            country: self.gaz.orgs[*o].country,
            title: None,
            aliases: Vec::new(),
        });
        let places = self.places.iter().enumerate().map(|(i, p)| ExtractedEntity {
            id: format!("l{}", i + 1),
            kind: EntityKind::Place,
            name: self.gaz.places[*p].name.clone(),
            country: Some(self.ctx.place_country(*p)),
            title: None,
            aliases: Vec::new(),
        });
        people.chain(countries).chain(orgs).chain(places).collect()
    }

    /// A participant in the contract's shape.
    pub(crate) fn participant(
        &self,
        actor: Actor,
        role: Role,
        span: Option<(usize, usize)>,
        text: &str,
    ) -> Participant {
        let mention = span.map(|(start, end)| Span {
            start,
            end,
            text: text[start..end].to_owned(),
        });
        match actor {
            Actor::Person(p) => {
                let rec = &self.ctx.registry.people[p];
                Participant {
                    entity: format!("p{}", p + 1),
                    name: rec.name.clone(),
                    kind: EntityKind::Person,
                    country: rec.country,
                    role,
                    mention,
                }
            }
            Actor::Country(c) => Participant {
                entity: c.as_str().to_owned(),
                name: self.gaz.country_name(c),
                kind: EntityKind::Country,
                country: Some(c),
                role,
                mention,
            },
            Actor::Org(o) => Participant {
                entity: self.org_id(o),
                name: self.gaz.orgs[o].name.clone(),
                kind: EntityKind::Organization,
                country: self.gaz.orgs[o].country,
                role,
                mention,
            },
        }
    }
}
