// A throw-away certificate authority for the local stand-ins: the control plane's serving and client
// certificates and the ACI emulator's HTTPS endpoint. ECDSA P-256 keeps generation instant.
import "reflect-metadata"; // @peculiar/x509 resolves its services through tsyringe, which needs it.
import * as x509 from "@peculiar/x509";
import { randomBytes, webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const validityMs = 7 * 24 * 3600 * 1000;

export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateAuthority extends PemPair {
  issueServing(options: { commonName: string; dnsNames?: readonly string[]; ipAddresses?: readonly string[] }): Promise<PemPair>;
  /** A client certificate: Kubernetes reads the user from CN and the groups from O. */
  issueClient(options: { user: string; groups?: readonly string[] }): Promise<PemPair>;
}

export async function createCertificateAuthority(commonName = "aci-connector local CA"): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${escapeRdn(commonName)}`,
    notBefore: backdated(),
    notAfter: new Date(Date.now() + validityMs),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return authority(cert, keys.privateKey);
}

/** The same authority again from its PEM files, e.g. to issue a client certificate in a test process. */
export async function loadCertificateAuthority(pair: PemPair): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(pair.certPem);
  const der = Buffer.from(pair.keyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, algorithm, true, ["sign"]);
  return authority(cert, privateKey);
}

async function authority(cert: x509.X509Certificate, signingKey: CryptoKey): Promise<CertificateAuthority> {

  async function issue(subject: string, usage: "serverAuth" | "clientAuth", altNames: x509.JsonGeneralName[]): Promise<PemPair> {
    const leafKeys = await generateKeys();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === "serverAuth" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(cert),
    ];
    if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames));
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: cert.subject,
      notBefore: backdated(),
      notAfter: new Date(Date.now() + validityMs),
      publicKey: leafKeys.publicKey,
      signingKey,
      signingAlgorithm: algorithm,
      extensions,
    });
    return { certPem: leaf.toString("pem"), keyPem: await privateKeyPem(leafKeys.privateKey) };
  }

  return {
    certPem: cert.toString("pem"),
    keyPem: await privateKeyPem(signingKey),
    issueServing: ({ commonName: cn, dnsNames = [], ipAddresses = [] }) =>
      issue(`CN=${escapeRdn(cn)}`, "serverAuth", [
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ipAddresses.map((value) => ({ type: "ip" as const, value })),
      ]),
    issueClient: ({ user, groups = [] }) =>
      issue([...groups.map((g) => `O=${escapeRdn(g)}`), `CN=${escapeRdn(user)}`].join(", "), "clientAuth", []),
  };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // A positive 16-byte serial: the top bit cleared so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

/** An hour in the past, so a clock a little behind does not reject a certificate made just now. */
function backdated(): Date {
  return new Date(Date.now() - 3600 * 1000);
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, "\\$1");
}
