#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the test PKI (see README.md). Test-only keys: never use them anywhere else.
set -eu
cd "$(dirname "$0")"
DAYS=36500
ec() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }

ca() { # name, subject
    ec "$1.key"
    openssl req -new -x509 -key "$1.key" -out "$1.pem" -days $DAYS -subj "$2" -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() { # name, subject, ca, extensions
    ec "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    printf '%s\n' "$4" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
        -out "$1.pem" -days $DAYS -sha256 -extfile "$1.ext"
    rm -f "$1.csr" "$1.ext" "$3.srl"
}

ca ca "/CN=SpotKeeper Test CA"
ca other-ca "/CN=SpotKeeper Untrusted Test CA"
leaf server "/CN=localhost" ca "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
leaf client "/CN=spotkeeper-test-agent" ca "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
leaf other-client "/CN=spotkeeper-untrusted-agent" other-ca "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
printf 'this is not a PEM certificate\n' > not-pem.txt
rm -f other-ca.key
