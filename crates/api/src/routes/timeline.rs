//! `GET /v1/timeline`: the events of an actor (any entity) or of a country (through everyone who
//! acted for it), optionally only those with a counterpart, newest first, keyset-paginated.

use axum::extract::State;
use axum::response::Response;
use diplograph_graph::{Subject, TimelineQuery};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::{Format, FormatParam, respond};
use crate::query::{ApiQuery, EventParams, PageParams, parse_country, parse_entity_id};
use crate::routes::events::page_rows;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_timeline))
}

/// Whose events; exactly one of `actor` and `country`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SubjectParams {
    /// An entity id: a person, organization or country taking part itself.
    #[param(value_type = Option<dto::Id>)]
    actor: Option<String>,
    /// An ISO 3166-1 code: the country and everyone who acted for it at the time.
    #[param(value_type = Option<dto::Country>, example = "IRN")]
    country: Option<String>,
    /// Only events in which this party also takes part: an ISO code (the country and its
    /// people) or an entity id.
    #[param(value_type = Option<dto::Id>, example = "IRQ")]
    counterpart: Option<String>,
}

impl SubjectParams {
    fn subjects(&self) -> ApiResult<(Subject, Option<Subject>)> {
        let subject = match (self.actor.as_deref(), self.country.as_deref()) {
            (Some(actor), None) => Subject::Entity(parse_entity_id("actor", actor)?),
            (None, Some(country)) => Subject::Country(parse_country(country)?),
            _ => {
                return Err(ApiError::BadRequest(
                    "give exactly one of actor (an entity id) and country (an ISO code)".to_owned(),
                ));
            }
        };
        let counterpart = self.counterpart.as_deref().map(counterpart).transpose()?;
        Ok((subject, counterpart))
    }
}

/// A counterpart that reads as a country code is that country; anything else is an entity id.
fn counterpart(value: &str) -> ApiResult<Subject> {
    let looks_like_code = value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase());
    match looks_like_code {
        true => Ok(Subject::Country(parse_country(value)?)),
        false => Ok(Subject::Entity(parse_entity_id("counterpart", value)?)),
    }
}

/// Events newest first (undated ones last), each with participants, places and provenance
/// (article url and title, evidence sentence).
#[utoipa::path(
    get, path = "/v1/timeline", tag = "events",
    params(SubjectParams, EventParams, PageParams, FormatParam),
    responses(
        (status = 200, description = "A page of events",
            content((dto::EventPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown country code", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_timeline(
    State(s): State<AppState>,
    ApiQuery(who): ApiQuery<SubjectParams>,
    ApiQuery(events): ApiQuery<EventParams>,
    ApiQuery(page): ApiQuery<PageParams>,
    format: Format,
) -> ApiResult<Response> {
    let (subject, counterpart) = who.subjects()?;
    let query = TimelineQuery {
        subject,
        counterpart,
        filter: events.filter()?,
        page: page.page()?,
    };
    let timeline = s.store.timeline(&query).await?;
    respond(format, timeline, page_rows)
}
