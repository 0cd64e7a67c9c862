// Reads the dates people write in answers ("7 December", "next Wednesday", "in zwei Wochen", "à la rentrée",
// "después de año nuevo") as calendar days in the user's time zone. Days are counted as whole days since
// 1970-01-01 (civil, not instants), so arithmetic never meets daylight-saving gaps; only the final step turns
// a day into the instant of its local midnight, through Intl.
import { instant, type Instant, DAY_MS } from "./message";
import { firstInstantOfDay, zoneOffset } from "./zoneOffset";

/** A calendar day: whole days since 1970-01-01. */
export type CivilDay = number;

/** A date phrase found in text: where it is and the day it names (on or after the reference day). */
export interface DateMention {
  readonly start: number;
  readonly end: number;
  readonly day: CivilDay;
}

/** Whether slash dates (7/12) may be read day-first: only in text that is not English. */
export type DateReading = "day-first" | "month-names-only";

// ---- calendar arithmetic ----------------------------------------------------------------------------

const MAX_MS = 8.64e15;

/** The civil day of a year, month (1–12) and day, or null when that day does not exist. */
function civilDay(year: number, month: number, day: number): CivilDay | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Year, month (1–12) and day of a civil day. */
function ymdOf(day: CivilDay): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week of a civil day, 0 = Sunday … 6 = Saturday. */
function weekdayOf(day: CivilDay): number {
  return (((day + 4) % 7) + 7) % 7;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function addMonths(day: CivilDay, months: number): CivilDay {
  const { year, month, day: d } = ymdOf(day);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return civilDay(y, m, Math.min(d, daysInMonth(y, m))) ?? day;
}

/** The first day with this month and day on or after `from`, trying the next few years (29 February). */
function nextMonthDay(from: CivilDay, month: number, day: number): CivilDay | null {
  const { year } = ymdOf(from);
  for (let y = year; y <= year + 4; y++) {
    const c = civilDay(y, month, day);
    if (c !== null && c >= from) return c;
  }
  return null;
}

/** The first day strictly after `from` that falls on `weekday`. */
function nextWeekday(from: CivilDay, weekday: number): CivilDay {
  return from + ((weekday - weekdayOf(from) + 7) % 7 || 7);
}

// ---- time zones -------------------------------------------------------------------------------------

/** Local wall-clock fields of an instant in a zone, as if they were UTC: (wall clock − instant) is the offset. */
function wallClockMs(ms: number, timeZone: string): number {
  return Math.floor(ms / 1000) * 1000 + zoneOffset(ms, timeZone);
}

/** The calendar day an instant falls on in a time zone. */
export function localDayOf(at: Instant, timeZone: string): CivilDay {
  const ms = Math.floor(at / 1000) * 1000;
  return Math.floor(wallClockMs(ms, timeZone) / DAY_MS);
}

/** The instant of local midnight (or the first moment, where midnight is skipped) of a day in a time zone. */
export function localMidnight(day: CivilDay, timeZone: string): Instant {
  return instant(firstInstantOfDay(day, (ms) => zoneOffset(ms, timeZone)));
}

/** Whether an instant can be placed on a calendar at all. */
export function isCalendarInstant(at: number): boolean {
  return Number.isFinite(at) && Math.abs(at) <= MAX_MS - 2 * DAY_MS * 366;
}

// ---- words ------------------------------------------------------------------------------------------

// Letters and digits of the Latin scripts once lower-cased: what a word may not continue with.
const WORD_CHAR = "a-z0-9\\u00df-\\u00f6\\u00f8-\\u024f\\u1e00-\\u1eff";

/** Patterns that begin at a word edge; the full edge is checked in code, as a leading lookbehind slows every scan. */
const WORD_START = new WeakSet<RegExp>();

// Case-sensitive on purpose: case-insensitive Unicode patterns are many times slower. Always global: read it
// with `nextMatch`, from `lastIndex` 0.
/** Builds a pattern once, for lower-cased text: ⟨ and ⟩ are word edges, ' matches both apostrophes. */
export function wordPattern(source: string, flags = "g"): RegExp {
  const leading = source.startsWith("⟨");
  // A cheap ASCII \b lets the scan skip the middle of words; the full edge is checked in `nextMatch`.
  const pattern = new RegExp(
    (leading ? `(?:\\b|(?=[\\u00df-\\u024f]))${source.slice(1)}` : source)
      .replace(/⟨/g, `(?<![${WORD_CHAR}])`)
      .replace(/⟩/g, `(?![${WORD_CHAR}])`)
      .replace(/'/g, "['’]"),
    flags.replace("i", "").replace("g", "") + "g",
  );
  if (leading) WORD_START.add(pattern);
  return pattern;
}

const isWordChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0xdf && c <= 0x24f && c !== 0xf7) ||
  (c >= 0x1e00 && c <= 0x1eff);

