// Who belongs together. An organisation is a registrable domain (mail.acme.com and acme.com are one), found with
// tldts from the public-suffix list rather than a list of our own; the user may also group domains as one company.
import { getDomain } from "tldts";
import { domainOf, PUBLIC_MAIL_DOMAINS } from "./addresses";

/** Maps addresses to organisations, caching per domain. */
export interface OrganisationResolver {
  /** The organisation key of an address: the company group, the registrable domain, or the address itself at a public provider. */
  organisationOf(address: string): string;
  /** True when the address is at a public mail provider (gmail.com…), where only the exact address counts. */
  isPublicProvider(address: string): boolean;
}

/** The registrable domain of a host ("mail.acme.co.uk" → "acme.co.uk"); the host itself when it has none. */
export function registrableDomain(host: string): string {
  return getDomain(host, { allowPrivateDomains: false }) ?? host;
}

/** Builds a resolver; `companyDomains` groups domains the user says are one company. */
export function createOrganisationResolver(
  companyDomains: readonly (readonly string[])[] = [],
): OrganisationResolver {
  const group = new Map<string, string>();
  for (const domains of companyDomains) {
    const keys = domains
      .map((d) => registrableDomain(d.trim().toLowerCase().replace(/^@/, "")))
      .filter(Boolean);
    const key = keys[0];
    if (key) for (const k of keys) group.set(k, key);
  }
  const byDomain = new Map<string, string | null>(); // null: public provider
  const orgOfDomain = (domain: string): string | null => {
    let org = byDomain.get(domain);
    if (org === undefined) {
      const reg = registrableDomain(domain);
      org = PUBLIC_MAIL_DOMAINS.has(domain) || PUBLIC_MAIL_DOMAINS.has(reg) ? null : (group.get(reg) ?? reg);
      byDomain.set(domain, org);
    }
    return org;
  };
  return {
    organisationOf(address) {
      return orgOfDomain(domainOf(address)) ?? address;
    },
    isPublicProvider(address) {
      return orgOfDomain(domainOf(address)) === null;
    },
  };
}

const LIST_HOST =
  /(^|\.)(googlegroups\.com|groups\.io|freelists\.org|listserv\.[a-z.]+|lists\.[a-z0-9.-]+)$|^(lists?|listserv|groups?)\./;
const LIST_LOCAL_PART =
  /^(all|everyone|staff|list|lists|listserv|majordomo|announce|announcements|discuss|discussion|digest|members|community|owner-.+|.+-(l|list|all|announce|discuss|users|devel|members))$/;

/** True for mailing lists and group addresses, by host (googlegroups.com, groups.io, lists.…) or list-style local part. */
export function isListAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  return LIST_HOST.test(address.slice(at + 1)) || LIST_LOCAL_PART.test(address.slice(0, at));
}
