import { z } from "zod";
import {
  NAME_MAX,
  NOTE_MAX,
  PAGE_DEFAULT,
  PAGE_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  POOL_TOTAL_MAX,
  REASON_MAX,
  SITE_URL_MAX,
} from "./limits.js";

/** Request schemas: routes validate with these; the dashboard's forms reuse the limits. Bodies are strict: an unknown
 * field (a typo like `poolid`) is a validation error rather than silently ignored. Query strings stay lenient. */
const id = z.string().trim().min(1, "is required").max(100);
const name = z.string().trim().min(1, "must not be empty").max(NAME_MAX, `must be at most ${NAME_MAX} characters`);
const siteUrl = z.string().trim().min(1, "must not be empty").max(SITE_URL_MAX);
const total = z.number().int("must be a whole number").min(0, "must not be negative").max(POOL_TOTAL_MAX);

export const purchaseBody = z.strictObject({ plan_id: id });
export const allocateBody = z.strictObject({ client_id: id });
export const createClientBody = z.strictObject({ name, site_url: siteUrl, pool_id: id.nullish() });
export const updateClientBody = z
  .strictObject({ name: name.optional(), site_url: siteUrl.optional() })
  .refine((b) => b.name !== undefined || b.site_url !== undefined, { message: "name or site_url is required", path: ["name"] });
export const reissueBody = z.strictObject({ pool_id: id });
export const poolRequestBody = z.strictObject({
  pool_id: id,
  requested_total: total.min(1, "must be at least 1"),
  note: z.string().trim().max(NOTE_MAX).default(""),
});
export const adjustPoolBody = z.strictObject({ total, reason: z.string().trim().min(1, "a reason is required").max(REASON_MAX) });
export const decideRequestBody = z.strictObject({ reason: z.string().trim().max(REASON_MAX).optional() }).default({});
export const checkInBody = z
  // Lenient on purpose: plugins in the field may send extra telemetry fields that a newer server will understand.
  .object({ site_url: siteUrl.optional(), plugin_version: z.string().trim().max(50).optional() })
  .default({});
export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(PASSWORD_MAX),
});

const resellerRole = z.enum(["owner", "staff", "viewer"], "must be owner, staff or viewer");
const email = z.string().trim().min(1, "is required").max(320);
export const inviteBody = z.strictObject({ email, role: resellerRole });
export const updateUserBody = z.strictObject({ role: resellerRole });
export const createApiKeyBody = z.strictObject({
  name: name,
  scope: z.enum(["read", "read_write"], "must be read or read_write"),
});
export const acceptInviteBody = z.strictObject({
  password: z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX),
  name: z.string().trim().max(NAME_MAX).optional(),
});
export const inviteTokenParam = z.object({ token: z.string().min(1).max(100) });

export const idParam = z.object({ id });
export const pageQuery = z.object({
  limit: z.coerce.number().int("must be a whole number").min(1).max(PAGE_MAX).default(PAGE_DEFAULT),
  cursor: z.string().max(200).optional(),
});
export const clientsQuery = pageQuery.extend({
  q: z.string().trim().max(SITE_URL_MAX).optional(),
  status: z.enum(["active", "suspended"]).optional(),
  licensed: z.enum(["true", "false"]).optional(),
  pool_id: id.optional(),
});
export const activityQuery = pageQuery.extend({
  client_id: id.optional(),
  pool_id: id.optional(),
  action: z.string().trim().max(100).optional(),
});
export const poolRequestsQuery = pageQuery.extend({ status: z.enum(["pending", "approved", "declined"]).optional() });

export type PurchaseBody = z.infer<typeof purchaseBody>;
export type CreateClientBody = z.infer<typeof createClientBody>;
export type UpdateClientBody = z.infer<typeof updateClientBody>;
export type PoolRequestBody = z.infer<typeof poolRequestBody>;
export type AdjustPoolBody = z.infer<typeof adjustPoolBody>;
export type CheckInBody = z.infer<typeof checkInBody>;
export type InviteBody = z.infer<typeof inviteBody>;
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;
export type AcceptInviteBody = z.infer<typeof acceptInviteBody>;
export type PageQuery = z.infer<typeof pageQuery>;
export type ClientsQuery = z.infer<typeof clientsQuery>;
export type ActivityQuery = z.infer<typeof activityQuery>;
