// Mexico abolished daylight-saving time in October 2022 (tzdata 2022f). A runtime whose ICU
// predates that still moves Mexico City to UTC−5 in summer, and every local time computed for
// Mexican groups would be an hour off.

/** Minutes from UTC of a zone at an instant, as this runtime's Intl sees it. */
export function intlOffsetMinutes(zone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** A warning naming the fix when the time-zone data is older than Mexico's 2022 change. */
export function staleTimeZoneWarning(
  offsetMinutes: (zone: string, at: Date) => number = intlOffsetMinutes,
): string | null {
  const july2023 = new Date("2023-07-01T12:00:00Z");
  if (offsetMinutes("America/Mexico_City", july2023) === -360) return null;
  return "This runtime's time-zone data predates Mexico's 2022 change: Mexico City would be UTC−5 in summer instead of UTC−6, and scheduled posts for Mexican groups an hour off. Run a newer Node.js (or one built with a newer ICU / full-icu).";
}
