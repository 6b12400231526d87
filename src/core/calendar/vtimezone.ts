import { DateTime } from "luxon";

// VTIMEZONE components computed from the IANA database (luxon), so every TZID a feed uses is
// defined in the feed itself (RFC 5545 §3.6.5): calendar clients then place the events right on
// both sides of a daylight-saving change even when their own zone data differs. Each transition
// within the years covered is written out explicitly (no RRULE): Mexico City's abolition of DST
// in 2022 or any later rule change is then exactly what the runtime's tzdata says.

const HOUR_MS = 3_600_000;

interface Transition {
  /** The UTC instant the new offset starts. */
  at: number;
  fromOffset: number;
  toOffset: number;
  dst: boolean;
  name: string;
}

function offsetAt(zone: string, ms: number): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/** The first millisecond (to the minute) at which the offset differs from the one at `lo`. */
function findChange(zone: string, lo: number, hi: number): number {
  const before = offsetAt(zone, lo);
  let a = lo;
  let b = hi;
  while (b - a > 60_000) {
    const mid = a + Math.floor((b - a) / 2);
    if (offsetAt(zone, mid) === before) a = mid;
    else b = mid;
  }
  return b - (b % 60_000);
}

function transitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const found: Transition[] = [];
  // Zones change offset at most a few times a year and never twice within 6 hours.
  const step = 6 * HOUR_MS;
  for (let t = fromMs; t < toMs; t += step) {
    const next = Math.min(t + step, toMs);
    if (offsetAt(zone, t) === offsetAt(zone, next)) continue;
    const at = findChange(zone, t, next);
    const after = DateTime.fromMillis(at, { zone });
    found.push({
      at,
      fromOffset: offsetAt(zone, at - 60_000),
      toOffset: after.offset,
      dst: after.isInDST,
      name: after.offsetNameShort ?? after.toFormat("ZZ"),
    });
  }
  return found;
}

/** "+0530", "-0600": the UTC-OFFSET value type. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}${mm}`;
}

/** Local wall time in the offset before the change, as DTSTART in a VTIMEZONE expects. */
function localStamp(ms: number, offsetMinutes: number): string {
  return DateTime.fromMillis(ms + offsetMinutes * 60_000, { zone: "UTC" }).toFormat(
    "yyyyLLdd'T'HHmmss",
  );
}

function component(
  kind: "STANDARD" | "DAYLIGHT",
  start: string,
  from: number,
  to: number,
  name: string,
) {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    `TZNAME:${name.replace(/[,;\\]/g, "")}`,
    `END:${kind}`,
  ];
}

/**
 * The VTIMEZONE of an IANA zone, valid from the start of `fromYear` to the end of `toYear`;
 * null for a zone luxon does not know.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string | null {
  const start = DateTime.fromObject({ year: fromYear }, { zone });
  if (!start.isValid) return null;
  const fromMs = start.toMillis();
  const toMs = DateTime.fromObject({ year: toYear + 1 }, { zone }).toMillis();
  const initial = DateTime.fromMillis(fromMs, { zone });
  const lines = [
    "BEGIN:VTIMEZONE",
    `TZID:${zone}`,
    // The offset in force when the covered period begins.
    ...component(
      initial.isInDST ? "DAYLIGHT" : "STANDARD",
      localStamp(fromMs, initial.offset),
      initial.offset,
      initial.offset,
      initial.offsetNameShort ?? initial.toFormat("ZZ"),
    ),
  ];
  for (const t of transitions(zone, fromMs, toMs)) {
    lines.push(
      ...component(
        t.dst ? "DAYLIGHT" : "STANDARD",
        localStamp(t.at, t.fromOffset),
        t.fromOffset,
        t.toOffset,
        t.name,
      ),
    );
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
