import { useState } from "react";
import type { Client } from "../../../../src/contracts/types.js";
import { useToast } from "../../components/Toasts";
import { clients } from "../../endpoints";
import { friendlyMessage } from "../../errors";

/** Resume a suspended client (no confirmation: it only turns protection back on) and report the outcome as a toast. */
export function useResumeClient(onResumed: (client: Client) => void) {
  const toast = useToast();
  const [resumingId, setResumingId] = useState<string | null>(null);
  const resume = async (client: Client) => {
    setResumingId(client.id);
    try {
      onResumed((await clients.resume(client.id)).client);
      toast({
        tone: "success",
        title: `${client.name} resumed`,
        body: "Protection updates restart at the plugin's next check-in.",
      });
    } catch (err) {
      toast({ tone: "danger", title: "Couldn't resume", body: friendlyMessage(err) });
    } finally {
      setResumingId(null);
    }
  };
  return { resume, resumingId };
}
