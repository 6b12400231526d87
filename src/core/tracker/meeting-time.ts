// Reads when a meeting starts as people type it — "2027-03-02 10:00", "10:00 Ottawa",
// "tomorrow 10:00", "next Tuesday 15:30", "martes 10:00", "mardi prochain 10 h" — and in which
// time zone. A time that does not exist (the spring-forward gap) is refused with the two times
// around it; one that exists twice (fall-back) is read as the first and the reply says so.

import * as chrono from "chrono-node";
import { DateTime, IANAZone } from "luxon";

export type ZoneSource = "typed" | "speaker" | "group";

export type MeetingTime =
  | {
      ok: true;
      /** ISO-8601 UTC. */
      startsAt: string;
      /** The IANA zone the time was read in, and shown in beside Ottawa and Mexico City. */
      zone: string;
      source: ZoneSource;
      /** Tokens the date, time and zone used; the rest is the title. */
      used: number;
      /** Set when the local time happens twice: the other instant it could have meant. */
      alsoAt?: string;
    }
  | { ok: false; error: "unreadable" }
  | {
      ok: false;
      error: "gap";
      /** The local date and time typed, in `zone`, which clocks skip. */
      local: string;
      zone: string;
      /** The same wall time just before and just after the jump, as UTC instants. */
      before: string;
      after: string;
    };

export interface MeetingTimeOptions {
  now: Date;
  /** The speaker's zone when known, else the first group's; `source` says which. */
  defaultZone: string;
  defaultSource: Exclude<ZoneSource, "typed">;
}

/** At most this many tokens hold a date, a time and a zone ("el próximo martes a las 10:00 CDMX"). */
const MAX_TOKENS = 10;

/** Reads the longest run of leading tokens that is a date and time, with or without a zone. */
export function readMeetingTime(
  tokens: readonly string[],
  options: MeetingTimeOptions,
): MeetingTime {
  for (let n = Math.min(tokens.length, MAX_TOKENS); n >= 1; n--) {
    const read = readPhrase(tokens.slice(0, n), options);
    // A time the clocks skip is a definite reading: never fall back to a shorter one.
    if (read) return read.ok ? { ...read, used: n } : read;
  }
  return { ok: false, error: "unreadable" };
}

function readPhrase(tokens: string[], options: MeetingTimeOptions): MeetingTime | null {
  const zoned = takeZone(tokens);
  const words = zoned ? tokens.slice(0, tokens.length - zoned.tokens) : tokens;
  if (words.length === 0) return null;
  const zone = zoned?.zone ?? options.defaultZone;
  const source: ZoneSource = zoned ? "typed" : options.defaultSource;
  const today = DateTime.fromJSDate(options.now, { zone });
  const local = readLocal(words.join(" "), today) ?? readWithChrono(words.join(" "), today);
  if (!local) return null;
  return place(local, zoned?.fixedOffset ?? null, zone, source);
}

// ---------------------------------------------------------------------------------------------
// Zones: a city, an IANA name, an abbreviation, UTC or a UTC offset, after the time.

const CITIES: Record<string, string> = {
  ottawa: "America/Toronto",
  toronto: "America/Toronto",
  montreal: "America/Toronto",
  quebec: "America/Toronto",
  calgary: "America/Edmonton",
  edmonton: "America/Edmonton",
  vancouver: "America/Vancouver",
  winnipeg: "America/Winnipeg",
  halifax: "America/Halifax",
  cdmx: "America/Mexico_City",
  "mexico city": "America/Mexico_City",
  "ciudad de mexico": "America/Mexico_City",
  mexico: "America/Mexico_City",
  guadalajara: "America/Mexico_City",
  monterrey: "America/Monterrey",
  cancun: "America/Cancun",
  tijuana: "America/Tijuana",
  et: "America/Toronto",
  mt: "America/Edmonton",
  pt: "America/Vancouver",
  utc: "UTC",
  gmt: "UTC",
  z: "UTC",
};

