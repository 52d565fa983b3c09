import { useState } from "react";
import type { Invite, TeamUser } from "../../../src/contracts/types.js";
import { FlushCard, Loaded } from "../components/Card";
import { IconPlus, IconTeam } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState } from "../components/States";
import { TableHead } from "../components/Table";
import { useToast } from "../components/Toasts";
import { team } from "../endpoints";
import { formatDate, formatDateTime } from "../format";
import { useAsync, useTitle } from "../hooks";
import { ChangeRoleModal } from "../modals/ChangeRoleModal";
import { ConfirmModal } from "../modals/ConfirmModal";
import { InviteUserModal } from "../modals/InviteUserModal";
import { Link } from "../router";
import { ROLE_WORDS, useAccess, useSession } from "../session";

type Dialog =
  | { kind: "invite" }
  | { kind: "role"; user: TeamUser }
  | { kind: "remove"; user: TeamUser }
  | { kind: "withdraw"; invite: Invite }
  | null;

const ROLE_BADGE = { owner: "badge--accent", staff: "badge--info", viewer: "badge--neutral" } as const;

/** Owners: who can sign in to this account and with which role; invite, change roles, remove; pending invites. */
export function UsersPage() {
  useTitle("Users");
  const { canManage } = useAccess();
  if (!canManage) return <OwnersOnly />;
  return <TeamManagement />;
}

function OwnersOnly() {
  return (
    <>
      <PageHeader title="Users" />
      <EmptyState
        icon={<IconTeam />}
        title="Only owners manage users"
        action={
          <Link to="/licenses" className="button button--primary">
            Go to Licenses
          </Link>
        }
      >
        <p>Ask an owner of your account to invite someone, or to change a role.</p>
      </EmptyState>
    </>
  );
}

