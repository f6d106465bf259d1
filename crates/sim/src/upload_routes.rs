//! The simulator's plain-HTTP side next to Socket.IO: serves the attachment files of
//! [`crate::uploads`] from the world the sessions share. Kept apart from the file contents so
//! the world can describe its uploads without depending on the sessions that own it.

use crate::session::{lock, Hub};
use crate::uploads::{content, PREFIX};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::future::{ready, Ready};
use std::sync::Arc;

/// The simulator's plain-HTTP routes besides Socket.IO: `GET /uploads/...`; a 404 for the rest.
#[derive(Clone)]
pub(crate) struct UploadService {
    pub hub: Arc<Hub>,
}

impl UploadService {
    fn respond(&self, method: &Method, path: &str) -> Response<Full<Bytes>> {
        let Some(key) = path.strip_prefix(PREFIX) else {
            return status(StatusCode::NOT_FOUND);
        };
        if method != Method::GET && method != Method::HEAD {
            return status(StatusCode::METHOD_NOT_ALLOWED);
        }
        let upload = lock(&self.hub.world).upload(key);
        let Some(upload) = upload else {
            return status(StatusCode::NOT_FOUND);
        };
        let (content_type, bytes) = content(key, &upload);
        let len = bytes.len();
        let body = if method == Method::HEAD {
            Bytes::new()
        } else {
            Bytes::from(bytes)
        };
        let mut response = Response::new(Full::new(body));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=3600"),
        );
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        if method == Method::HEAD {
            headers.insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(len));
        }
        response
    }
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = code;
    response
}

impl hyper::service::Service<Request<Incoming>> for UploadService {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        ready(Ok(self.respond(request.method(), request.uri().path())))
    }
}
