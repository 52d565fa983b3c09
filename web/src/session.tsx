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

/**
 * A "probably signed in" hint kept in localStorage (never the session itself: that is an HttpOnly cookie).
 * Without it the app shows the sign-in page straight away instead of asking the server and getting a 401.
 */
const HINT = "licensepool.signed-in";

export function rememberSignedIn(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(HINT, "1");
    else window.localStorage.removeItem(HINT);
  } catch {
    // Storage can be blocked; the app then simply asks the server every time.
  }
}

export function probablySignedIn(): boolean {
  try {
    return window.localStorage.getItem(HINT) === "1";
  } catch {
    return true;
  }
}

export function homeFor(user: SessionUser): string {
  return user.role === "support" ? "/support" : "/licenses";
}
