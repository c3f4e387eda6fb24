//! Small JSON responses: `{"error": "<kind>", "message": "…"}`.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// A JSON body with the given status, `Cache-Control: no-store` unless changed later.
pub(crate) fn json(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// An error answer; never cacheable.
pub(crate) fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    error_with(status, kind, message, serde_json::Map::new())
}

/// An error answer with extra fields beside `error` and `message`.
pub(crate) fn error_with(
    status: StatusCode,
    kind: &str,
    message: &str,
    mut extra: serde_json::Map<String, serde_json::Value>,
) -> Response {
    extra.insert("error".into(), kind.into());
    extra.insert("message".into(), message.into());
    let mut response = json(status, serde_json::Value::Object(extra).to_string());
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 404 for anything that is not a route.
pub(crate) fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "No such resource.")
}

/// 405 with the methods the route does take.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response {
    let mut response =
        error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", &format!("Only {allow} are allowed here."));
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}