/** The next match from the pattern's `lastIndex`; for a word pattern, only one that starts a word. */
export function nextMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  for (;;) {
    const m = pattern.exec(text);
    if (
      m === null ||
      m.index === 0 ||
      !WORD_START.has(pattern) ||
      !isWordChar(text.charCodeAt(m.index - 1))
    ) {
      return m;
    }
    pattern.lastIndex = m.index + 1;
  }
}

/** The text in lower case with every character at the same index, so a match's position is the original's. */
export function lowerCased(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const l = c.toLowerCase();
    out += l.length === 1 ? l : c;
  }
  return out;
}

// Input parsing only: how months, weekdays and small numbers are written in English, German, French, Spanish.
const MONTH_WORDS: readonly (readonly string[])[] = [
  ["january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene"],
  ["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero"],
  ["march", "mar", "märz", "maerz", "mär", "mars", "marzo"],
  ["april", "apr", "avril", "avr", "abril", "abr"],
  ["may", "mai", "mayo"],
  ["june", "jun", "juni", "juin", "junio"],
  ["july", "jul", "juli", "juillet", "juil", "julio"],
  ["august", "aug", "août", "aout", "agosto", "ago"],
  ["september", "sept", "sep", "septembre", "septiembre", "setiembre"],
  ["october", "oct", "oktober", "okt", "octobre", "octubre"],
  ["november", "nov", "novembre", "noviembre"],
  ["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic"],
];
/** Short forms that are also ordinary words, so they count as months only next to a day number. */
const MONTH_ABBREVIATIONS = new Set([
  "jan",
  "ene",
  "feb",
  "févr",
  "fevr",
  "mar",
  "mär",
  "apr",
  "avr",
  "abr",
  "jun",
  "jul",
  "juil",
  "aug",
  "ago",
  "sep",
  "sept",
  "oct",
  "okt",
  "nov",
  "dec",
  "dez",
  "déc",
  "dic",
  "janv",
  "may",
  "mai",
  "mars",
]);
const WEEKDAY_WORDS: readonly (readonly string[])[] = [
  ["sunday", "sonntag", "dimanche", "domingo"],
  ["monday", "montag", "lundi", "lunes"],
  ["tuesday", "dienstag", "mardi", "martes"],
  ["wednesday", "mittwoch", "mercredi", "miércoles", "miercoles"],
  ["thursday", "donnerstag", "jeudi", "jueves"],
  ["friday", "freitag", "vendredi", "viernes"],
  ["saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado"],
];
const COUNT_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  ein: 1,
  eine: 1,
  einem: 1,
  einer: 1,
  einen: 1,
  un: 1,
  une: 1,
  uno: 1,
  una: 1,
  two: 2,
  zwei: 2,
  deux: 2,
  dos: 2,
  three: 3,
  drei: 3,
  trois: 3,
  tres: 3,
  four: 4,
  vier: 4,
  quatre: 4,
  cuatro: 4,
  five: 5,
  fünf: 5,
  cinq: 5,
  cinco: 5,
  six: 6,
  sechs: 6,
  seis: 6,
  seven: 7,
  sieben: 7,
  sept: 7,
  siete: 7,
  eight: 8,
  acht: 8,
  huit: 8,
  ocho: 8,
  nine: 9,
  neun: 9,
  neuf: 9,
  nueve: 9,
  ten: 10,
  zehn: 10,
  dix: 10,
  diez: 10,
  eleven: 11,
  elf: 11,
  onze: 11,
  once: 11,
  twelve: 12,
  zwölf: 12,
  douze: 12,
  doce: 12,
  fourteen: 14,
  vierzehn: 14,
  quatorze: 14,
  catorce: 14,
  fifteen: 15,
  quinze: 15,
  quince: 15,
  twenty: 20,
  zwanzig: 20,
  vingt: 20,
  veinte: 20,
  thirty: 30,
  dreißig: 30,
  trente: 30,
  treinta: 30,
  sixty: 60,
  sechzig: 60,
  soixante: 60,
  sesenta: 60,
  ninety: 90,
  neunzig: 90,
  "quatre-vingt-dix": 90,
  noventa: 90,
  "a couple of": 2,
  "couple of": 2,
  "a couple": 2,
  "a few": 3,
  few: 3,
  several: 3,
  "ein paar": 2,
  paar: 2,
  einigen: 3,
  quelques: 3,
  "un par de": 2,
  unas: 3,
  unos: 3,
  algunas: 3,
  algunos: 3,
};

