//! TLS to the live-view relay. Blink's relays present certificates no client can verify, and
//! every client (the app, blinkpy, the Go and Node tools) accepts them unchecked. blinktui does
//! the same, for this one connection only: the REST and OAuth client keeps full verification.
//! The handshake signature is still checked against the presented key.
//!
//! rustls implements only ECDHE key exchange. A relay offering nothing but RSA key-exchange
//! suites (`TLS_RSA_WITH_*`, seen in a 2020 scan) fails the handshake; the error says so.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{AlertDescription, ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::LiveError;

/// Accepts the relay's certificate as it is, checking only that the handshake was signed by
/// its key.
#[derive(Debug)]
struct RelayCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for RelayCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The client configuration for relays: TLS 1.2 and 1.3, certificate unchecked.
pub fn relay_config() -> Result<ClientConfig, LiveError> {
    let provider = provider();
    let algorithms = provider.signature_verification_algorithms;
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| LiveError::Tls(format!("cannot set TLS up: {err}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(RelayCertificate { algorithms }))
        .with_no_client_auth();
    Ok(config)
}

/// Connects and shakes hands with the relay at `host:port`.
pub async fn connect(tcp: TcpStream, host: &str, relay: &str) -> Result<TlsStream<TcpStream>, LiveError> {
    let name = ServerName::try_from(host.to_owned())
        .map_err(|_| LiveError::Tls(format!("{relay} is not a host name blinktui can connect to")))?;
    let connector = TlsConnector::from(Arc::new(relay_config()?));
    connector.connect(name, tcp).await.map_err(|err| handshake_error(relay, &err))
}

/// Says what failed, and names the RSA key-exchange limit when the relay refused every suite
/// blinktui offers.
fn handshake_error(relay: &str, err: &std::io::Error) -> LiveError {
    let tls = err.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let no_common_suite = matches!(
        tls,
        Some(
            rustls::Error::AlertReceived(
                AlertDescription::HandshakeFailure | AlertDescription::InsufficientSecurity
            ) | rustls::Error::PeerIncompatible(_)
        )
    );
    let mut text = format!("the TLS handshake with the live-view relay {relay} failed: {err}");
    if no_common_suite {
        text.push_str(
            "; the relay accepted none of the cipher suites blinktui offers (ECDHE with AES-GCM or \
             ChaCha20, TLS 1.2/1.3). Blink relays have been seen offering only RSA key exchange \
             (TLS_RSA_WITH_*), which blinktui's TLS library, rustls, does not implement",
        );
    }
    LiveError::Tls(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_handshake_names_the_rsa_key_exchange_limit() {
        let refused = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::HandshakeFailure),
        );
        let text = handshake_error("relay.example:443", &refused).to_string();
        assert!(text.contains("relay.example:443") && text.contains("RSA key exchange"), "{text}");
        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let text = handshake_error("relay.example:443", &reset).to_string();
        assert!(text.contains("reset by peer") && !text.contains("RSA"), "{text}");
    }
}
