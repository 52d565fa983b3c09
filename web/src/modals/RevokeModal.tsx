import { useState } from "react";
import type { Client, Pool } from "../../../src/contracts/types.js";
import { Modal } from "../components/Modal";
import { ErrorNotice, Notice } from "../components/States";
import { clients } from "../endpoints";
import { friendlyMessage } from "../errors";
import { shortSite, titleCase } from "../format";

export interface RevokeTarget {
  id: string;
  name: string;
  site_url: string;
  status: Client["status"];
  license_type: string;
}

interface RevokeModalProps {
  client: RevokeTarget;
  onClose: () => void;
  onRevoked: (result: { client: Client; pool: Pool }) => void;
  onSuspended: (client: Client) => void;
}

/**
 * Revoking takes protection away from a live site, so the dialog spells out what the site loses and what it keeps,
 * and offers a gentler "Suspend instead". Nothing is revoked until "Revoke license" is pressed.
 */
export function RevokeModal({ client, onClose, onRevoked, onSuspended }: RevokeModalProps) {
  const [busy, setBusy] = useState<"revoke" | "suspend" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const type = titleCase(client.license_type);

  const run = async (what: "revoke" | "suspend") => {
    setBusy(what);
    setError(null);
    try {
      if (what === "revoke") onRevoked(await clients.revoke(client.id));
      else onSuspended((await clients.suspend(client.id)).client);
    } catch (err) {
      setError(friendlyMessage(err));
      setBusy(null);
    }
  };

  return (
    <Modal
      title={`Revoke ${client.name}'s license?`}
      onClose={onClose}
      busy={busy !== null}
      tone="danger"
      footer={
        <>
          <button type="button" className="button button--secondary" onClick={onClose} disabled={busy !== null} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={() => run("revoke")} disabled={busy !== null}>
            {busy === "revoke" ? "Revoking…" : "Revoke license"}
          </button>
        </>
      }
    >
      <div className="prose">
        <p>
          You are about to revoke the <strong>{type}</strong> license of <strong>{client.name}</strong> on{" "}
          <strong className="nowrap-site">{shortSite(client.site_url)}</strong>.
        </p>
        <p className="prose__lead">At its next check-in, the plugin on this site:</p>
        <ul className="consequences">
          <li className="consequences__item consequences__item--bad">
            <span>Falls back to the free tier.</span>
          </li>
          <li className="consequences__item consequences__item--bad">
            <span>Stops updating firewall rules, malware signatures and threat-intelligence sync.</span>
          </li>
          <li className="consequences__item consequences__item--good">
            <span>The site keeps running and is not damaged.</span>
          </li>
          <li className="consequences__item consequences__item--good">
            <span>The slot returns to the {type} pool at once, ready for another client.</span>
          </li>
        </ul>
      </div>
      {client.status === "active" ? (
        <div className="suspend-offer">
          <div>
            <p className="suspend-offer__title">Only a short pause?</p>
            <p className="suspend-offer__body">
              Suspend instead: updates pause, the client keeps its slot, and you can resume at any time.
            </p>
          </div>
          <button type="button" className="button button--secondary" onClick={() => run("suspend")} disabled={busy !== null}>
            {busy === "suspend" ? "Suspending…" : "Suspend instead"}
          </button>
        </div>
      ) : (
        <Notice tone="info">This client is already suspended. Revoke only if it no longer needs the license.</Notice>
      )}
      <ErrorNotice message={error} />
    </Modal>
  );
}