function TeamManagement() {
  const { user: me } = useSession();
  const toast = useToast();
  const users = useAsync(team.users, "users");
  const invites = useAsync(team.invites, "invites");
  const [dialog, setDialog] = useState<Dialog>(null);
  const owners = (users.data?.users ?? []).filter((u) => u.role === "owner").length;

  const header = (
    <PageHeader
      title="Users"
      subtitle="Who can sign in to this account, and what each of them may do."
      actions={
        <button type="button" className="button button--primary" onClick={() => setDialog({ kind: "invite" })}>
          <IconPlus />
          Invite user
        </button>
      }
    />
  );

  const now = Date.now();

  return (
    <>
      {header}
      <div className="page-stack">
        <Loaded state={users} errorTitle="Your users didn't load" loadingLabel="Loading users…">
          {(data) => (
            <FlushCard id="users-h" title="People with access">
              <table className="table table--stack">
                <caption className="visually-hidden">Users</caption>
                <TableHead hiddenLast="Actions" columns={["User", "Role", "Added"]} />
                <tbody>
                  {data.users.map((u) => {
                    const lastOwner = u.role === "owner" && owners <= 1;
                    return (
                      <tr key={u.id}>
                        <td data-label="User">
                          <span className="table__primary-text">
                            {u.name ?? u.email}
                            {u.id === me.id ? <span className="badge badge--neutral badge--inline">You</span> : null}
                          </span>
                          {u.name ? <span className="table__secondary">{u.email}</span> : null}
                        </td>
                        <td data-label="Role">
                          <span className={`badge ${ROLE_BADGE[u.role]}`}>{ROLE_WORDS[u.role].name}</span>
                        </td>
                        <td data-label="Added">
                          <time dateTime={u.created_at}>{formatDate(u.created_at)}</time>
                        </td>
                        <td className="table__actions">
                          <div className="button-row">
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() => setDialog({ kind: "role", user: u })}
                              disabled={lastOwner}
                              title={lastOwner ? "The only owner keeps the owner role" : undefined}
                              aria-label={`Change role of ${u.email}`}
                            >
                              Change role
                            </button>
                            <button
                              type="button"
                              className="button button--danger-ghost button--small"
                              onClick={() => setDialog({ kind: "remove", user: u })}
                              disabled={lastOwner}
                              title={lastOwner ? "The only owner can't be removed" : undefined}
                              aria-label={`Remove ${u.email}`}
                            >
                              Remove
                            </button>
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {owners <= 1 ? (
                <p className="hint-line table-note">
                  Every account keeps at least one owner: make someone else an owner before you change your own role.
                </p>
              ) : null}
            </FlushCard>
          )}
        </Loaded>

        <FlushCard id="invites-h" title="Pending invites">
          <Loaded state={invites} errorTitle="Invites didn't load" loadingLabel="Loading invites…">
            {({ invites: pending }) =>
              pending.length === 0 ? (
                <p className="card__text table-note">
                  No pending invites. An invite stays here until it is accepted or you withdraw it.
                </p>
              ) : (
                <table className="table table--stack">
                  <caption className="visually-hidden">Pending invites</caption>
                  <TableHead hiddenLast="Actions" columns={["Email", "Role", "Invited by", "Link valid until"]} />
                  <tbody>
                    {pending.map((i) => {
                      const expired = Date.parse(i.expires_at) <= now;
                      return (
                        <tr key={i.id}>
                          <td data-label="Email">
                            <span className="table__primary-text">{i.email}</span>
                          </td>
                          <td data-label="Role">
                            <span className={`badge ${ROLE_BADGE[i.role]}`}>{ROLE_WORDS[i.role].name}</span>
                          </td>
                          <td data-label="Invited by">{i.invited_by}</td>
                          <td data-label="Link valid until">
                            {expired ? (
                              <span className="badge badge--warning">Expired</span>
                            ) : (
                              <time dateTime={i.expires_at}>{formatDateTime(i.expires_at)}</time>
                            )}
                          </td>
                          <td className="table__actions">
                            <button
                              type="button"
                              className="button button--danger-ghost button--small"
                              onClick={() => setDialog({ kind: "withdraw", invite: i })}
                              aria-label={`Withdraw invite for ${i.email}`}
                            >
                              Withdraw
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )
            }
          </Loaded>
        </FlushCard>

        <section className="card" aria-labelledby="roles-h">
          <h2 id="roles-h" className="card__title">
            Roles
          </h2>
          <ul className="role-list">
            {(["owner", "staff", "viewer"] as const).map((r) => (
              <li key={r}>
                <span className={`badge ${ROLE_BADGE[r]}`}>{ROLE_WORDS[r].name}</span>
                <span>{ROLE_WORDS[r].can}</span>
              </li>
            ))}
          </ul>
          <p className="hint-line card__footnote">
            Lost a link, or want a different role? Invite the same email again: the old link stops working.
          </p>
        </section>
      </div>

      {dialog?.kind === "invite" ? <InviteUserModal onClose={() => setDialog(null)} onInvited={() => invites.reload()} /> : null}
      {dialog?.kind === "role" ? (
        <ChangeRoleModal
          user={dialog.user}
          onClose={() => setDialog(null)}
          onChanged={(next) => {
            setDialog(null);
            users.setData((d) => d && { users: d.users.map((u) => (u.id === next.id ? next : u)) });
            toast({ tone: "success", title: `${next.email} is now ${ROLE_WORDS[next.role].name.toLowerCase()}` });
            // Demoting yourself takes this page away: reload so the session (and the menu) catch up.
            if (next.id === me.id && next.role !== "owner") window.location.assign("/settings");
          }}
        />
      ) : null}
      {dialog?.kind === "remove" ? (
        <ConfirmModal
          title={`Remove ${dialog.user.email}?`}
          confirmLabel="Remove user"
          busyLabel="Removing…"
          tone="danger"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { user } = await team.remove(dialog.user.id);
            setDialog(null);
            users.setData((d) => d && { users: d.users.filter((u) => u.id !== user.id) });
            toast({ tone: "success", title: `${user.email} removed`, body: "Their sessions ended at once." });
            if (user.id === me.id) window.location.assign("/");
          }}
        >
          <p>
            They are signed out at once and can no longer sign in. What they did stays in the Activity log. To let them back,
            invite them again.
          </p>
        </ConfirmModal>
      ) : null}
      {dialog?.kind === "withdraw" ? (
        <ConfirmModal
          title={`Withdraw the invite for ${dialog.invite.email}?`}
          confirmLabel="Withdraw invite"
          busyLabel="Withdrawing…"
          tone="danger"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { invite } = await team.withdraw(dialog.invite.id);
            setDialog(null);
            invites.setData((d) => d && { invites: d.invites.filter((i) => i.id !== invite.id) });
            toast({ tone: "success", title: `Invite for ${invite.email} withdrawn`, body: "The link no longer works." });
          }}
        >
          <p>The invite link stops working at once. You can invite them again later.</p>
        </ConfirmModal>
      ) : null}
    </>
  );
}
