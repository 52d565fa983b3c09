import type { Db } from "../db/schema.js";
import { createReseller, createUser } from "./accounts.js";
import { generatePassword } from "./passwords.js";

export interface DemoCredentials {
  api_key: string;
  reseller_login: { email: string; password: string };
  support_login: { email: string; password: string };
}

/** On an empty database: a demo reseller (API key + dashboard login) and a support login, printed once by `npm start`. */
export async function ensureDemo(db: Db): Promise<DemoCredentials | null> {
  const any = await db.selectFrom("resellers").select("id").limit(1).executeTakeFirst();
  if (any) return null;
  const resellerLogin = { email: "demo@example.com", password: generatePassword() };
  const supportLogin = { email: "support@example.com", password: generatePassword() };
  const { api_key } = await createReseller(db, { name: "Demo Agency", ...resellerLogin, actor: "system" });
  await createUser(db, { ...supportLogin, role: "support", resellerId: null });
  return { api_key, reseller_login: resellerLogin, support_login: supportLogin };
}
