//! Plain HTTP against the simulator, for requests blinktui's own client never sends (other
//! clients' paths, retired endpoints, a trailing slash).

use std::time::{Duration, Instant};

use blinktui::sim::Simulator;
use serde_json::Value;

pub struct Raw {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Raw {
    /// Requests to `sim`, with `token` as the bearer when given.
    pub fn new(sim: &Simulator, token: Option<&str>) -> Self {
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self { client, base: sim.url(), token: token.map(str::to_owned) }
    }

    /// Status and body of `method path_and_query`, with a JSON body when given.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<Value>,
    ) -> (u16, Vec<u8>) {
        let mut request = self.client.request(method, format!("{}{path_and_query}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        (status, response.bytes().await.expect("body").to_vec())
    }

    /// Status and JSON body of a GET.
    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        let (status, body) = self.send(reqwest::Method::GET, path_and_query, None).await;
        (status, json(&body))
    }

    /// Status and JSON body of a POST without a body.
    pub async fn post(&self, path_and_query: &str) -> (u16, Value) {
        let (status, body) = self.send(reqwest::Method::POST, path_and_query, None).await;
        (status, json(&body))
    }

    /// Polls `GET /network/{network}/command/{id}` until it is complete; panics after 10 s.
    pub async fn wait_for_command(&self, network: u64, id: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, answer) = self.get(&format!("/network/{network}/command/{id}")).await;
            assert_eq!(status, 200, "{answer}");
            if answer["complete"] == true {
                return answer;
            }
            assert!(Instant::now() < deadline, "command {id} never completed: {answer}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|_| panic!("JSON body: {}", String::from_utf8_lossy(body)))
}