const alternation = (words: Iterable<string>) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|");

const monthByWord = new Map<string, number>();
MONTH_WORDS.forEach((words, i) => words.forEach((w) => monthByWord.set(w, i + 1)));
const weekdayByWord = new Map<string, number>();
WEEKDAY_WORDS.forEach((words, i) => words.forEach((w) => weekdayByWord.set(w, i)));
const FULL_MONTHS = [...monthByWord.keys()].filter((w) => !MONTH_ABBREVIATIONS.has(w));

// The words a date rule cannot match without, so a rule runs only on text that has one of them (see DateRule).
const MONTH_TOKENS = [...monthByWord.keys()];
const FULL_MONTH_TOKENS = [...FULL_MONTHS, "may", "mai", "mars"];
const WEEKDAY_TOKENS = [...weekdayByWord.keys()];
const UNIT_TOKENS = [
  ...["day", "days", "week", "weeks", "month", "months", "year", "years"],
  ...["tag", "tage", "tagen", "woche", "wochen", "monat", "monate", "monaten", "jahr", "jahre", "jahren"],
  ...["jour", "jours", "semaine", "semaines", "mois", "an", "ans", "année", "années"],
  ...["dia", "dias", "día", "días", "semana", "semanas", "mes", "meses", "año", "años"],
];
const MONTH_UNIT_TOKENS = ["month", "monat", "monats", "mois", "mes"];
const SEASON_TOKENS = [
  ...["spring", "frühjahr", "frühling", "printemps", "primavera", "summer", "sommer", "été", "verano"],
  ...[
    "autumn",
    "fall",
    "herbst",
    "automne",
    "otoño",
    "rentrée",
    "sommerferien",
    "winter",
    "hiver",
    "invierno",
  ],
];

const MONTH = `(${alternation(monthByWord.keys())})\\.?`;
const FULL_MONTH = `(${alternation(FULL_MONTHS)}|may|mai|mars)`;
const WEEKDAY = `(${alternation(weekdayByWord.keys())})`;
const COUNT = `(\\d{1,3}|${alternation(Object.keys(COUNT_WORDS))})`;
const ORDINAL = `(?:st|nd|rd|th|er|ème|º|°|\\.)?`;
const YEAR = `(?:\\s*,?\\s*(?:de\\s+|del\\s+)?(\\d{4}))?`;

const monthOf = (word: string | undefined) => monthByWord.get((word ?? "").toLowerCase()) ?? 0;
const weekdayNumber = (word: string | undefined) => weekdayByWord.get((word ?? "").toLowerCase()) ?? -1;
const countOf = (word: string | undefined) => {
  const w = (word ?? "").toLowerCase();
  return /^\d+$/.test(w) ? Number(w) : (COUNT_WORDS[w] ?? 0);
};

// ---- date phrases ------------------------------------------------------------------------------------

