import { CHECK_IN_INTERVAL_S, OFFLINE_GRACE_S } from "../../../src/contracts/limits.js";
import { formatDateTime, formatRelative } from "../format";

type Freshness = "fresh" | "late" | "offline" | "never";

export function checkInFreshness(at: string | null, now = Date.now()): Freshness {
  if (!at) return "never";
  const age = (now - new Date(at).getTime()) / 1000;
  if (age <= CHECK_IN_INTERVAL_S * 2) return "fresh";
  return age <= OFFLINE_GRACE_S ? "late" : "offline";
}

const WORDS: Record<Freshness, string> = {
  fresh: "Checking in",
  late: "Late",
  offline: "Not seen for days",
  never: "Never checked in",
};

/** Last check-in as "12 minutes ago", with a dot and a word for how healthy that is (plugins check in hourly). */
export function CheckInCell({ at }: { at: string | null }) {
  const state = checkInFreshness(at);
  return (
    <span className={`checkin checkin--${state}`}>
      <span className="checkin__dot" aria-hidden="true" />
      {at ? (
        <time dateTime={at} title={formatDateTime(at)}>
          {formatRelative(at)}
          {state !== "fresh" ? <span className="checkin__word"> · {WORDS[state]}</span> : null}
        </time>
      ) : (
        <span>{WORDS.never}</span>
      )}
    </span>
  );
}
