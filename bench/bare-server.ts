/**
 * The yardstick for `npm run bench:check-in`: a bare Fastify app whose one route answers POST /check-in with a constant
 * body (BARE_BODY_FILE) of the same size as a real check-in answer. No database, no signing, no plugins.
 */
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const body = readFileSync(process.env.BARE_BODY_FILE ?? "", "utf8");
const app = Fastify({ logger: false });
app.post("/api/plugin/v1/check-in", async (_req, reply) => reply.type("application/json; charset=utf-8").send(body));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
console.log("listening");