interface DateRule {
  readonly pattern: RegExp;
  /** Words one of which every match contains as a whole word (letters only); absent: no such word. */
  readonly words?: readonly string[];
  /** True when every match contains a digit. */
  readonly digit?: true;
  /** `original` is the text before lower-casing, for the few words where case tells ("May" the month). */
  readonly read: (
    m: RegExpExecArray,
    today: CivilDay,
    reading: () => DateReading,
    original: string,
  ) => CivilDay | null;
}

/** A day and month, with or without a year: the given year, or the next such day on or after today. */
function dayOfMonth(today: CivilDay, day: number, month: number, year?: string): CivilDay | null {
  if (!month) return null;
  if (year) {
    const y = Number(year) < 100 ? 2000 + Number(year) : Number(year);
    const c = civilDay(y, month, day);
    return c !== null && c >= today ? c : null;
  }
  return nextMonthDay(today, month, day);
}

const UNIT_DAYS = /^(?:days?|tag(?:e|en)?|jours?|d[ií]as?)$/i;
const UNIT_WEEKS = /^(?:weeks?|wochen?|semaines?|semanas?)$/i;
const UNIT_MONTHS = /^(?:months?|monat(?:e|en)?|mois|mes(?:es)?)$/i;

function afterCount(today: CivilDay, count: number, unit: string): CivilDay | null {
  if (count <= 0 || count > 999) return null;
  if (UNIT_DAYS.test(unit)) return today + count;
  if (UNIT_WEEKS.test(unit)) return today + 7 * count;
  if (UNIT_MONTHS.test(unit)) return addMonths(today, count);
  return count <= 10 ? addMonths(today, 12 * count) : null;
}

const MORNING_BEFORE = /(?:guten|heute|por\s+la|esta|de\s+la)\s+$/;

const firstOfMonthFrom = (today: CivilDay, month: number) => nextMonthDay(today, month, 1);
const quarterStart = (today: CivilDay, quarter: number) => firstOfMonthFrom(today, quarter * 3 - 2);

