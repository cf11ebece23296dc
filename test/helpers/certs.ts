import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of a throw-away certificate authority and the certificates it signed, all PEM. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA's certificate: what a client trusts, or a server asks client certificates to be signed by. */
  readonly caCert: string;
  /** A server certificate for localhost, 127.0.0.1 and ::1, and its key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate (clientAuth), and its key. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** Deletes the folder, keys and all. */
  close(): void;
}

const OPENSSL = process.env['SWITCHBOARD_OPENSSL'] ?? '/usr/bin/openssl';

function openssl(dir: string, args: readonly string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Issues `name`.pem / `name`.key signed by the CA in `dir`, with the extensions given. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    dir,
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`].concat([
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ]),
  );
  openssl(
    dir,
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2'].concat([
      '-sha256',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    ]),
  );
}

/**
 * Makes a CA, a server certificate and a client certificate with Debian's `openssl` in a fresh
 * temporary folder (keys are never committed; `close()` deletes them). Valid for two days.
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-'));
  try {
    openssl(
      dir,
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key'].concat(
        ['-out', 'ca.pem', '-days', '2', '-subj', '/CN=Switchboard test CA', '-addext', 'basicConstraints=critical,CA:TRUE'].concat([
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ]),
      ),
    );
    issue(
      dir,
      'server',
      '/CN=localhost',
      'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n',
    );
    issue(dir, 'client', '/CN=switchboard-test-client', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
