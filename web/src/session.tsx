import { createContext, useContext } from "react";
import type { SessionUser } from "../../src/contracts/types.js";

export interface SessionValue {
  user: SessionUser;
  signOut: () => Promise<void>;
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