const DATE_RULES: readonly DateRule[] = [
  // "Monday 7 December", "7th of December 2026", "7. Dezember", "le 1er décembre", "7 de diciembre de 2026"
  {
    words: MONTH_TOKENS,
    digit: true,
    pattern: wordPattern(
      `(?:⟨${WEEKDAY}⟩\\s*,?\\s*(?:the\\s+|den\\s+|le\\s+|el\\s+)?)?⟨(\\d{1,2})${ORDINAL}\\s*(?:of\\s+|de\\s+)?⟨${MONTH}(?![a-z\\u00df-\\u024f])${YEAR}`,
    ),
    read: (m, today) => dayOfMonth(today, Number(m[2]), monthOf(m[3]), m[4]),
  },
  // "December 7th", "Dec 7, 2026"
  {
    words: MONTH_TOKENS,
    digit: true,
    pattern: wordPattern(
      `(?:⟨${WEEKDAY}⟩\\s*,?\\s*)?⟨${MONTH}\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?⟩(?!:)(?:\\s*,?\\s*(\\d{4}))?`,
    ),
    read: (m, today) => dayOfMonth(today, Number(m[3]), monthOf(m[2]), m[4]),
  },
  // "07.12." and "07.12.2026": day first wherever it is written with dots
  {
    digit: true,
    pattern: wordPattern(
      `(?:⟨${WEEKDAY}⟩\\s*,?\\s*(?:den\\s+|le\\s+|el\\s+)?)?(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})\\.(?:(\\d{4}|\\d{2})(?![\\d.])|(?!\\d))`,
    ),
    read: (m, today) => dayOfMonth(today, Number(m[2]), Number(m[3]), m[4]),
  },
  // "7/12" and "07/12/2026": day first, and only outside English, where 7/12 is July 12th
  {
    digit: true,
    pattern: wordPattern(
      `(?:⟨${WEEKDAY}⟩\\s*,?\\s*(?:den\\s+|le\\s+|el\\s+)?)?(?<![\\d/])(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\d/])`,
    ),
    read: (m, today, reading) =>
      reading() === "day-first" && !(m[2] === "24" && m[3] === "7")
        ? dayOfMonth(today, Number(m[2]), Number(m[3]), m[4])
        : null,
  },
  // "Monday 7th", "lundi 7", "el lunes 7", "Montag, den 7.": the next 7th, on that weekday if the calendar allows
  {
    words: WEEKDAY_TOKENS,
    digit: true,
    pattern: wordPattern(
      `⟨${WEEKDAY}⟩\\s*,?\\s*(?:the\\s+|den\\s+|le\\s+|el\\s+)?(\\d{1,2})(?!\\d)(?:st|nd|rd|th|er|\\.)?(?![\\d:.,]\\d)(?!\\s*(?:h|uhr|am|pm)⟩)`,
    ),
    read: (m, today) => {
      const weekday = weekdayNumber(m[1]);
      const day = Number(m[2]);
      let first: CivilDay | null = null;
      for (let i = 0; i < 420; i++) {
        const c = today + i;
        if (ymdOf(c).day !== day) continue;
        if (weekdayOf(c) === weekday) return c;
        first ??= c;
      }
      return first;
    },
  },
  // "next Wednesday", "on Friday", "am Montag", "lundi prochain", "el próximo martes": the next such day
  {
    words: WEEKDAY_TOKENS,
    pattern: wordPattern(`⟨${WEEKDAY}⟩`),
    read: (m, today) => {
      const weekday = weekdayNumber(m[1]);
      return weekday < 0 ? null : nextWeekday(today, weekday);
    },
  },
  // "in 60 days", "for six months", "in zwei Wochen", "dans quinze jours", "dentro de dos semanas"
  {
    words: UNIT_TOKENS,
    pattern: wordPattern(
      `⟨(?:(?:in|within|for|after|für|nach|binnen|innerhalb\\s+von|dans|pendant|d'ici|sous|après|en|dentro\\s+de|durante|por|tras|después\\s+de)\\s+(?:the\\s+next\\s+|den\\s+nächsten\\s+|los\\s+próximos\\s+|las\\s+próximas\\s+)?)${COUNT}(?:\\s*(?:-|–|to|or|bis|oder|à|ou|a|o)\\s*\\d{1,3})?\\s+(days?|weeks?|months?|years?|tag(?:e|en)?|wochen?|monat(?:e|en)?|jahr(?:e|en)?|jours?|semaines?|mois|ans?|années?|d[ií]as?|semanas?|mes(?:es)?|años?)⟩(?!\\s+ago⟩)`,
    ),
    read: (m, today) => afterCount(today, countOf(m[1]), m[2] ?? ""),
  },
  // "six months from now", "zwei Wochen später", "deux semaines plus tard"
  {
    words: UNIT_TOKENS,
    pattern: wordPattern(
      `⟨${COUNT}\\s+(days?|weeks?|months?|years?|tage|wochen|monate|jahre|jours|semaines|mois|ans|días|dias|semanas|meses|años)\\s+(?:from\\s+now|later|später|plus\\s+tard|más\\s+tarde|a\\s+partir\\s+de\\s+ahora)⟩`,
    ),
    read: (m, today) => afterCount(today, countOf(m[1]), m[2] ?? ""),
  },
  // "next week", "nächste Woche", "la semaine prochaine", "la próxima semana": the Monday after
  {
    words: ["week", "weekend", "woche", "wochenende", "semaine", "semana"],
    pattern: wordPattern(
      `⟨(?:next\\s+week|nächste[nr]?\\s+woche|kommende[nr]?\\s+woche|(?:la\\s+)?semaine\\s+prochaine|(?:la\\s+)?próxima\\s+semana|(?:la\\s+)?semana\\s+que\\s+viene|after\\s+the\\s+weekend|nach\\s+dem\\s+wochenende|après\\s+le\\s+week-end|después\\s+del\\s+fin\\s+de\\s+semana)⟩`,
    ),
    read: (_m, today) => nextWeekday(today, 1),
  },
  // "next month", "nächsten Monat", "le mois prochain", "el mes que viene": the 1st of next month
  {
    words: MONTH_UNIT_TOKENS,
    pattern: wordPattern(
      `⟨(?:next\\s+month|nächste[nr]?\\s+monat(?:s)?|kommende[nr]?\\s+monat|(?:le\\s+)?mois\\s+prochain|(?:el\\s+)?próximo\\s+mes|(?:el\\s+)?mes\\s+que\\s+viene)⟩`,
    ),
    read: (_m, today) => {
      const { year, month } = ymdOf(today);
      return month === 12 ? civilDay(year + 1, 1, 1) : civilDay(year, month + 1, 1);
    },
  },
  // "next quarter", "nächstes Quartal", "le trimestre prochain", "el próximo trimestre"
  {
    words: ["quarter", "quartal", "trimestre"],
    pattern: wordPattern(
      `⟨(?:next\\s+quarter|nächste[nms]?\\s+quartal|kommende[nms]?\\s+quartal|(?:le\\s+)?(?:trimestre\\s+prochain|prochain\\s+trimestre)|(?:el\\s+)?(?:próximo\\s+trimestre|trimestre\\s+que\\s+viene))⟩`,
    ),
    read: (_m, today) => {
      const { year, month } = ymdOf(today);
      const q = Math.floor((month - 1) / 3) + 1;
      return q === 4 ? civilDay(year + 1, 1, 1) : civilDay(year, q * 3 + 1, 1);
    },
  },
  // "in Q2", "Q3 2027"
  {
    words: ["q"],
    digit: true,
    pattern: wordPattern(`⟨q([1-4])(?:\\s*/?\\s*(\\d{4}))?⟩`),
    read: (m, today) =>
      m[2] ? dayOfMonth(today, 1, Number(m[1]) * 3 - 2, m[2]) : quarterStart(today, Number(m[1])),
  },
  // "next year", "nächstes Jahr", "l'année prochaine", "el año que viene": 1 January
  {
    words: ["year", "jahr", "année", "an", "año"],
    pattern: wordPattern(
      `⟨(?:next\\s+year|nächste[ns]?\\s+jahr|kommende[ns]?\\s+jahr|(?:l')?(?:année|an)\\s+prochaine?|(?:el\\s+)?(?:próximo\\s+año|año\\s+que\\s+viene))⟩`,
    ),
    read: (_m, today) => civilDay(ymdOf(today).year + 1, 1, 1),
  },
  // "after the new year", "nach Neujahr", "après le nouvel an", "después de año nuevo": 2 January
  {
    words: ["year", "holidays", "neujahr", "jahreswechsel", "feiertagen", "an", "fêtes", "año", "fiestas"],
    pattern: wordPattern(
      `⟨(?:after\\s+(?:the\\s+)?new\\s+year(?:'s)?|after\\s+the\\s+holidays|(?:nach|ab)\\s+(?:neujahr|dem\\s+jahreswechsel|den\\s+feiertagen)|(?:après|dès)\\s+(?:le\\s+)?(?:nouvel\\s+an|jour\\s+de\\s+l'an|les\\s+fêtes)|(?:después|despues|pasado)\\s+(?:de\\s+)?(?:año\\s+nuevo|las\\s+fiestas))⟩`,
    ),
    read: (_m, today) => nextMonthDay(today, 1, 2),
  },
  // seasons (northern hemisphere, meteorological): "in the spring", "im Herbst", "à la rentrée", "en otoño"
  {
    words: SEASON_TOKENS,
    pattern: wordPattern(
      `⟨(?:(spring|frühjahr|frühling|printemps|primavera)|(summer|sommer|(?:l'|cet\\s+|en\\s+)été|verano)|(autumn|the\\s+fall|this\\s+fall|herbst|automne|otoño|rentrée|sommerferien|the\\s+summer\\s+break|after\\s+the\\s+summer|nach\\s+dem\\s+sommer|après\\s+l'été|después\\s+del\\s+verano|(?:a\\s+la\\s+)?vuelta\\s+del\\s+verano)|(winter|hiver|invierno))⟩`,
    ),
    read: (m, today) => firstOfMonthFrom(today, m[1] ? 3 : m[2] ? 6 : m[3] ? 9 : 12),
  },
  // "mid-January", "Mitte Januar", "mi-janvier", "a mediados de enero"; "end of January", "Ende Januar"…
  {
    words: FULL_MONTH_TOKENS,
    pattern: wordPattern(
      `⟨(?:(mid|middle\\s+of|mitte|mi|a\\s+mediados\\s+de|mediados\\s+de)|(end\\s+of|late|ende|fin|à\\s+la\\s+fin|fin\\s+de|a\\s+finales\\s+de|finales\\s+de))[\\s-]+(?:de\\s+)?⟨${FULL_MONTH}⟩`,
    ),
    read: (m, today) => {
      const month = monthOf(m[3]);
      if (!month) return null;
      if (m[1]) return nextMonthDay(today, month, 15);
      const { year } = ymdOf(today);
      for (let y = year; y <= year + 1; y++) {
        const c = civilDay(y, month, daysInMonth(y, month));
        if (c !== null && c >= today) return c;
      }
      return null;
    },
  },
  // "in January", "back in January", "im Januar", "en janvier", "en enero", "January 2027": the 1st
  {
    words: FULL_MONTH_TOKENS,
    pattern: wordPattern(`⟨${FULL_MONTH}⟩(?:\\s+(\\d{4})⟩)?(?!\\s*\\d)(?!\\s+(?:i|we|you|i'd|i'm)⟩)`),
    read: (m, today, _reading, original) => {
      const word = m[1] ?? "";
      // "may" is the month only when capitalised ("you may"); "mai" is always the month
      if (word === "may" && original.slice(m.index, m.index + 3) !== "May") return null;
      const month = monthOf(word);
      if (!m[2]) return firstOfMonthFrom(today, month);
      const first = civilDay(Number(m[2]), month, 1);
      if (first === null) return null;
      const t = ymdOf(today);
      return first >= today ? first : t.year === Number(m[2]) && t.month === month ? today : null;
    },
  },
  // "tomorrow", "morgen", "demain", "mañana"; "the day after tomorrow" …
  {
    words: ["tomorrow", "übermorgen", "morgen", "demain", "mañana"],
    pattern: wordPattern(
      `⟨(?:(the\\s+day\\s+after\\s+tomorrow|übermorgen|après-demain|pasado\\s+mañana)|(tomorrow|morgen|demain|mañana))⟩`,
    ),
    // "guten Morgen", "heute Morgen", "por la mañana" are mornings, not tomorrow
    read: (m, today, _reading, original) =>
      MORNING_BEFORE.test(original.slice(Math.max(0, m.index - 12), m.index).toLowerCase())
        ? null
        : today + (m[1] ? 2 : 1),
  },
  // "end of the month", "Ende des Monats", "fin du mois", "a fin de mes"
  {
    words: ["month", "monats", "monatsende", "mois", "mes"],
    pattern: wordPattern(
      `⟨(?:end\\s+of\\s+(?:the|this)\\s+month|ende\\s+(?:des|dieses)\\s+monats|monatsende|(?:à\\s+la\\s+)?fin\\s+du\\s+mois|a\\s+(?:fin|finales)\\s+de(?:l)?\\s+mes)⟩`,
    ),
    read: (_m, today) => {
      const { year, month } = ymdOf(today);
      return civilDay(year, month, daysInMonth(year, month));
    },
  },
];

