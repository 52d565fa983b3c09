import type { FastifyInstance, FastifyRequest } from "fastify";
import { idParam, inviteBody, updateUserBody } from "../../contracts/schemas.js";
import { changeUserRole } from "../../core/change-user-role.js";
import { inviteUser } from "../../core/invite-user.js";
import { listInvites, listUsers } from "../../core/list-team.js";
import { removeUser } from "../../core/remove-user.js";
import { withdrawInvite } from "../../core/withdraw-invite.js";
import type { Deps } from "../deps.js";
import { needs, resellerOf } from "../plugins/auth.js";
import { idWithNoBody, parse } from "../validate.js";

/**
 * The reseller's team: users with roles, and invites. Owners only. The invite link is in the answer (shown in the
 * dashboard; no mail server): PUBLIC_URL if set, else the address the owner's own request came to.
 */
export function teamRoutes(app: FastifyInstance, { db, access }: Deps): void {
  const inviteUrl = (req: FastifyRequest, token: string) =>
    `${access.publicUrl ?? `${req.protocol}://${req.host}`}/invite/${encodeURIComponent(token)}`;

  app.get("/users", needs("manage"), async (req) => ({ users: await listUsers(db, resellerOf(req).resellerId) }));

  app.post("/users", needs("manage"), async (req, reply) => {
    const body = parse(inviteBody, req.body);
    const { invite, token } = await inviteUser(db, resellerOf(req), access, body);
    return reply.status(201).send({ invite, invite_url: inviteUrl(req, token) });
  });

  app.patch("/users/:id", needs("manage"), async (req) => {
    const { id } = parse(idParam, req.params);
    return changeUserRole(db, resellerOf(req), id, parse(updateUserBody, req.body).role);
  });

  app.delete("/users/:id", needs("manage"), async (req) => removeUser(db, resellerOf(req), idWithNoBody(req)));

  app.get("/invites", needs("manage"), async (req) => ({ invites: await listInvites(db, resellerOf(req).resellerId) }));

  app.delete("/invites/:id", needs("manage"), async (req) => withdrawInvite(db, resellerOf(req), idWithNoBody(req)));
}
