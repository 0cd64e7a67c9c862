/** Public mail providers: there the "organisation" of an address is the address itself. */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "zoho.com",
  "yandex.com",
  "yandex.ru",
  "fastmail.com",
  "hey.com",
  "tutanota.com",
  "qq.com",
  "163.com",
]);

const NO_REPLY_LOCAL_PART =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|notifications?|notify|postmaster|mailer[-_.]?daemon|bounces?|bounce[-_.+].*|auto[-_.]?reply|automated|alerts?|newsletters?|news|updates|system|daemon)([-_.+].*)?$/;

/** Lower-cases and trims an address; returns "" for anything that is not user@domain. */
export function normaliseAddress(raw: unknown): string {
  if (typeof raw !== "string") return "";
  const address = raw.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  return at > 0 && at < address.length - 1 ? address : "";
}

/** The domain part of a normalised address. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

/** The organisation an address belongs to: its domain, or the address itself at a public mail provider. */
export function organisationOf(address: string): string {
  const domain = domainOf(address);
  return PUBLIC_MAIL_DOMAINS.has(domain) ? address : domain;
}

/** True for noreply@, notifications@, postmaster@, mailer-daemon@, bounce@ and their kin. */
export function isNoReplyAddress(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf("@"));
  return NO_REPLY_LOCAL_PART.test(local);
}

/** A readable company name from an address's domain ("acme-robotics.co.uk" → "Acme Robotics"); "" at public providers. */
export function companyFromAddress(address: string): string {
  const domain = domainOf(address);
  if (!domain || PUBLIC_MAIL_DOMAINS.has(domain)) return "";
  const labels = domain.split(".");
  // Drop the public suffix: the last label, and a second-level one such as co/com/org in "co.uk".
  let end = labels.length - 1;
  if (end >= 2 && /^(co|com|org|net|ac|gov|ltd|plc)$/.test(labels[end - 1] ?? "")) end -= 1;
  const core = labels.slice(0, end).filter((l) => l !== "www" && l !== "mail");
  const main = core[core.length - 1] ?? labels[0] ?? "";
  return main
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}
