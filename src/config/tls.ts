import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../errors.ts';

/** Where a server's certificate, key and (for client certificates) CA live: `TLS_CERT_FILE`, `TLS_KEY_FILE`, `TLS_CA_FILE`. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** When set, clients must present a certificate this CA signed. */
  readonly caFile?: string;
}

/** What `node:https` needs to listen, read and checked once at start-up. */
export interface TlsServerMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Set when client certificates are required. */
  readonly ca?: Buffer;
}

/** Reads a file for `what`; an unreadable one is a one-line error naming the variable, the file and why. */
function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${what} ${path} cannot be read: ${code}`, { cause: error, hint: `point ${what} at a readable PEM file` });
  }
}

/** The first line of an OpenSSL complaint, without the library's prefix noise. */
const reasonOf = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0]!.replace(/^error:[0-9A-F]+:/i, '') : String(error);

/** Each certificate of a PEM bundle, parsed: a bundle with none, or a broken one, is refused. */
function parseCertificates(pem: Buffer, path: string, what: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${what} ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new ConfigError(`${what} ${path} is not a valid certificate: ${reasonOf(error)}`, { cause: error });
    }
  });
}

/**
 * Reads and checks a CA bundle (PEM, one or more certificates), for a server that asks clients
 * for certificates or a client that trusts a private CA. `what` names the setting in errors.
 */
export function readCaFile(path: string, what: string): Buffer {
  const pem = readPem(path, what);
  const certificates = parseCertificates(pem, path, what);
  if (!certificates.every((certificate) => certificate.ca))
    throw new ConfigError(`${what} ${path} holds a certificate that is not a CA (basicConstraints CA:FALSE)`, {
      hint: 'give the certificate of the authority that signed the certificates, not a leaf certificate',
    });
  return pem;
}

/** What errors call each file: the environment variables by default, config paths for a client certificate. */
export interface TlsFileLabels {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

const ENV_LABELS: TlsFileLabels = { cert: 'TLS_CERT_FILE', key: 'TLS_KEY_FILE', ca: 'TLS_CA_FILE' };

/**
 * Reads the certificate, key and optional CA and checks them before anything listens or
 * connects: a missing file, a file that is not PEM, an expired certificate or a key that does not
 * match the certificate is a `ConfigError` naming the file.
 */
export function loadTlsMaterial(files: TlsFiles, labels: TlsFileLabels = ENV_LABELS, now: Date = new Date()): TlsServerMaterial {
  const cert = readPem(files.certFile, labels.cert);
  const key = readPem(files.keyFile, labels.key);
  const [leaf] = parseCertificates(cert, files.certFile, labels.cert);
  if (new Date(leaf!.validTo) < now)
    throw new ConfigError(`${labels.cert} ${files.certFile} expired on ${new Date(leaf!.validTo).toISOString()}`, {
      hint: 'renew the certificate',
    });
  try {
    createPrivateKey(key);
  } catch (error) {
    throw new ConfigError(`${labels.key} ${files.keyFile} is not a readable private key: ${reasonOf(error)}`, {
      cause: error,
      hint: 'give an unencrypted PEM private key',
    });
  }
  if (!leaf!.checkPrivateKey(createPrivateKey(key)))
    throw new ConfigError(`${labels.key} ${files.keyFile} is not the key of the certificate in ${labels.cert} ${files.certFile}`);
  const ca = files.caFile === undefined ? undefined : readCaFile(files.caFile, labels.ca);
  try {
    createSecureContext({ cert, key, ca });
  } catch (error) {
    throw new ConfigError(`${labels.cert} ${files.certFile} / ${labels.key} ${files.keyFile} cannot be used: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  return ca === undefined ? { cert, key } : { cert, key, ca };
}
