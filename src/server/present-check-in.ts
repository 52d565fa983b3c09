import type { CheckInAnswer } from "../contracts/types.js";

/**
 * A check-in answer as JSON. Everything but the jittered `next_check_in_s` is the same for every check-in of a client
 * until its document changes, so that part is serialised once per document (keyed on the document object the core
 * hands out again while it is current) and only the number is written per request.
 */
const serialised = new WeakMap<object, string>();

export function checkInJson(answer: CheckInAnswer): string {
  let rest = serialised.get(answer.signed_license);
  if (rest === undefined) {
    rest = JSON.stringify({ ...answer, next_check_in_s: undefined }).slice(1);
    serialised.set(answer.signed_license, rest);
  }
  return `{"next_check_in_s":${answer.next_check_in_s},${rest}`;
}