// Which rules need which words: a bit per rule, so one pass over the text's words tells which rules can match.
const RULES_BY_WORD = new Map<string, number>();
let RULES_WITHOUT_WORDS = 0;
let RULES_NEEDING_DIGITS = 0;
DATE_RULES.forEach((rule, i) => {
  if (rule.digit) RULES_NEEDING_DIGITS |= 1 << i;
  if (!rule.words) RULES_WITHOUT_WORDS |= 1 << i;
  for (const w of rule.words ?? []) RULES_BY_WORD.set(w, (RULES_BY_WORD.get(w) ?? 0) | (1 << i));
});
const LONGEST_WORD = Math.max(...[...RULES_BY_WORD.keys()].map((w) => w.length));
const isLetter = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0x24f && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff);

let lastText: string | null = null;
let lastRules = 0;

/**
 * The rules (a bit each) that can match lower-cased text: one pass over its words (runs of letters), far cheaper
 * than running every rule's pattern over text that names no date, which is most answers.
 */
function dateRulesFor(lower: string): number {
  if (lower === lastText) return lastRules;
  let rules = RULES_WITHOUT_WORDS;
  let digit = false;
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0x20;
    if (isLetter(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) digit = true;
    if (start >= 0) {
      if (i - start <= LONGEST_WORD) rules |= RULES_BY_WORD.get(lower.slice(start, i)) ?? 0;
      start = -1;
    }
  }
  if (!digit) rules &= ~RULES_NEEDING_DIGITS;
  lastText = lower;
  lastRules = rules;
  return rules;
}

