//! A stand-in for "some other host": it records every request it gets (and whether it carried
//! a credential) and answers with a fixed body. Tests point redirects at it and check that
//! nothing secret ever arrived.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::IntoResponse;

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: bool,
    pub body: String,
}

pub struct Recorder {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Recorder {
    /// Listens on 127.0.0.1 (another port: another origin) and answers `body` to everything.
    pub async fn start(content_type: &'static str, body: Vec<u8>) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let body = Bytes::from(body);
        let app = axum::Router::new().fallback(record).with_state((seen.clone(), content_type, body));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

type Shared = (Arc<Mutex<Vec<Seen>>>, &'static str, Bytes);

async fn record(State((seen, content_type, body)): State<Shared>, request: Request) -> impl IntoResponse {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let authorization = request.headers().contains_key(axum::http::header::AUTHORIZATION);
    let sent = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
    seen.lock().expect("lock").push(Seen {
        method,
        path,
        authorization,
        body: String::from_utf8_lossy(&sent).into_owned(),
    });
    ([(axum::http::header::CONTENT_TYPE, content_type)], body)
}
