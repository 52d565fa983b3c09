import { createContext, useContext } from "react";
import type { SessionUser } from "../../src/contracts/types.js";

export interface SessionValue {
  user: SessionUser;
  signOut: () => Promise<void>;
  /** Ends every session of this user (this one too) and returns to sign-in; throws if the server refused. */
  signOutEverywhere: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside a signed-in page");
  return value;
}

export function homeFor(user: SessionUser): string {
  return user.role === "support" ? "/support" : "/licenses";
}

export interface Access {
  /** Clients, licenses, pools, purchases: owners and staff. Viewers only read. */
  canWrite: boolean;
  /** Users, invites and API keys: owners only. */
  canManage: boolean;
  role: SessionUser["reseller_role"];
}

/** What the signed-in user may do; the server enforces the same rules, this only hides what would be refused. */
export function accessOf(user: SessionUser): Access {
  const role = user.reseller_role;
  return { role, canWrite: role === "owner" || role === "staff", canManage: role === "owner" };
}

export function useAccess(): Access {
  return accessOf(useSession().user);
}

export const ROLE_WORDS: Record<"owner" | "staff" | "viewer", { name: string; can: string }> = {
  owner: { name: "Owner", can: "Everything, including users and API keys" },
  staff: { name: "Staff", can: "Clients, licenses, pools and plans; not users or API keys" },
  viewer: { name: "Viewer", can: "Read only: sees everything, changes nothing" },
};

export const ROLE_CHOICES = (["staff", "viewer", "owner"] as const).map((value) => ({
  value,
  label: ROLE_WORDS[value].name,
  note: ROLE_WORDS[value].can,
}));
