import { type TeamsChannelAccount, TeamsInfo, type TurnContext } from "botbuilder";
import type { Logger } from "pino";
import type { Directory } from "../../core/directory.js";
import { mentionedUsers, type TeamsAccount } from "./to-invocation.js";

// Who speaks, on Teams: the ids one person appears under, the people an @mention names, and the
// tenant an account belongs to.
//
// Teams Connect shared channels (issue 13): people of another organisation speak in a channel
// of the host tenant under their own tenant's Entra object id. An object id is what an import
// names for people of the host's tenant; a person of another tenant is named by tenant id and
// object id together, "<tenant id>/<object id>", so that an account is matched only with the
// tenant it belongs to. Activities do not say a user's tenant; the member look-up does
// (TeamsChannelAccount.tenantId), asked once per account every few minutes and only for
// accounts the directory does not already know.

const MAX_ENTRIES = 5000;

/** The id an account of `tenantId` is imported under, when it is not the conversation's tenant. */
export function crossTenantId(aadObjectId: string, tenantId: string): string {
  return `${tenantId}/${aadObjectId}`;
}

export function createAccounts(deps: {
  directory: Pick<Directory, "knows" | "linkAliases">;
  logger: Logger;
  ttlMs?: number;
  now?: () => number;
}) {
  const ttlMs = deps.ttlMs ?? 10 * 60_000;
  const now = deps.now ?? Date.now;
  /** Per bot-scoped "29:" id: the tenant-qualified id, or null for the host tenant's people. */
  const cache = new Map<string, { at: number; qualified: string | null }>();

  async function lookUp(context: TurnContext, aad: string): Promise<string | null> {
    const activity = context.activity;
    const host = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
    let member: TeamsChannelAccount | null = null;
    try {
      member = await TeamsInfo.getMember(context, activity.from.id);
    } catch (error) {
      deps.logger.warn({ err: error }, "could not look up the tenant of a Teams user");
      return null;
    }
    const tenant = member?.tenantId;
    return tenant && host && tenant !== host ? crossTenantId(aad, tenant) : null;
  }

  /**
   * Rewrites the sender's object id to its tenant-qualified form when they belong to another
   * tenant than the conversation's, so every later step (roles, personal chats, mentions) sees
   * the person the import named.
   */
  async function qualify(context: TurnContext): Promise<void> {
    const from = context.activity.from;
    const aad = from?.aadObjectId;
    // Personal chats and the host tenant's known people need no look-up.
    if (!from?.id || !aad || aad.includes("/") || (await deps.directory.knows(aad))) return;
    const hit = cache.get(from.id);
    let qualified: string | null;
    if (hit && now() - hit.at < ttlMs) qualified = hit.qualified;
    else {
      qualified = await lookUp(context, aad);
      cache.delete(from.id);
      cache.set(from.id, { at: now(), qualified });
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    }
    if (qualified) from.aadObjectId = qualified;
  }

  /**
   * People appear under two ids: the AAD object id (what imports name) and the bot-scoped
   * "29:" id (what @mentions carry). Linking both to one person keeps them one person.
   */
  async function linkAccountIds(account: TeamsAccount | undefined): Promise<void> {
    if (!account?.aadObjectId || !account.id) return;
    await deps.directory.linkAliases(account.aadObjectId, account.id);
  }

  /** AAD ids of mentioned people we have not met, asked of Teams (mentions carry "29:" ids). */
  async function mentionIds(context: TurnContext): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (const account of mentionedUsers(context.activity)) {
      if (account.aadObjectId || (await deps.directory.knows(account.id))) continue;
      try {
        const member = await TeamsInfo.getMember(context, account.id);
        if (member.aadObjectId) known.set(account.id, member.aadObjectId);
      } catch (error) {
        deps.logger.warn({ err: error }, "could not look up a mentioned Teams user");
      }
    }
    return known;
  }

  return { qualify, linkAccountIds, mentionIds };
}