/** False when the lower-cased text certainly names no date, so findDates would find none. */
export function mayMentionDate(lower: string): boolean {
  return dateRulesFor(lower) !== 0;
}

// Stop words that tell English from German, French and Spanish apart, for reading 7/12.
const ENGLISH_WORDS = wordPattern(`⟨(?:the|and|you|your|will|until|back|with|from|thanks|please|i'm|i am)⟩`);
const OTHER_WORDS = wordPattern(
  `⟨(?:und|ich|bin|nicht|bis|wieder|zurück|ihre|vielen|je|suis|vous|votre|jusqu'au|retour|merci|estoy|usted|hasta|gracias|por|el|los|las|con)⟩`,
);

function readingOf(text: string): DateReading {
  const count = (pattern: RegExp) => {
    pattern.lastIndex = 0;
    let n = 0;
    while (nextMatch(pattern, text) !== null && n < 20) n++;
    return n;
  };
  return count(OTHER_WORDS) > count(ENGLISH_WORDS) ? "day-first" : "month-names-only";
}

/**
 * The date phrases the rules' patterns match in a lower-cased text, rule by rule, before any is read as a day.
 * They are the same whatever day the text was written on, so a text read for several days is scanned once.
 */
export interface DateScan {
  readonly lower: string;
  readonly found: readonly { readonly rule: DateRule; readonly match: RegExpExecArray }[];
  /** How the text writes numeric dates, worked out when a rule first asks. */
  reading: DateReading | null;
}

