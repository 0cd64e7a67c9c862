import { defaultSettings } from "./settingsSchema";
import type { Technique } from "./technique";
import type { TemplateSource } from "./template";

/**
 * Every threshold of the rules. All counts are whole numbers; all durations are days. Labels, defaults and ranges
 * live in settingsSchema.ts, which must describe every key here (the compiler checks).
 */
export interface Settings {
  /** Extra addresses that are also me (aliases not listed on /me). */
  readonly myAddresses: readonly string[];
  /** Extra domains that count as internal (colleagues), besides the domains of my addresses. */
  readonly internalDomains: readonly string[];
  /** Addresses marked "not a prospect". */
  readonly excludedAddresses: readonly string[];
  /** Domains marked "not a prospect". */
  readonly excludedDomains: readonly string[];
  /** Groups of domains that are one company, e.g. [["acme.com", "acme-corp.co.uk"]]. */
  readonly companyDomains: readonly (readonly string[])[];
  /** Count working days only (weekend days left out) for every threshold in days. */
  readonly countBusinessDays: boolean;
  /** The weekend days, 0 = Sunday … 6 = Saturday. */
  readonly weekendDays: readonly number[];
  /** Only messages from the last N days count. */
  readonly windowDays: number;
  /** A conversation is "waiting" until this many days have passed since my last attempt. */
  readonly followUpAfterDays: number;
  /** A message of mine with more recipients (To+Cc+Bcc) than this is mass mail, not an attempt. */
  readonly maxRecipients: number;
  readonly pendingFileDays: number;
  readonly areYouOkAttempts: number;
  readonly areYouOkDays: number;
  readonly shouldICloseAttempts: number;
  readonly closeFileAttempts: number;
  readonly noPressureAttempts: number;
  /** Graph ids of further mail folders to read (answers an Inbox rule filed there), beside Inbox, Sent, Archive. */
  readonly extraFolders: readonly string[];
  /** My phone number for templates and voicemail scripts; "" uses the one on my profile. */
  readonly myPhone: string;
  /** My company's name for templates and voicemail scripts; "" uses the one on my profile. */
  readonly myCompany: string;
  /** The user's own wording for techniques; missing ones fall back to the built-ins. */
  readonly templates: Partial<Record<Technique, TemplateSource>>;
  /** Keep decisions (snoozes, closed files, calls…) in the mailbox too, so they follow the user to other devices. */
  readonly roamDecisions: boolean;
}

/** Every setting at its default, as described once in settingsSchema.ts. */
export const DEFAULT_SETTINGS: Settings = defaultSettings();
