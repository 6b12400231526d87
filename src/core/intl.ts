// Building an Intl formatter costs far more than using one (a profile of `status` put a tenth
// of the CPU in building month-name formatters): each distinct one is built once per process.

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A shared `Intl.DateTimeFormat` for these locale and options (zone included). */
export function dateFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const monthNames = new Map<string, string[]>();

/** The month's full name (0 = January) in the language, from twelve names computed once. */
export function monthName(locale: string, month: number): string {
  let names = monthNames.get(locale);
  if (!names) {
    const format = dateFormat(locale, { month: "long", timeZone: "UTC" });
    names = Array.from({ length: 12 }, (_, m) => format.format(new Date(Date.UTC(2000, m, 1))));
    monthNames.set(locale, names);
  }
  return names[month] ?? "";
}