/** Scans a lower-cased text for date phrases (see DateScan). */
export function scanDates(lower: string): DateScan {
  const rules = dateRulesFor(lower);
  const found: { rule: DateRule; match: RegExpExecArray }[] = [];
  for (let i = 0; rules !== 0 && i < DATE_RULES.length; i++) {
    if ((rules & (1 << i)) === 0) continue;
    const rule = DATE_RULES[i]!;
    const pattern = rule.pattern;
    pattern.lastIndex = 0;
    for (let m = nextMatch(pattern, lower); m !== null; m = nextMatch(pattern, lower)) {
      if (m[0] === "") {
        pattern.lastIndex++;
        continue;
      }
      found.push({ rule, match: m });
    }
  }
  return { lower, found, reading: null };
}

// `lower` is the text as `lowerCased` gives it; `original` the text as written (the same length).
/** Every date phrase in the text that names a day on or after `today`, in order of position. */
export function findDates(lower: string, today: CivilDay, original: string = lower): DateMention[] {
  return datesOnDay(scanDates(lower), today, original);
}

/** findDates from a scan of the text: its phrases read as days counted from `today`. */
export function datesOnDay(scan: DateScan, today: CivilDay, original: string = scan.lower): DateMention[] {
  if (scan.found.length === 0) return [];
  const readingFor = () => (scan.reading ??= readingOf(scan.lower));
  const found: DateMention[] = [];
  for (let i = 0; i < scan.found.length; i++) {
    const { rule, match: m } = scan.found[i]!;
    const day = rule.read(m, today, readingFor, original);
    if (day !== null && day >= today) found.push({ start: m.index, end: m.index + m[0].length, day });
  }
  // Where phrases overlap, the longest wins ("Monday 7 December" over "Monday").
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: DateMention[] = [];
  for (const d of found) {
    const last = out[out.length - 1];
    if (last && d.start < last.end) continue;
    out.push(d);
  }
  return out;
}
