/**
 * An expected refusal: bad input, unknown id, missing permission. The router turns it into
 * one localized message with a correct example; it is never logged as a failure.
 */
export class BotError extends Error {
  constructor(
    /** i18n key of the message, e.g. "errors:unknown_item". */
    readonly key: string,
    readonly vars: Record<string, unknown> = {},
    /** i18n key of a correct example to show, when one helps. */
    readonly exampleKey?: string,
    /** Form field the error belongs to, for modals. */
    readonly field?: string,
  ) {
    super(key);
    this.name = "BotError";
  }
}