/** Abbreviations that name one offset: the instant is exact, shown in the zone they belong to. */
const FIXED: Record<string, { offset: number; zone: string }> = {
  est: { offset: -300, zone: "America/Toronto" },
  edt: { offset: -240, zone: "America/Toronto" },
  cst: { offset: -360, zone: "America/Mexico_City" },
  mst: { offset: -420, zone: "America/Edmonton" },
  mdt: { offset: -360, zone: "America/Edmonton" },
  pst: { offset: -480, zone: "America/Vancouver" },
  pdt: { offset: -420, zone: "America/Vancouver" },
};

interface Zoned {
  zone: string;
  fixedOffset?: number;
  tokens: number;
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[()]/g, "").trim();
}

/** A zone at the end of the tokens, with "time", "hora de", "heure de/d'" around it. */
function takeZone(tokens: string[]): Zoned | null {
  for (let n = Math.min(4, tokens.length - 1); n >= 1; n--) {
    const text = fold(tokens.slice(tokens.length - n).join(" "))
      .replace(/^(?:hora\s+(?:de|del)\s+|heure\s+(?:de\s+|d'|d’))/u, "")
      .replace(/\s+time$/u, "")
      .replace(/\s+/g, " ");
    const zone = zoneNamed(text, tokens.slice(tokens.length - n).join(" "));
    if (zone) return { ...zone, tokens: n };
  }
  return null;
}

function zoneNamed(folded: string, typed: string): Omit<Zoned, "tokens"> | null {
  const city = CITIES[folded];
  if (city) return { zone: city };
  const fixed = FIXED[folded];
  if (fixed) return { zone: fixed.zone, fixedOffset: fixed.offset };
  const offset = /^(?:utc|gmt)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/u.exec(folded);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    if (minutes > 14 * 60) return null;
    return { zone: "UTC", fixedOffset: offset[1] === "+" ? minutes : -minutes };
  }
  const name = typed.replace(/[()]/g, "").trim();
  if (/^[A-Za-z_]+\/[A-Za-z_/+-]+$/.test(name) && IANAZone.isValidZone(name)) {
    // Intl spells the zone canonically ("america/toronto" → "America/Toronto").
    return { zone: new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The local date and time, by our own rules first.

interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const WEEKDAYS: Record<string, number> = {};
for (const [i, names] of [
  "monday mon lunes lun lundi",
  "tuesday tue tues martes mar mardi",
  "wednesday wed miercoles mie mercredi mer",
  "thursday thu thurs jueves jue jeudi jeu",
  "friday fri viernes vie vendredi ven",
  "saturday sat sabado sab samedi sam",
  "sunday sun domingo dom dimanche dim",
].entries()) {
  for (const name of names.split(" ")) WEEKDAYS[name] = i + 1;
}

const RELATIVE_DAYS: Record<string, number> = {
  today: 0,
  hoy: 0,
  "aujourd'hui": 0,
  tomorrow: 1,
  manana: 1,
  demain: 1,
  "pasado manana": 2,
  "apres-demain": 2,
  "apres demain": 2,
};

const NEXT = "(?:next|this|coming|el|este|proximo|proxima|ce|prochain|prochaine)";
const AT = "(?:at|a\\s+las|a\\s+la|a|à|a)";
const TIME =
  "(\\d{1,2})(?:(?::|h|\\s*h\\s*)(\\d{2})?)?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?(?:\\s*(?:hrs?|horas?|heures?))?";

/** "2027-03-02 10:00", "2027-03-02T10:00", "tomorrow 10:00", "mardi prochain 10 h", "15 March 10am". */
function readLocal(text: string, today: DateTime): Local | null {
  const f = fold(text).replace(/[’`]/g, "'").replace(/\s+/g, " ");
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:t|\s+)(.+)$/u.exec(f);
  if (iso) {
    const time = readClock(iso[4] ?? "");
    const day = DateTime.fromObject(
      { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) },
      { zone: "UTC" },
    );
    return time && day.isValid ? { ...ymd(day), ...time } : null;
  }
  const split = new RegExp(`^(.+?)\\s*(?:,\\s*)?(?:${AT}\\s+)?(${TIME})$`, "u").exec(f);
  if (!split) return null;
  const time = readClock(split[2] ?? "");
  const day = readDay((split[1] ?? "").trim(), today);
  return time && day ? { ...ymd(day), ...time } : null;
}

function ymd(day: DateTime) {
  return { year: day.year, month: day.month, day: day.day };
}

function readClock(text: string): { hour: number; minute: number } | null {
  const m = new RegExp(`^${TIME}$`, "u").exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const meridiem = m[3]?.replace(/\./g, "");
  // "10" alone is not a time; "10h", "10:00", "10 am" are.
  if (m[2] === undefined && !meridiem && !/h/.test(text)) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

function readDay(text: string, today: DateTime): DateTime | null {
  const start = today.startOf("day");
  const relative = RELATIVE_DAYS[text];
  if (relative !== undefined) return start.plus({ days: relative });
  // "Tuesday", "next Tuesday", "el próximo martes", "mardi prochain": the coming one.
  const weekday = new RegExp(`^(?:${NEXT}\\s+){0,2}([a-z]+)\\.?(?:\\s+${NEXT})?$`, "u").exec(text);
  const wanted = weekday ? WEEKDAYS[weekday[1] ?? ""] : undefined;
  if (wanted !== undefined) return start.plus({ days: (wanted - start.weekday + 7) % 7 || 7 });
  return null;
}

/** chrono for what our rules do not cover ("March 3 at 10am", "el 3 de marzo a las 10"). */
function readWithChrono(text: string, today: DateTime): Local | null {
  const reference = { instant: today.toJSDate(), timezone: today.offset };
  for (const parser of [chrono.en.casual, chrono.es.casual, chrono.fr.casual]) {
    const [result, ...others] = parser.parse(text, reference, { forwardDate: true });
    if (!result || others.length > 0 || result.index !== 0 || result.text.length !== text.length)
      continue;
    const s = result.start;
    if (!s.isCertain("hour") || !(s.isCertain("day") || s.isCertain("weekday")) || result.end)
      continue;
    return {
      year: s.get("year") ?? today.year,
      month: s.get("month") ?? today.month,
      day: s.get("day") ?? today.day,
      hour: s.get("hour") ?? 0,
      minute: s.get("minute") ?? 0,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// From a local wall time to an instant, never shifting silently.

function place(
  local: Local,
  fixedOffset: number | null,
  zone: string,
  source: ZoneSource,
): MeetingTime {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const check = DateTime.fromMillis(wall, { zone: "UTC" });
  if (check.day !== local.day || check.month !== local.month)
    return { ok: false, error: "unreadable" };
  if (fixedOffset !== null) {
    return { ok: true, startsAt: iso(wall - fixedOffset * 60_000), zone, source, used: 0 };
  }
  const z = IANAZone.create(zone);
  // Each offset in force around that wall time gives one candidate instant; keep those that
  // really show that wall time. None: the clocks skip it. Two: it happens twice.
  const offsets = new Set([
    z.offset(wall - 86_400_000),
    z.offset(wall),
    z.offset(wall + 86_400_000),
  ]);
  const instants = [...offsets]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => z.offset(instant) * 60_000 === wall - instant)
    .sort((a, b) => a - b);
  const [first, second] = instants;
  if (first === undefined) {
    // The same wall time read with the offset before and after the jump: an hour apart, they
    // show as the times on either side of it ("01:30 or 03:30?").
    return {
      ok: false,
      error: "gap",
      local: check.toFormat("yyyy-MM-dd HH:mm"),
      zone,
      before: iso(wall - Math.max(...offsets) * 60_000),
      after: iso(wall - Math.min(...offsets) * 60_000),
    };
  }
  const read: MeetingTime = { ok: true, startsAt: iso(first), zone, source, used: 0 };
  if (second !== undefined) read.alsoAt = iso(second);
  return read;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
