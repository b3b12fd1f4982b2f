//! TLS for the test server: a throwaway CA made once per test process, a certificate for
//! 127.0.0.1 and localhost signed by it, and ALPN offering `h2` (when asked) and
//! `http/1.1`, so a client negotiates HTTP/2 as it would with a real server.

use std::sync::{Arc, OnceLock};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TestTls {
    pub acceptor: TlsAcceptor,
    /// The CA certificate, PEM: what a client must trust.
    pub ca_pem: String,
}

struct Material {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

/// The test CA's certificate (PEM), the same for every TLS server of this process.
pub fn ca_pem() -> String {
    material().ca_pem.clone()
}

/// A CA of its own, that no test server's certificate comes from: for checking that a
/// client refuses a server it was not told to trust.
pub fn unrelated_ca_pem() -> String {
    make_material().ca_pem
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(make_material)
}

impl TestTls {
    /// A certificate signed by the usual test CA that expired in 2021: trusted, but out
    /// of date.
    pub fn expired() -> Self {
        Self::with_material(&expired_material(), false)
    }

    pub fn new(http2: bool) -> Self {
        Self::with_material(material(), http2)
    }

    fn with_material(material: &Material, http2: bool) -> Self {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                material.chain.clone(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(material.key.clone())),
            )
            .unwrap();
        config.alpn_protocols = if http2 {
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        } else {
            vec![b"http/1.1".to_vec()]
        };
        Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            ca_pem: material.ca_pem.clone(),
        }
    }
}

/// A CA of its own and a leaf for 127.0.0.1 that it signed, valid only in 2020: the
/// client is given this CA to trust, so only the leaf's dates are wrong.
fn expired_material() -> Material {
    make_material_with(|leaf| {
        leaf.not_before = rcgen::date_time_ymd(2020, 1, 1);
        leaf.not_after = rcgen::date_time_ymd(2021, 1, 1);
    })
}

fn make_material() -> Material {
    make_material_with(|_| {})
}

fn make_material_with(adjust_leaf: impl FnOnce(&mut CertificateParams)) -> Material {
    {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Asteroid Stager test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);

        let mut leaf_params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        adjust_leaf(&mut leaf_params);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

        Material {
            ca_pem: ca.pem(),
            chain: vec![leaf.der().clone(), CertificateDer::from(ca.der().to_vec())],
            key: leaf_key.serialize_der(),
        }
    }
}
