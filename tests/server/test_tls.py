"""REGROUP_TLS_CERT / REGROUP_TLS_KEY: the server speaks HTTPS itself when there is no proxy in front."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parents[2]


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_serves_https_with_the_given_certificate(tmp_path):
    cert, key = self_signed(tmp_path)
    port = free_port()
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv"), "REGROUP_SERVER_PORT": str(port),
           "REGROUP_TLS_CERT": str(cert), "REGROUP_TLS_KEY": str(key)}
    env.pop("REGROUP_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        answer = None
        for _ in range(150):
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/api/v1/health", verify=ssl.create_default_context(cafile=str(cert)),
                                   timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200 and answer.json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
