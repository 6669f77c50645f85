import { eventually } from '@surge/testing';

/**
 * Mailpit's addresses, which the jest global setup puts in the environment next to
 * testInfra()'s (that helper does not know about SMTP yet).
 */
export function mailInfra(): { smtpUrl: string; mailpitUrl: string } {
  const smtpUrl = process.env.SMTP_URL;
  const mailpitUrl = process.env.MAILPIT_URL;
  if (!smtpUrl || !mailpitUrl) {
    throw new Error(
      'SMTP_URL / MAILPIT_URL are not set: run tests through `npm run jest` (jest global setup)',
    );
  }
  return { smtpUrl, mailpitUrl };
}

export interface MailpitMessage {
  ID: string;
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
  Snippet: string;
}

/** Every message Mailpit captured for `address`. */
export async function mailTo(address: string): Promise<MailpitMessage[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  const res = await fetch(`${mailInfra().mailpitUrl}/api/v1/search?query=${query}&limit=50`);
  if (res.status !== 200) throw new Error(`Mailpit search answered ${res.status}`);
  return ((await res.json()) as { messages: MailpitMessage[] }).messages;
}

/** Waits until mail to `address` reached Mailpit, then a little longer so a duplicate would show too. */
export async function settledMailTo(address: string, count = 1): Promise<MailpitMessage[]> {
  await eventually(async () => ((await mailTo(address)).length >= count ? true : undefined), {
    what: `mail to ${address}`,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return mailTo(address);
}
